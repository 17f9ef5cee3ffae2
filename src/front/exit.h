/*
 * The program's exit statuses, in one place (sysexits.h's numbers where
 * there is one). interleave(1) and --help list them.
 */
#ifndef IL_EXIT_H
#define IL_EXIT_H

#define EXIT_USAGE     2  /* bad options or arguments; named thing missing */
#define EXIT_DATAERR   65 /* a file that exists but cannot be used */
#define EXIT_SOFTWARE  70 /* the program itself failed */
#define EXIT_CANTCREAT 73 /* an output file (--trace) cannot be written */

#endif
