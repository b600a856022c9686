/* src/marks.c — mark label meanings, ids and the Decompression mark that
 * counts after cancellations. */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "marks.h"

/* Does label (blanks trimmed) start with word, case-insensitively, followed
 * by the end or a blank?  *rest gets what follows, blanks skipped. */
static bool word_prefix(const char *label, const char *word, const char **rest)
{
	size_t n = strlen(word);
	if (strncasecmp(label, word, n) != 0)
		return false;
	const char *r = label + n;
	if (*r && *r != ' ' && *r != '\t')
		return false;
	while (*r == ' ' || *r == '\t')
		r++;
	*rest = r;
	return true;
}

/* A number that fills the whole (right-trimmed) text. */
static double whole_number(const char *s)
{
	if (!*s || !(isdigit((unsigned char)*s) || *s == '.'))
		return NAN;
	char *end;
	double v = strtod(s, &end);
	while (*end == ' ' || *end == '\t')
		end++;
	if (*end || !isfinite(v))
		return NAN;
	return v;
}

enum lsr_mark_kind lsr_mark_classify(const char *label, double *value)
{
	*value = NAN;
	if (!label)
		return LSR_MARK_CUSTOM;
	while (*label == ' ' || *label == '\t')
		label++;
	/* Compare against a right-trimmed copy so "Closure " still counts. */
	char buf[128];
	size_t n = strlen(label);
	if (n >= sizeof buf)
		return LSR_MARK_CUSTOM; /* longer than any label with a meaning */
	memcpy(buf, label, n + 1);
	while (n > 0 && (buf[n - 1] == ' ' || buf[n - 1] == '\t'))
		buf[--n] = '\0';

	static const struct { const char *name; enum lsr_mark_kind kind; } exact[] = {
		{ "Dura open", LSR_MARK_DURA_OPEN },
		{ "Decompression", LSR_MARK_DECOMPRESSION },
		{ "Closure", LSR_MARK_CLOSURE },
		{ "Baseline", LSR_MARK_BASELINE },
		{ "Confirm", LSR_MARK_CONFIRM },
	};
	for (size_t i = 0; i < sizeof exact / sizeof exact[0]; i++)
		if (strcasecmp(buf, exact[i].name) == 0)
			return exact[i].kind;
	const char *rest;
	if (word_prefix(buf, "Intensity", &rest)) {
		double v = whole_number(rest);
		*value = v >= 0 ? v : NAN;
		return LSR_MARK_INTENSITY;
	}
	if (word_prefix(buf, "Cancel", &rest)) {
		double v = whole_number(rest);
		*value = (v >= 1 && v <= 2147483647.0 && v == floor(v)) ? v : NAN;
		return LSR_MARK_CANCEL;
	}
	return LSR_MARK_CUSTOM;
}

void lsr_marks_init(struct lsr_marks *m)
{
	memset(m, 0, sizeof *m);
	m->next_id = 1;
}

int lsr_marks_take_id(struct lsr_marks *m)
{
	int id = m->next_id;
	if (m->next_id < 2147483647)
		m->next_id++;
	return id;
}

void lsr_marks_add_decompression(struct lsr_marks *m, int id, double t)
{
	if (m->ndecomp >= LSR_MARKS_DECOMP_MAX)
		return;
	m->decomp[m->ndecomp].id = id;
	m->decomp[m->ndecomp].t = t;
	m->decomp[m->ndecomp].cancelled = false;
	m->ndecomp++;
}

bool lsr_marks_cancel(struct lsr_marks *m, int id)
{
	for (int i = 0; i < m->ndecomp; i++)
		if (m->decomp[i].id == id && !m->decomp[i].cancelled) {
			m->decomp[i].cancelled = true;
			return true;
		}
	return false;
}

bool lsr_marks_decompression(const struct lsr_marks *m, int *id, double *t)
{
	for (int i = 0; i < m->ndecomp; i++)
		if (!m->decomp[i].cancelled) {
			*id = m->decomp[i].id;
			*t = m->decomp[i].t;
			return true;
		}
	return false;
}
