/* src/number.c — text to number, whole, decimal and range-checked (number.h). */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "number.h"

static size_t digits(const char *s, size_t i, size_t len)
{
	size_t n = 0;
	while (i + n < len && s[i + n] >= '0' && s[i + n] <= '9')
		n++;
	return n;
}

/* Whether the LEN bytes at S are exactly one number of FORM. */
static int well_formed(const char *s, size_t len, enum lsr_number_form form)
{
	size_t i = 0;
	if (form == LSR_NUMBER_DECIMAL && i < len && (s[i] == '+' || s[i] == '-'))
		i++;
	size_t whole = digits(s, i, len), frac = 0;
	i += whole;
	if (form != LSR_NUMBER_INTEGER && i < len && s[i] == '.') {
		i++;
		frac = digits(s, i, len);
		i += frac;
	}
	if (whole + frac == 0)
		return 0;
	if (form == LSR_NUMBER_DECIMAL && i < len && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			i++;
		size_t e = digits(s, i, len);
		if (e == 0)
			return 0;
		i += e;
	}
	return i == len;
}

/* S[0..LEN) is well formed; TERMINATED: S[LEN] is its NUL, so strtod can
 * read it in place however long it is (a line of zeros is a number). */
static int convert(const char *s, size_t len, bool terminated, double lo, double hi, double *out)
{
	/* A span must be copied to end it; none that anyone types or any
	 * header holds is near this long. */
	char buf[LSR_NUMBER_SPAN_MAX + 1];
	if (!terminated) {
		if (len > LSR_NUMBER_SPAN_MAX)
			return LSR_NUMBER_SYNTAX;
		memcpy(buf, s, len);
		buf[len] = '\0';
		s = buf;
	}
	/* well_formed left strtod nothing to read as hex, inf or nan, and the
	 * locale's decimal point is never set (term.c sets LC_CTYPE only). */
	errno = 0;
	double v = strtod(s, NULL);
	if (errno == ERANGE || !isfinite(v) || !(v >= lo && v <= hi))
		return LSR_NUMBER_RANGE;
	*out = v;
	return LSR_NUMBER_OK;
}

int lsr_number_parse(const char *s, size_t len, enum lsr_number_form form,
                     double lo, double hi, double *out)
{
	if (!well_formed(s, len, form))
		return LSR_NUMBER_SYNTAX;
	return convert(s, len, false, lo, hi, out);
}

static int whole(const char *s, enum lsr_number_form form, double lo, double hi, double *out)
{
	size_t len = strlen(s);
	if (!well_formed(s, len, form))
		return LSR_NUMBER_SYNTAX;
	return convert(s, len, true, lo, hi, out);
}

int lsr_number_field(const char *f, size_t width, enum lsr_number_form form,
                     double lo, double hi, double *out)
{
	while (width && f[0] == ' ')
		f++, width--;
	while (width && f[width - 1] == ' ')
		width--;
	return lsr_number_parse(f, width, form, lo, hi, out);
}

int lsr_number_real(const char *s, double lo, double hi, double *out)
{
	return whole(s, LSR_NUMBER_DECIMAL, lo, hi, out);
}

int lsr_number_int(const char *s, int lo, int hi, int *out)
{
	double v;
	int r = whole(s, LSR_NUMBER_INTEGER, lo, hi, &v);
	if (r == LSR_NUMBER_OK)
		*out = (int)v;
	return r;
}

int lsr_number_explain(char *err, size_t errlen, const char *what, const char *text,
                       int status, const char *range)
{
	if (status == LSR_NUMBER_RANGE)
		snprintf(err, errlen, "%s: '%.40s' is out of range (%s)", what, text, range);
	else
		snprintf(err, errlen, "%s: '%.40s' is not a number", what, text);
	return -1;
}
