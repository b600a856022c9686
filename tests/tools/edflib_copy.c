/* tests/tools/edflib_copy.c — rewrites a recording with EDFlib's own writer,
 * the way EDFlib, EDFbrowser and most acquisition software write files: data
 * records of 1 s, one annotation signal.  The tests and the benchmarks use it
 * to replay a file shaped like the field's beside lsrmon's own recording of
 * the same session.
 *
 * usage: edflib_copy IN.bdf|IN.edf OUT.bdf|OUT.edf [EDF_RANGE_UV]
 * IN is read with EDFlib.  OUT holds IN's whole seconds only (EDFlib writes
 * whole records), every signal at IN's rate with IN's labels, dimension,
 * prefilter, patient and start time, and IN's annotations handed to
 * edfwrite_annotation_utf8, which keeps at most one per record and cuts
 * each text to 40 bytes (docs/api-notes.md, B3).  A .bdf OUT keeps IN's
 * digital values and ranges exactly; a .edf OUT stores the signals over
 * ±EDF_RANGE_UV (default 5000, lsrmon's edf_range_uv) in 16 bits, and a
 * Trigger or Status channel digital value for value.
 * stdout: "records N annotations M" (M as handed over, not as kept). */
#include <edflib.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A space-padded EDFlib header field, trimmed into out. */
static void trim(char *out, size_t cap, const char *in)
{
	size_t n = strlen(in);
	while (n && in[n - 1] == ' ')
		n--;
	if (n >= cap)
		n = cap - 1;
	memcpy(out, in, n);
	out[n] = 0;
}

static bool is_trigger(const char *label)
{
	return !strcmp(label, "Trigger") || !strcmp(label, "Status");
}

static bool ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), t = strlen(tail);
	return n >= t && !strcmp(s + n - t, tail);
}

int main(int argc, char **argv)
{
	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: edflib_copy IN.bdf|IN.edf OUT.bdf|OUT.edf [EDF_RANGE_UV]\n");
		return 2;
	}
	bool bdf = ends_with(argv[2], ".bdf");
	if (!bdf && !ends_with(argv[2], ".edf")) {
		fprintf(stderr, "edflib_copy: %s: the name must end in .bdf or .edf\n", argv[2]);
		return 2;
	}
	double range = argc > 3 ? atof(argv[3]) : 5000.0;
	if (!(range >= 1.0 && range <= 1e6)) {
		fprintf(stderr, "edflib_copy: EDF_RANGE_UV must be 1 to 1000000\n");
		return 2;
	}
	static struct edf_hdr_struct h;
	if (edfopen_file_readonly(argv[1], &h, EDFLIB_READ_ALL_ANNOTATIONS) != 0) {
		fprintf(stderr, "edflib_copy: %s: EDFlib cannot read it (error %d)\n", argv[1], h.filetype);
		return 2;
	}
	int in = h.handle, ns = h.edfsignals;
	long long rec = h.datarecord_duration; /* 100 ns */
	int rate[EDFLIB_MAXSIGNALS];
	bool trig[EDFLIB_MAXSIGNALS];
	int maxrate = 0;
	for (int i = 0; i < ns; i++) {
		long long spr = h.signalparam[i].smp_in_datarecord;
		if (rec <= 0 || spr * EDFLIB_TIME_DIMENSION % rec) {
			fprintf(stderr, "edflib_copy: %s: signal %d has no whole rate per second\n", argv[1], i);
			return 2;
		}
		rate[i] = (int)(spr * EDFLIB_TIME_DIMENSION / rec);
		maxrate = rate[i] > maxrate ? rate[i] : maxrate;
		char label[32];
		trim(label, sizeof label, h.signalparam[i].label);
		trig[i] = is_trigger(label);
	}
	long long seconds = h.file_duration / EDFLIB_TIME_DIMENSION;
	if (seconds < 1 || ns < 1) {
		fprintf(stderr, "edflib_copy: %s: less than one second of signal\n", argv[1]);
		return 2;
	}
	int out = edfopen_file_writeonly(argv[2], bdf ? EDFLIB_FILETYPE_BDFPLUS : EDFLIB_FILETYPE_EDFPLUS, ns);
	if (out < 0) {
		fprintf(stderr, "edflib_copy: %s: EDFlib cannot create it (error %d)\n", argv[2], out);
		return 1;
	}
	int ok = 0;
	for (int i = 0; i < ns; i++) {
		const struct edf_param_struct *p = &h.signalparam[i];
		char label[32], dim[16], pre[96];
		trim(label, sizeof label, p->label);
		trim(dim, sizeof dim, p->physdimension);
		trim(pre, sizeof pre, p->prefilter);
		ok |= edf_set_samplefrequency(out, i, rate[i]);
		ok |= edf_set_label(out, i, label);
		ok |= edf_set_physical_dimension(out, i, dim);
		ok |= edf_set_prefilter(out, i, pre);
		if (bdf) {
			ok |= edf_set_digital_maximum(out, i, p->dig_max);
			ok |= edf_set_digital_minimum(out, i, p->dig_min);
			ok |= edf_set_physical_maximum(out, i, p->phys_max);
			ok |= edf_set_physical_minimum(out, i, p->phys_min);
		} else if (trig[i]) {
			ok |= edf_set_digital_maximum(out, i, 32767);
			ok |= edf_set_digital_minimum(out, i, -32768);
			ok |= edf_set_physical_maximum(out, i, 32767);
			ok |= edf_set_physical_minimum(out, i, -32768);
		} else {
			ok |= edf_set_digital_maximum(out, i, 32767);
			ok |= edf_set_digital_minimum(out, i, -32768);
			ok |= edf_set_physical_maximum(out, i, range);
			ok |= edf_set_physical_minimum(out, i, -range);
		}
	}
	char patient[96];
	trim(patient, sizeof patient, h.patient_name);
	ok |= edf_set_patientname(out, patient);
	/* The equipment says what made the recording (a simulation says so). */
	char equipment[96];
	trim(equipment, sizeof equipment, h.equipment);
	ok |= edf_set_equipment(out, equipment);
	ok |= edf_set_startdatetime(out, h.startdate_year, h.startdate_month, h.startdate_day,
	                            h.starttime_hour, h.starttime_minute, h.starttime_second);
	ok |= edf_set_subsecond_starttime(out, (int)h.starttime_subsecond);
	if (ok) {
		fprintf(stderr, "edflib_copy: %s: EDFlib refused the header\n", argv[2]);
		edfclose_file(out);
		return 1;
	}
	int *dig = malloc((size_t)maxrate * sizeof *dig);
	double *phys = malloc((size_t)maxrate * sizeof *phys);
	if (!dig || !phys) {
		fprintf(stderr, "edflib_copy: out of memory\n");
		edfclose_file(out);
		return 1;
	}
	for (long long s = 0; s < seconds; s++) {
		for (int i = 0; i < ns; i++) {
			bool as_phys = !bdf && !trig[i];
			int got = as_phys ? edfread_physical_samples(in, i, rate[i], phys)
			                  : edfread_digital_samples(in, i, rate[i], dig);
			if (got != rate[i]) {
				fprintf(stderr, "edflib_copy: %s: read error at %lld s\n", argv[1], s);
				edfclose_file(out);
				return 1;
			}
			if ((as_phys ? edfwrite_physical_samples(out, phys)
			             : edfwrite_digital_samples(out, dig)) != 0) {
				fprintf(stderr, "edflib_copy: %s: write error at %lld s\n", argv[2], s);
				edfclose_file(out);
				return 1;
			}
		}
	}
	long long nannot = 0;
	for (long long k = 0; k < h.annotations_in_file; k++) {
		struct edf_annotation_struct a;
		if (edf_get_annotation(in, (int)k, &a) != 0)
			break;
		if (a.onset >= seconds * EDFLIB_TIME_DIMENSION)
			continue;
		long long dur = a.duration_l > 0 ? a.duration_l / 1000 : -1;
		if (edfwrite_annotation_utf8(out, a.onset / 1000, dur, a.annotation) != 0) {
			fprintf(stderr, "edflib_copy: %s: annotation %lld refused\n", argv[2], k);
			edfclose_file(out);
			return 1;
		}
		nannot++;
	}
	free(dig);
	free(phys);
	edfclose_file(in);
	if (edfclose_file(out) != 0) {
		fprintf(stderr, "edflib_copy: %s: close failed\n", argv[2]);
		return 1;
	}
	printf("records %lld annotations %lld\n", seconds, nannot);
	return 0;
}
