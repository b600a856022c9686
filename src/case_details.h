/* src/case_details.h — the case details of a report and a recording
 * (--case FILE, section [case]; docs/interface.md "Command line"): who the
 * patient is, what is done and by whom.  A layout is reused from case to
 * case, so it may give defaults only for the four fields that belong to
 * the team or the room, never for the patient's own (the last patient's
 * name must never reach the next patient's report). */
#ifndef LSR_CASE_DETAILS_H
#define LSR_CASE_DETAILS_H

#include <stdbool.h>
#include <stddef.h>

enum lsr_case_field {
	LSR_CASE_PATIENT, LSR_CASE_PROCEDURE, LSR_CASE_SIDE, LSR_CASE_SURGEON,
	LSR_CASE_NEUROPHYSIOLOGIST, LSR_CASE_ANAESTHESIA, LSR_CASE_ELECTRODES,
	LSR_CASE_NOTES, LSR_CASE_FIELDS
};

/* Longest value of any field, in bytes (UTF-8): escaped, the longest still
 * fits one recording annotation (recnotes.h). */
#define LSR_CASE_TEXT_MAX 120

struct lsr_case_details {
	char value[LSR_CASE_FIELDS][LSR_CASE_TEXT_MAX + 1]; /* "" = not given */
};

/* The field's key in [case] ("patient", …). */
const char *lsr_case_details_key(enum lsr_case_field f);
/* Its label on the report ("Patient", …). */
const char *lsr_case_details_label(enum lsr_case_field f);
/* May a layout give a default for it (neurophysiologist, electrodes,
 * anaesthesia, procedure)? */
bool lsr_case_details_layout_may_set(enum lsr_case_field f);
/* The field a key names, or LSR_CASE_FIELDS. */
enum lsr_case_field lsr_case_details_field(const char *key);

/* Set one field from text: 0, or -1 with a message (unknown key, too
 * long, control characters, side not left/right). */
int lsr_case_details_set(struct lsr_case_details *c, const char *key, const char *value,
                         char *err, size_t errlen);
/* Read --case FILE (only a [case] section): 0, or -1 with "file:line: …". */
int lsr_case_details_load(struct lsr_case_details *c, const char *path,
                          char *err, size_t errlen);
/* Fields of defaults that c does not give yet are taken from it. */
void lsr_case_details_fill(struct lsr_case_details *c, const struct lsr_case_details *defaults);
bool lsr_case_details_any(const struct lsr_case_details *c);

#endif
