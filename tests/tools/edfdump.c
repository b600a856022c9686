/* tests/tools/edfdump.c — what EDFlib's strict reader sees in an EDF+/BDF+
 * file, as text for the cross-reader tests:
 *   H <signals> <records> <record_s>
 *   L <signal> <label> / Q <signal> <quantum>
 *   A <onset_s> <text>           (every annotation)
 *   S <signal> <v0> <v1> …       (physical values, one line per signal)
 * Exit 2 when EDFlib refuses the file (its error code on stderr). */
#include <edflib.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: edfdump FILE\n");
		return 2;
	}
	struct edf_hdr_struct *h = malloc(sizeof *h);
	if (!h)
		return 1;
	if (edfopen_file_readonly(argv[1], h, EDFLIB_READ_ALL_ANNOTATIONS) != 0) {
		fprintf(stderr, "edfdump: EDFlib refuses %s: error %d\n", argv[1], h->filetype);
		free(h);
		return 2;
	}
	int hd = h->handle;
	printf("H %d %lld %.9g\n", h->edfsignals, h->datarecords_in_file,
	       (double)h->datarecord_duration / EDFLIB_TIME_DIMENSION);
	for (int s = 0; s < h->edfsignals; s++) {
		const struct edf_param_struct *p = &h->signalparam[s];
		printf("L %d %s\n", s, p->label);
		printf("Q %d %.12g\n", s, (p->phys_max - p->phys_min) / ((double)p->dig_max - p->dig_min));
	}
	for (long long k = 0; k < h->annotations_in_file; k++) {
		struct edf_annotation_struct a;
		if (edf_get_annotation(hd, (int)k, &a) == 0)
			printf("A %.7f %s\n", (double)a.onset / EDFLIB_TIME_DIMENSION, a.annotation);
	}
	int rc = 0;
	for (int s = 0; s < h->edfsignals; s++) {
		long long n = h->signalparam[s].smp_in_file;
		double *buf = malloc((size_t)(n ? n : 1) * sizeof *buf);
		if (!buf || edfread_physical_samples(hd, s, (int)n, buf) != n) {
			fprintf(stderr, "edfdump: cannot read signal %d\n", s);
			free(buf);
			rc = 1;
			break;
		}
		printf("S %d", s);
		for (long long i = 0; i < n; i++)
			printf(" %.10g", buf[i]);
		printf("\n");
		free(buf);
	}
	edfclose_file(hd);
	free(h);
	return rc;
}
