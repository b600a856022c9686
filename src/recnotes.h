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
/* Padding ("not acquired") is an annotation with its duration whose text
 * starts "BAD" (MNE leaves such spans out of epochs), never a Trigger
 * value; each text goes on with "<n> samples".  A gap's and a crash's
 * samples were lost; the end's complete the last record and were never
 * due. */
#define LSR_RECNOTES_BAD "BAD lsrmon "
#define LSR_RECNOTES_PAD_GAP "BAD lsrmon gap "
#define LSR_RECNOTES_PAD_END "BAD lsrmon end padding "
#define LSR_RECNOTES_PAD_CRASH "BAD lsrmon crash padding "
/* Longest parameter annotation: the parameters take two (docs/interface.md
 * "Recordings": the settings, montage included, in at most three). */
#define LSR_RECNOTES_PARAMS_MAX 400

/* The annotation for an event, or false when the event is not recorded as
 * text (stim and response live in the Trigger channel and the samples; gaps
 * are annotated by the recorder where it pads). */
bool lsr_recnotes_event(const struct lsr_event *ev, char *buf, size_t len);
/* Is text the annotation of an overall state change (this version's plain
 * words, or the "lsrmon: State …" of older recordings)? */
bool lsr_recnotes_is_state(const char *text);

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

/* "lsrmon: montage 0:lsr,1:control,… utc=+01:00 labels=Mentalis,…": the
 * roles, the UTC offset of the header's local start time (EDF has no
 * zone), and the full channel labels (escaped as parameter values, ','
 * too), which the header's 16 characters cannot hold. */
void lsr_recnotes_montage(const struct lsr_channel_info *ch, int nch, long utc_offset_s,
                          char *buf, size_t len);

/* What a montage annotation says about its recording. */
struct lsr_recnotes_rec {
	bool has_utc;
	long utc_offset_s;
	int nlabels;                               /* 0: none stored */
	char labels[LSR_MAX_CHANNELS][LSR_LABEL_MAX];
};
/* Parse the utc= and labels= parts of a montage text into out (fields it
 * lacks are left alone).  False when text is not a montage annotation. */
bool lsr_recnotes_recording(const char *text, struct lsr_recnotes_rec *out);

/* EDF+'s "EMG <muscle>" label of at most 16 characters for a channel
 * label: a leading "EMG" kept once, the side as L or R after it, and the
 * facial muscles' standard abbreviations (Orb, Dep, Zyg, …) used only
 * while the label is too long; what is still too long is cut. */
#define LSR_RECNOTES_EDF_LABEL 16
void lsr_recnotes_edf_label(const char *label, char out[LSR_RECNOTES_EDF_LABEL + 1]);

/* Apply a stored-settings annotation: a params text sets each key it names
 * in p (unknown keys and bad values are skipped and counted in *bad); a
 * montage text's spec ("0:lsr,…") is copied to montage.  Returns true when text was one of
 * these two. */
bool lsr_recnotes_apply(const char *text, struct lsr_params *p, char *montage,
                        size_t montage_len, int *bad);

#endif
