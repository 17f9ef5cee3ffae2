#include "config.h"

#include "grid.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "util.h"

struct grid *
grid_new(int w, int h)
{
	struct grid *g = xcalloc(1, sizeof *g);

	g->w = w < 1 ? 1 : w;
	g->h = h < 1 ? 1 : h;
	g->cells = xcalloc((size_t)g->w * (size_t)g->h, sizeof *g->cells);
	grid_clear(g);
	return g;
}

void
grid_free(struct grid *g)
{
	if (g == NULL)
		return;
	free(g->cells);
	free(g);
}

void
grid_clear(struct grid *g)
{
	size_t i, n = (size_t)g->w * (size_t)g->h;

	for (i = 0; i < n; i++) {
		g->cells[i].ch = ' ';
		g->cells[i].role = ROLE_DEFAULT;
	}
}

void
grid_put(struct grid *g, int x, int y, uint32_t ch, enum role role)
{
	struct cell *c;

	if (x < 0 || y < 0 || x >= g->w || y >= g->h)
		return;
	c = &g->cells[(size_t)y * (size_t)g->w + (size_t)x];
	c->ch = ch;
	c->role = (uint8_t)role;
}

/* Decode one UTF-8 character; returns its length (1 for a bad byte, which
 * decodes as U+FFFD). */
static size_t
grid_decode(const unsigned char *s, uint32_t *cp)
{
	size_t n, i;
	uint32_t v;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xe0) == 0xc0) {
		n = 2;
		v = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		n = 3;
		v = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		n = 4;
		v = s[0] & 0x07;
	} else {
		*cp = 0xfffd;
		return 1;
	}
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80) {
			*cp = 0xfffd;
			return 1;
		}
		v = (v << 6) | (s[i] & 0x3f);
	}
	*cp = v;
	return n;
}

int
grid_print(
    struct grid *g, int x, int y, int maxw, enum role role, const char *utf8)
{
	const unsigned char *p = (const unsigned char *)utf8;
	int used = 0, w;
	uint32_t cp;

	while (*p != '\0') {
		p += grid_decode(p, &cp);
		if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0))
			cp = 0xfffd; /* never let a control reach the screen */
		w = cp < 0x7f ? 1 : wcwidth((wchar_t)cp);
		if (w < 0)
			w = 1;
		if (w == 0)
			continue; /* combining marks: not drawn on their own */
		if (used + w > maxw)
			break;
		grid_put(g, x + used, y, cp, role);
		if (w == 2)
			grid_put(g, x + used + 1, y, 0, role);
		used += w;
	}
	return used;
}

int
grid_printf(struct grid *g, int x, int y, int maxw, enum role role,
    const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	return grid_print(g, x, y, maxw, role, buf);
}

/* Write one code point as UTF-8. */
static void
grid_put_utf8(FILE *f, uint32_t cp)
{
	if (cp < 0x80) {
		fputc((int)cp, f);
	} else if (cp < 0x800) {
		fputc((int)(0xc0 | (cp >> 6)), f);
		fputc((int)(0x80 | (cp & 0x3f)), f);
	} else if (cp < 0x10000) {
		fputc((int)(0xe0 | (cp >> 12)), f);
		fputc((int)(0x80 | ((cp >> 6) & 0x3f)), f);
		fputc((int)(0x80 | (cp & 0x3f)), f);
	} else {
		fputc((int)(0xf0 | (cp >> 18)), f);
		fputc((int)(0x80 | ((cp >> 12) & 0x3f)), f);
		fputc((int)(0x80 | ((cp >> 6) & 0x3f)), f);
		fputc((int)(0x80 | (cp & 0x3f)), f);
	}
}

void
grid_write_text(const struct grid *g, FILE *f, int ascii)
{
	int x, y, end;

	for (y = 0; y < g->h; y++) {
		const struct cell *row = &g->cells[(size_t)y * (size_t)g->w];

		for (end = g->w; end > 0; end--) {
			if (row[end - 1].ch != ' ')
				break;
		}
		for (x = 0; x < end; x++) {
			uint32_t cp = row[x].ch;

			if (cp == 0)
				continue;
			if (cp < 0x80)
				fputc((int)cp, f);
			else if (ascii)
				fprintf(f, "\\u%04x", (unsigned)cp);
			else
				grid_put_utf8(f, cp);
		}
		fputc('\n', f);
	}
}

/* Copy rows of src into g at x, y. */
void
grid_blit_rows(
    struct grid *g, int x, int y, const struct grid *src, int sy, int rows)
{
	int r, c;

	for (r = 0; r < rows; r++) {
		if (sy + r >= src->h || y + r >= g->h)
			break;
		for (c = 0; c < src->w && x + c < g->w; c++) {
			const struct cell *cell =
			    &src->cells[(sy + r) * src->w + c];

			if (cell->ch != 0)
				grid_put(g, x + c, y + r, cell->ch,
				    (enum role)cell->role);
			else
				g->cells[(y + r) * g->w + x + c] = *cell;
		}
	}
}
