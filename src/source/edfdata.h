/* src/source/edfdata.h — the data records of an EDF+/BDF+ file that EDFlib has
 * opened and validated, read directly for replay.
 *
 * Why: EDFlib reads samples a byte at a time through stdio, which took
 * most of a 16-channel BDF+ replay.  EDFlib stays the validator (it opens
 * the file, checks the header, reads the annotations); this reads whole
 * records with pread and gives the same digital values as
 * edfread_digital_samples, clipped to each signal's digital range as
 * EDFlib clips them. */
#ifndef LSR_EDFDATA_H
#define LSR_EDFDATA_H

#include <edflib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct lsr_edfdata;

/* path and the header EDFlib read from it; NULL with a message when the
 * file's header does not agree with EDFlib's or memory is short. */
struct lsr_edfdata *lsr_edfdata_open(const char *path, const struct edf_hdr_struct *h,
                                     char *err, size_t errlen);
void lsr_edfdata_free(struct lsr_edfdata *d);

/* Digital values of EDFlib signals sig[0..nsig) (annotation signals not
 * counted, as in EDFlib) at instants [pos, pos + n) into out[k][0..n);
 * false on a read error or past the end. */
bool lsr_edfdata_read(struct lsr_edfdata *d, int64_t pos, int n, const int *sig, int nsig,
                      int32_t *const *out);

/* How a signal's digital values become µV: the float of bv × (off +
 * digital) × unit computed in double, EDFlib's physical value times the
 * dimension's factor (the replay's arithmetic, src/source/source_edf.c). */
struct lsr_edfdata_scale {
	double bv, off, unit;
};

/* The same instants as µV, signal sig[k] scaled by sc[k], into
 * out[k][0..n): the values of lsr_edfdata_read converted, bit for bit,
 * without a pass through int32 in between. */
bool lsr_edfdata_read_uv(struct lsr_edfdata *d, int64_t pos, int n, const int *sig, int nsig,
                         const struct lsr_edfdata_scale *sc, float *const *out);

#endif
