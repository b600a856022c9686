/* src/cli.h — the command line of docs/interface.md, parsed and validated. */
#ifndef LSR_CLI_H
#define LSR_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "case_details.h"

#define LSR_MAX_OSC 16
#define LSR_MARK_LABEL_MAX 128

struct lsr_cli_mark {
	double t;
	char label[LSR_MARK_LABEL_MAX];
};

struct lsr_options {
	/* source */
	const char *port, *driver, *replay, *scenario;
	int baud;            /* 0 = the driver's own */
	double speed;        /* 0 = max; negative = not given (mode default) */
	double pause_at;     /* negative = not given */
	uint64_t seed;
	double duration;     /* sim, s */
	/* outputs */
	const char *record, *capture, *patient, *report, *layout, *case_file;
	/* --case FILE as read, with --patient as its patient */
	struct lsr_case_details case_details;
	bool force, headless, osc_sweeps;
	const char *osc[LSR_MAX_OSC];
	int nosc;
	const char *osc_listen;
	/* detector */
	const char *montage;
	struct lsr_cli_mark *marks;  /* owned; lsr_options_free */
	int nmarks;
	const char **sets;           /* "KEY=VALUE", validated; applied last */
	int nsets;
	/* tools */
	const char *repair;
	bool list_ports, list_drivers, version, help;
};

/* 0 on success; -1 with a message naming the option in err (exit 2). */
int lsr_cli_parse(int argc, char **argv, struct lsr_options *o, char *err, size_t errlen);
void lsr_options_free(struct lsr_options *o);
/* The --help text. */
const char *lsr_cli_usage(void);

#endif
