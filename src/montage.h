/* src/montage.h — channel roles: the --montage SPEC parser and the roles a
 * channel's label implies for the stimulated branch (docs/interface.md). */
#ifndef LSR_MONTAGE_H
#define LSR_MONTAGE_H

#include <stdbool.h>
#include <stddef.h>

#include "driver.h"
#include "event.h"
#include "params.h"

/* The channels a montage names explicitly; the others keep the role they
 * get from a lower precedence (layout, recording, labels). */
struct lsr_montage {
	bool set[LSR_MAX_CHANNELS];
	enum lsr_role role[LSR_MAX_CHANNELS];
};

/* Parse "0:lsr,1:lsr,2:control,3:other" (spaces around items allowed, role
 * names case-insensitive).  Returns 0, or -1 with a message in err naming
 * the offending item: syntax, an index outside 0…LSR_MAX_CHANNELS−1, an
 * unknown role, a channel named twice, an empty spec.  m is unchanged on
 * error. */
int lsr_montage_parse(const char *spec, struct lsr_montage *m, char *err, size_t errlen);

/* Apply m over roles[0…nch−1].  Returns 0, or -1 when m names a channel the
 * stream does not have (message in err); roles are unchanged on error. */
int lsr_montage_apply(const struct lsr_montage *m, int nch, enum lsr_role *roles,
                      char *err, size_t errlen);

/* The role a label implies: with zygomatic, mentalis and orbicularis oris
 * are lsr and orbicularis oculi is control; mandibular the reverse; anything
 * else (or NULL) is other.  Case-insensitive, '_' and '-' read as spaces,
 * the muscle name may be part of a longer label ("R Mentalis"). */
enum lsr_role lsr_montage_role_from_label(const char *label, enum lsr_stim_branch branch);

/* Roles for every channel from its label. */
void lsr_montage_from_labels(int nch, const char *const *labels,
                             enum lsr_stim_branch branch, enum lsr_role *roles);

/* The SPEC form of roles[0…nch−1] ("0:lsr,1:control"), for the recording's
 * stored settings; only whole items when len is too short (always
 * terminated). */
void lsr_montage_format(int nch, const enum lsr_role *roles, char *buf, size_t len);

#endif
