/* src/judge/marks.c — the marks table: what a label means, mark ids, and the
 * Decompression and Intensity marks that count after cancellations
 * (docs/interface.md "Marks").  What the judge does with them is judge_marks.c. */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "marks.h"
#include "number.h"

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

/* A plain decimal number (digits, at most one point) that fills the whole
 * text, optionally followed by unit (case-insensitive, blanks allowed
 * before it); NAN otherwise.  No signs, exponents or hex: a mark label is
 * typed by a person. */
static double whole_number(const char *s, const char *unit)
{
	size_t n = strspn(s, "0123456789.");
	const char *r = s + n;
	while (*r == ' ' || *r == '\t')
		r++;
	if (unit && strncasecmp(r, unit, strlen(unit)) == 0)
		r += strlen(unit);
	while (*r == ' ' || *r == '\t')
		r++;
	double v;
	if (*r || lsr_number_parse(s, n, LSR_NUMBER_PLAIN, 0, DBL_MAX, &v) != LSR_NUMBER_OK)
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
		double v = whole_number(rest, "mA");
		*value = v;
		return LSR_MARK_INTENSITY;
	}
	if (word_prefix(buf, "Cancel", &rest)) {
		double v = whole_number(rest, NULL);
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

void lsr_marks_keep(struct lsr_marks *m, int id, enum lsr_mark_kind kind, double t, double value)
{
	if (m->nkept >= LSR_MARKS_KEPT_MAX)
		return;
	m->kept[m->nkept].id = id;
	m->kept[m->nkept].kind = kind;
	m->kept[m->nkept].t = t;
	m->kept[m->nkept].value = value;
	m->kept[m->nkept].cancelled = false;
	m->nkept++;
}

enum lsr_mark_kind lsr_marks_cancel(struct lsr_marks *m, int id)
{
	for (int i = 0; i < m->nkept; i++)
		if (m->kept[i].id == id && !m->kept[i].cancelled) {
			m->kept[i].cancelled = true;
			return m->kept[i].kind;
		}
	return LSR_MARK_CUSTOM;
}

bool lsr_marks_decompression(const struct lsr_marks *m, int *id, double *t)
{
	for (int i = 0; i < m->nkept; i++)
		if (m->kept[i].kind == LSR_MARK_DECOMPRESSION && !m->kept[i].cancelled) {
			*id = m->kept[i].id;
			*t = m->kept[i].t;
			return true;
		}
	return false;
}

double lsr_marks_intensity(const struct lsr_marks *m)
{
	for (int i = m->nkept - 1; i >= 0; i--)
		if (m->kept[i].kind == LSR_MARK_INTENSITY && !m->kept[i].cancelled)
			return m->kept[i].value;
	return NAN;
}
