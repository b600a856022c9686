/* src/recnotes.h — the words of a recording: events as annotation texts
 * (operator marks plain, everything of lsrmon's own prefixed "lsrmon: "),
 * and the stored parameters and montage read back for replay. */
#ifndef LSR_RECNOTES_H
#define LSR_RECNOTES_H

#include <stdbool.h>
#include <stddef.h>

#include "case_details.h"
#include "event.h"
#include "params.h"

#define LSR_RECNOTES_PREFIX "lsrmon: "
/* Longest parameter annotation: several are written when all of them do
 * not fit one. */
#define LSR_RECNOTES_PARAMS_MAX 200

/* The annotation for an event, or false when the event is not recorded as
 * text (stim and response live in the Trigger channel and the samples; gaps
 * are annotated by the recorder where it pads). */
bool lsr_recnotes_event(const struct lsr_event *ev, char *buf, size_t len);

/* "lsrmon: params k=v k=v …" texts for every parameter, each at most
 * LSR_RECNOTES_PARAMS_MAX bytes; values are escaped (%20 for a space, %25
 * for '%', %XX for control bytes).  Calls emit once per text. */
void lsr_recnotes_params(const struct lsr_params *p,
                         void (*emit)(void *ctx, const char *text), void *ctx);

/* Longest case annotation: the longest field, escaped, fits one. */
#define LSR_RECNOTES_CASE_MAX 390

/* "lsrmon: case k=v …" texts for the fields that are given, escaped as the
 * params are; calls emit once per text. */
void lsr_recnotes_case(const struct lsr_case_details *c,
                       void (*emit)(void *ctx, const char *text), void *ctx);
/* Set the fields a "lsrmon: case …" text names in c (bad ones counted in
 * *bad).  Returns true when text was a case annotation. */
bool lsr_recnotes_apply_case(const char *text, struct lsr_case_details *c, int *bad);

/* "lsrmon: montage 0:lsr,1:control,…" */
void lsr_recnotes_montage(const struct lsr_channel_info *ch, int nch,
                          char *buf, size_t len);

/* Apply a stored-settings annotation: a params text sets each key it names
 * in p (unknown keys and bad values are skipped and counted in *bad); a
 * montage text is copied to montage.  Returns true when text was one of
 * these two. */
bool lsr_recnotes_apply(const char *text, struct lsr_params *p, char *montage,
                        size_t montage_len, int *bad);

#endif
