/* src/judge/marks.h — operator marks as the judge sees them: what a label means
 * (docs/interface.md "Marks"), mark ids, and which Decompression mark counts
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

/* Marks whose effect a later Cancel can undo: Decompression (phases) and
 * Intensity with a number (the current shown).  Beyond this many, further
 * ones are recorded but have no effect: a real case has a handful, and a
 * flood from OSC must not grow memory. */
#define LSR_MARKS_KEPT_MAX 256

struct lsr_marks {
	int next_id;    /* id the next mark gets, from 1 */
	int nkept;
	struct {
		int id;
		enum lsr_mark_kind kind;
		double t, value;
		bool cancelled;
	} kept[LSR_MARKS_KEPT_MAX];
};

void lsr_marks_init(struct lsr_marks *m);
/* The next id (1, 2, … across all origins). */
int lsr_marks_take_id(struct lsr_marks *m);
/* Keep mark id (a Decompression, or an Intensity with its value). */
void lsr_marks_keep(struct lsr_marks *m, int id, enum lsr_mark_kind kind, double t, double value);
/* Retract mark id.  Returns the kind of the kept mark it retracted, or
 * LSR_MARK_CUSTOM when it retracted nothing that has an effect. */
enum lsr_mark_kind lsr_marks_cancel(struct lsr_marks *m, int id);
/* The Decompression mark that counts: the first (by id) not cancelled.
 * Returns false when there is none. */
bool lsr_marks_decompression(const struct lsr_marks *m, int *id, double *t);
/* The current intensity: the last Intensity mark not cancelled; NAN when
 * there is none. */
double lsr_marks_intensity(const struct lsr_marks *m);

#endif
