/* src/main.c — entry point: parse the command line, answer the one-shot
 * options (--help, --version, --list-*), else run a session. */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "driver.h"
#include "port.h"
#include "repair.h"
#include "session.h"

#ifndef LSR_VERSION
#define LSR_VERSION "0.1.0"
#endif

static int list_drivers(void)
{
	for (int i = 0; lsr_drivers[i]; i++) {
		const struct lsr_driver *d = lsr_drivers[i];
		printf("%-8s %s", d->name, d->summary);
		if (d->default_baud)
			printf(" (%d baud%s%s)", d->default_baud, d->capture_ext ? ", captures " : "",
			       d->capture_ext ? d->capture_ext : "");
		printf("\n");
	}
	return 0;
}

/* Serial ports and their stable /dev/serial/by-id names (src/source/port.c). */
static int list_ports(void)
{
	char err[256];
	if (lsr_port_list(stdout, err, sizeof err) < 0) {
		fprintf(stderr, "lsrmon: %s\n", err);
		return 1;
	}
	return 0;
}

static int repair(const char *path)
{
	char out[4096], msg[640];
	int rc = lsr_repair(path, out, sizeof out, msg, sizeof msg);
	fprintf(rc ? stderr : stdout, "lsrmon: %s\n", msg);
	return rc;
}

int main(int argc, char **argv)
{
	struct lsr_options opt;
	char err[512];
	if (lsr_cli_parse(argc, argv, &opt, err, sizeof err) < 0) {
		fprintf(stderr, "lsrmon: %s\nTry 'lsrmon --help'.\n", err);
		lsr_options_free(&opt);
		return 2;
	}
	int rc = 0;
	if (opt.help)
		fputs(lsr_cli_usage(), stdout);
	else if (opt.version)
		printf("lsrmon %s\n", LSR_VERSION);
	else if (opt.list_drivers)
		rc = list_drivers();
	else if (opt.list_ports)
		rc = list_ports();
	else if (opt.repair)
		rc = repair(opt.repair);
	else {
		struct lsr_session *s = lsr_session_new(&opt, err, sizeof err, &rc);
		if (!s)
			fprintf(stderr, "lsrmon: %s\n", err);
		else
			rc = lsr_session_run(s);
		lsr_session_free(s);
	}
	lsr_options_free(&opt);
	return rc;
}
