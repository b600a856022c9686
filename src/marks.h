/* src/marks.h — operator marks as the judge sees them: what a label means
 * (interface.md "Marks"), mark ids, and which Decompression mark counts
 * once cancellations are applied. */
#ifndef LSR_MARKS_H
#define LSR_MARKS_H

#include <stdbool.h>

enum lsr_mark_kind {
	LSR_MARK_CUSTOM, LSR_MARK_DURA_OPEN, LSR_MARK_DECOMPRESSION,
	LSR_MARK_CLOSURE, LSR_MARK_BASELINE, LSR_MARK_CONFIRM,
	LSR_MARK_INTENSITY, LSR_MARK_CANCEL
};

/* A label's meaning: case-insensitive, surrounding blanks ignored.
 * "Intensity <mA>" sets *value to the current ("Intensity 8", "intensity
 * 7.5 mA"; NAN when the number is missing or malformed: then it is
 * recorded only);
 * "Cancel <id>" sets *value to the id (NAN when not a positive integer).
 * Anything else is a custom mark. */
enum lsr_mark_kind lsr_mark_classify(const char *label, double *value);

/* Decompression marks kept for phase decisions.  Beyond this many, further
 * Decompression marks are recorded but cannot count: a real case has one or
 * two, and a flood from OSC must not grow memory. */
#define LSR_MARKS_DECOMP_MAX 256

struct lsr_marks {
	int next_id;    /* id the next mark gets, from 1 */
	int ndecomp;
	struct { int id; double t; bool cancelled; } decomp[LSR_MARKS_DECOMP_MAX];
};

void lsr_marks_init(struct lsr_marks *m);
/* The next id (1, 2, … across all origins). */
int lsr_marks_take_id(struct lsr_marks *m);
void lsr_marks_add_decompression(struct lsr_marks *m, int id, double t);
/* Retract mark id.  Returns true when it was a counted-for Decompression
 * mark (so phases may change). */
bool lsr_marks_cancel(struct lsr_marks *m, int id);
/* The Decompression mark that counts: the first (by id) not cancelled.
 * Returns false when there is none. */
bool lsr_marks_decompression(const struct lsr_marks *m, int *id, double *t);

#endif
