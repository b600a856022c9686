/* tests/unit/test_edfdata.c — the replay's own record reader against
 * EDFlib on the same files: EDF+ and BDF+, several signals with their own
 * ranges, the annotation signal, reads that start mid-record and span several,
 * stored values outside the declared digital range (EDFlib clips them);
 * the same as µV, EDFlib's physical values times the unit's factor. */
#include <check.h>
#include <edflib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "edfdata.h"

enum { NSIG = 3, SPR = 37, NREC = 11 };

/* A file of NSIG signals of SPR samples per record; then the digital
 * range in the header is narrowed so that some stored values fall out. */
static void make_file(const char *path, int filetype)
{
	bool bdf = filetype == EDFLIB_FILETYPE_BDFPLUS;
	int h = edfopen_file_writeonly(path, filetype, NSIG);
	ck_assert_int_ge(h, 0);
	int dmax = bdf ? 8388607 : 32767;
	for (int s = 0; s < NSIG; s++) {
		ck_assert_int_eq(edf_set_samplefrequency(h, s, SPR), 0);
		ck_assert_int_eq(edf_set_physical_maximum(h, s, 1000.0 * (s + 1)), 0);
		ck_assert_int_eq(edf_set_physical_minimum(h, s, -250.5 * (s + 1)), 0);
		ck_assert_int_eq(edf_set_digital_maximum(h, s, dmax), 0);
		ck_assert_int_eq(edf_set_digital_minimum(h, s, -dmax - 1), 0);
		char label[16];
		snprintf(label, sizeof label, "S%d", s);
		ck_assert_int_eq(edf_set_label(h, s, label), 0);
	}
	int buf[SPR];
	unsigned r = 7;
	for (int rec = 0; rec < NREC; rec++)
		for (int s = 0; s < NSIG; s++) {
			for (int i = 0; i < SPR; i++) {
				r = r * 1103515245u + 12345u;
				buf[i] = (int)(r >> 8) % (dmax / 2) * ((r & 1) ? 1 : -1);
			}
			ck_assert_int_eq(edfwrite_digital_samples(h, buf), 0);
		}
	ck_assert_int_eq(edfwrite_annotation_latin1(h, 10000, -1, "mark"), 0);
	ck_assert_int_eq(edfclose_file(h), 0);
	/* Narrow signal 1's digital range to a third: values beyond it are
	 * now out of range, as in a file another program wrote. */
	FILE *f = fopen(path, "r+b");
	ck_assert_ptr_nonnull(f);
	char hdr[256];
	ck_assert_uint_eq(fread(hdr, 1, sizeof hdr, f), sizeof hdr);
	int ns = atoi(hdr + 252);
	long dmin_at = 256 + ns * (16 + 80 + 8 + 8 + 8) + 8 * 1, dmax_at = dmin_at + ns * 8;
	char field[9];
	snprintf(field, sizeof field, "%-8d", -dmax / 3);
	ck_assert_int_eq(fseek(f, dmin_at, SEEK_SET), 0);
	ck_assert_uint_eq(fwrite(field, 1, 8, f), 8);
	snprintf(field, sizeof field, "%-8d", dmax / 3);
	ck_assert_int_eq(fseek(f, dmax_at, SEEK_SET), 0);
	ck_assert_uint_eq(fwrite(field, 1, 8, f), 8);
	ck_assert_int_eq(fclose(f), 0);
}

enum { N = SPR * NREC };

/* All N instants in reads that start mid-record and span several: as
 * digital values into oi, or (sc given) as µV into of. */
static void read_pieces(struct lsr_edfdata *d, const int *sig, const struct lsr_edfdata_scale *sc,
                        int32_t *const *oi, float *const *of)
{
	for (int pos = 0; pos < N;) {
		int n = pos % 3 == 0 ? 50 : 5;
		if (n > N - pos)
			n = N - pos;
		int32_t *o[NSIG];
		float *f[NSIG];
		for (int k = 0; k < NSIG; k++) {
			o[k] = sc ? NULL : oi[k] + pos;
			f[k] = sc ? of[k] + pos : NULL;
		}
		ck_assert(sc ? lsr_edfdata_read_uv(d, pos, n, sig, NSIG, sc, f)
		             : lsr_edfdata_read(d, pos, n, sig, NSIG, o));
		pos += n;
	}
}

static void compare(int filetype)
{
	char path[] = "/tmp/lsr-edfdata-XXXXXX";
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	close(fd);
	make_file(path, filetype);
	struct edf_hdr_struct h;
	ck_assert_int_eq(edfopen_file_readonly(path, &h, EDFLIB_READ_ALL_ANNOTATIONS), 0);
	ck_assert_int_eq(h.edfsignals, NSIG);
	char err[160];
	struct lsr_edfdata *d = lsr_edfdata_open(path, &h, err, sizeof err);
	ck_assert_msg(d != NULL, "%s", err);
	static int32_t ours[NSIG][N];
	int sig[NSIG] = { 2, 0, 1 }; /* any order */
	int32_t *out[NSIG] = { ours[0], ours[1], ours[2] };
	read_pieces(d, sig, NULL, out, NULL);
	/* The same reads as µV, scaled as the replay scales them. */
	static float uv[NSIG][N];
	struct lsr_edfdata_scale sc[NSIG];
	for (int k = 0; k < NSIG; k++) {
		const struct edf_param_struct *sp = &h.signalparam[sig[k]];
		sc[k].bv = (sp->phys_max - sp->phys_min) / (sp->dig_max - sp->dig_min);
		sc[k].off = sp->phys_max / sc[k].bv - sp->dig_max;
		sc[k].unit = k == 1 ? 1e3 : 1.0; /* as for mV */
	}
	float *uvo[NSIG] = { uv[0], uv[1], uv[2] };
	read_pieces(d, sig, sc, NULL, uvo);
	int clipped = 0;
	for (int k = 0; k < NSIG; k++) {
		static int theirs[N];
		static double phys[N];
		ck_assert_int_eq(edfseek(h.handle, sig[k], 0, EDFSEEK_SET), 0);
		ck_assert_int_eq(edfread_digital_samples(h.handle, sig[k], N, theirs), N);
		ck_assert_int_eq(edfseek(h.handle, sig[k], 0, EDFSEEK_SET), 0);
		ck_assert_int_eq(edfread_physical_samples(h.handle, sig[k], N, phys), N);
		const struct edf_param_struct *sp = &h.signalparam[sig[k]];
		double bv = (sp->phys_max - sp->phys_min) / (sp->dig_max - sp->dig_min);
		double off = sp->phys_max / bv - sp->dig_max;
		for (int i = 0; i < N; i++) {
			ck_assert_int_eq(ours[k][i], theirs[i]);
			/* the replay's arithmetic gives EDFlib's physical values */
			ck_assert(bv * (off + (double)ours[k][i]) == phys[i]);
			ck_assert(uv[k][i] == (float)(phys[i] * sc[k].unit));
			clipped += ours[k][i] == sp->dig_max || ours[k][i] == sp->dig_min;
		}
	}
	ck_assert_int_gt(clipped, 10);
	ck_assert(!lsr_edfdata_read(d, N - 2, 3, sig, NSIG, out)); /* past the end */
	ck_assert(!lsr_edfdata_read_uv(d, N - 2, 3, sig, NSIG, sc, uvo));
	lsr_edfdata_free(d);
	edfclose_file(h.handle);
	unlink(path);
}

START_TEST(bdf_values_are_edflibs)
{
	compare(EDFLIB_FILETYPE_BDFPLUS);
}
END_TEST

START_TEST(edf_values_are_edflibs)
{
	compare(EDFLIB_FILETYPE_EDFPLUS);
}
END_TEST

Suite *suite_edfdata(void)
{
	Suite *s = suite_create("edfdata");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, bdf_values_are_edflibs);
	tcase_add_test(tc, edf_values_are_edflibs);
	suite_add_tcase(s, tc);
	return s;
}
