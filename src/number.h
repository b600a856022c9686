/* src/number.h — the one way text becomes a number in src/ and drivers/.
 *
 * Every number lsrmon reads (command line, parameters, layouts, protocol
 * headers, recordings' header fields, mark labels, prompts) is taken
 * whole: the text is the number and nothing else, in decimal, inside a
 * range the caller names.  Hexadecimal ("0x64"), "inf", "nan", blanks
 * around the number and anything after it are refused everywhere alike,
 * so no input is read one way in one place and another way elsewhere.
 * The one exception is explicit: a fixed-width header field (EDF's ASCII
 * header, padded with spaces) may have spaces before and after it, since
 * files written by other programs pad on either side.  Pure: no I/O, no
 * allocation, independent of the locale. */
#ifndef LSR_NUMBER_H
#define LSR_NUMBER_H

#include <stddef.h>

enum lsr_number_status {
	LSR_NUMBER_OK = 0,
	LSR_NUMBER_SYNTAX = -1,  /* not a number of the form asked for */
	LSR_NUMBER_RANGE = -2,   /* a number, but outside [lo, hi] or beyond a double */
};

enum lsr_number_form {
	LSR_NUMBER_DECIMAL,  /* [+-] digits [. digits] [(e|E) [+-] digits]; ".5" and "5." too */
	LSR_NUMBER_INTEGER,  /* digits: a count, an index, a port (none is negative) */
	LSR_NUMBER_PLAIN,    /* digits [. digits]: what a person types into a mark label */
};

/* The longest span or field lsr_number_parse and lsr_number_field read
 * (a whole string has no limit). */
#define LSR_NUMBER_SPAN_MAX 127

/* The LEN bytes at S as a number of FORM within [LO, HI] into *OUT (left
 * alone unless LSR_NUMBER_OK).  Integers are exact up to 2^53. */
int lsr_number_parse(const char *s, size_t len, enum lsr_number_form form,
                     double lo, double hi, double *out);

/* lsr_number_parse of a fixed-width field of WIDTH bytes: spaces before
 * and after the number are padding; a field of spaces only is refused. */
int lsr_number_field(const char *f, size_t width, enum lsr_number_form form,
                     double lo, double hi, double *out);

/* The whole NUL-terminated string S, a decimal or an integer. */
int lsr_number_real(const char *s, double lo, double hi, double *out);
int lsr_number_int(const char *s, int lo, int hi, int *out);

/* The one message of a refused number, into ERR:
 *   "WHAT: 'TEXT' is not a number"            (LSR_NUMBER_SYNTAX)
 *   "WHAT: 'TEXT' is out of range (RANGE)"    (LSR_NUMBER_RANGE)
 * RANGE says in words what is allowed (e.g. "1-10000 uV per division").
 * Returns -1, so that a caller can return it. */
int lsr_number_explain(char *err, size_t errlen, const char *what, const char *text,
                       int status, const char *range);

#endif
