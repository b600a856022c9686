/* tests/fuzz/fuzz_repair.c — libFuzzer target: the input as a crashed
 * recording for lsrmon --repair.  Every outcome must be one of the
 * documented codes with a message, the input is never modified, and a
 * copy the tool says it repaired must satisfy EDFlib, the strict reader
 * it is made for. */
#include "fuzz_common.h"
#include "repair.h"
#include <edflib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[300];
	snprintf(path, sizeof path, "%s/crashed.%s", fuzz_tmpdir(), size && data[0] == 0xFF ? "bdf" : "edf");
	fuzz_write_file(path, data, size);
	char out[400] = "", err[600] = "";
	int rc = lsr_repair(path, out, sizeof out, err, sizeof err);
	FUZZ_REQUIRE(rc == 0 || rc == 1 || rc == 2);
	FUZZ_REQUIRE(err[0]);
	if (rc == 0) {
		static struct edf_hdr_struct h;
		if (edfopen_file_readonly(out, &h, EDFLIB_READ_ALL_ANNOTATIONS) != 0) {
			fprintf(stderr, "EDFlib refuses the repaired copy: error %d\n", h.filetype);
			FUZZ_REQUIRE(!"repaired copy valid");
		}
		edfclose_file(h.handle);
	}
	if (out[0])
		unlink(out);
	FILE *f = fopen(path, "rb");
	FUZZ_REQUIRE(f);
	uint8_t *back = malloc(size + 1);
	FUZZ_REQUIRE(back);
	FUZZ_REQUIRE(fread(back, 1, size + 1, f) == size && (size == 0 || !memcmp(back, data, size)));
	free(back);
	fclose(f);
	unlink(path);
	return 0;
}
