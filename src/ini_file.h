/* src/ini_file.h — an INI file read through inih with line numbers and the
 * checks inih itself does not make (docs/api-notes.md, B4): the one reader
 * behind layout files (src/ui/layout.c) and case files (case_details.c). */
#ifndef LSR_INI_FILE_H
#define LSR_INI_FILE_H

#include <stdio.h>

#define LSR_INI_FILE_LINE_MAX 198  /* inih's 200-byte buffer less CR/LF */
#define LSR_INI_FILE_MAX (1 << 20)

struct lsr_ini_file {
	/* Set by the caller before lsr_ini_file_parse: */
	const char *what;   /* what the file should be, for "(not a layout file?)" */
	/* each [section] line as read, before inih sees it (may be NULL) */
	void (*section)(void *user, const char *header);
	/* each key = value, as inih's handler; a false return without a
	 * message of its own (lsr_ini_file_fail) is a syntax error */
	int (*entry)(void *user, const char *section, const char *key, const char *value);
	void *user;
	/* Kept by the reader: */
	FILE *f;
	int line;           /* lines handed to inih so far = the current line */
	long bytes;
	int err_line;       /* 0 = no error yet */
	char err[200];
};

/* The first failure wins: it is reported at the current line. */
void lsr_ini_file_fail(struct lsr_ini_file *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Reads path: 0, or -1 with "path:line: what is wrong" (or "path: …" when
 * it cannot be opened) in err. */
int lsr_ini_file_parse(struct lsr_ini_file *p, const char *path, char *err, size_t errlen);

#endif
