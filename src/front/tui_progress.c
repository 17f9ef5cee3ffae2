/*
 * The curses front end's side of the student's progress: load it once at
 * the start, save it whenever a record is added, and tell the student
 * about a file that had to be set aside. The records themselves are made
 * where things happen (a page turned, a prediction answered, a challenge
 * won); this file only owns the store.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "paths.h"
#include "progress.h"
#include "tui_impl.h"

void
tui_progress_open(struct tui *ui)
{
	char path[4096], msg[sizeof ui->notice];

	ui->notice[0] = '\0';
	if (paths_progress_file(path, sizeof path) != 0) {
		snprintf(ui->notice, sizeof ui->notice,
		    "progress is not saved: set HOME or XDG_STATE_HOME");
		return;
	}
	ui->progress = progress_new(path);
	msg[0] = '\0';
	if (progress_load(ui->progress, msg, sizeof msg) != PROGRESS_OK)
		snprintf(ui->notice, sizeof ui->notice, "%s", msg);
}

void
tui_progress_save(struct tui *ui)
{
	char msg[256];

	if (ui->progress == NULL || !progress_pending(ui->progress))
		return;
	msg[0] = '\0';
	if (progress_save(ui->progress, msg, sizeof msg) != 0 || msg[0] != '\0')
		set_status(ui, "%s", msg);
}

void
tui_progress_close(struct tui *ui)
{
	tui_progress_save(ui);
	progress_free(ui->progress);
	ui->progress = NULL;
}
