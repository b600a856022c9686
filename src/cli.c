/* src/cli.c — getopt_long parsing of the command line; every value is
 * checked here so a bad one exits 2 before anything is opened. */
#include <float.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "number.h"
#include "params.h"
#include "sim.h"

enum {
	OPT_SPEED = 256, OPT_PAUSE_AT, OPT_SCENARIO, OPT_SEED, OPT_DURATION,
	OPT_CAPTURE, OPT_FORCE, OPT_PATIENT, OPT_CASE, OPT_REPORT, OPT_OSC, OPT_OSC_SWEEPS,
	OPT_OSC_LISTEN, OPT_HEADLESS, OPT_MONTAGE, OPT_MARK, OPT_SET, OPT_REPAIR,
	OPT_LIST_PORTS, OPT_LIST_DRIVERS, OPT_VERSION,
};

static const struct option long_opts[] = {
	{ "port", required_argument, NULL, 'p' },
	{ "driver", required_argument, NULL, 'd' },
	{ "baud", required_argument, NULL, 'b' },
	{ "replay", required_argument, NULL, 'r' },
	{ "speed", required_argument, NULL, OPT_SPEED },
	{ "pause-at", required_argument, NULL, OPT_PAUSE_AT },
	{ "scenario", required_argument, NULL, OPT_SCENARIO },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "duration", required_argument, NULL, OPT_DURATION },
	{ "record", required_argument, NULL, 'o' },
	{ "capture", required_argument, NULL, OPT_CAPTURE },
	{ "force", no_argument, NULL, OPT_FORCE },
	{ "patient", required_argument, NULL, OPT_PATIENT },
	{ "case", required_argument, NULL, OPT_CASE },
	{ "report", required_argument, NULL, OPT_REPORT },
	{ "osc", required_argument, NULL, OPT_OSC },
	{ "osc-sweeps", no_argument, NULL, OPT_OSC_SWEEPS },
	{ "osc-listen", required_argument, NULL, OPT_OSC_LISTEN },
	{ "headless", no_argument, NULL, OPT_HEADLESS },
	{ "layout", required_argument, NULL, 'l' },
	{ "montage", required_argument, NULL, OPT_MONTAGE },
	{ "mark", required_argument, NULL, OPT_MARK },
	{ "set", required_argument, NULL, OPT_SET },
	{ "repair", required_argument, NULL, OPT_REPAIR },
	{ "list-ports", no_argument, NULL, OPT_LIST_PORTS },
	{ "list-drivers", no_argument, NULL, OPT_LIST_DRIVERS },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static const char usage[] =
"Usage: lsrmon [OPTION]...\n"
"Monitor the lateral spread response (LSR) during microvascular decompression.\n"
"\n"
"Source (one; with none, the built-in simulated patient runs):\n"
"  -p, --port PORT          serial port: /dev/ttyACM0, /dev/serial/by-id/..., a pty\n"
"  -d, --driver NAME        lsrb (default with --port), ascii, openbci, sim\n"
"  -b, --baud N             default: the driver's own (lsrb, ascii 921600; openbci 115200)\n"
"  -r, --replay FILE        a recording (.bdf, .edf) or a raw capture (.lsrb, .txt, .obci)\n"
"      --speed X            replay/sim pace: 0.25 ... 64, or max; default 1 on screen,\n"
"                           max with --headless\n"
"      --pause-at SECONDS   stop the source at that stream time and hold\n"
"      --scenario NAME      sim: classic (default), premature, persistent, partial,\n"
"                           stim-failure, noisy, no-sync\n"
"      --seed N             sim: random seed\n"
"      --duration S         sim: length of the scripted case, >= 60 (default 300)\n"
"\n"
"Outputs:\n"
"  -o, --record FILE        record the session: BDF+ (.bdf, 24-bit) or EDF+ (.edf)\n"
"      --capture FILE       also keep the exact bytes read from the port\n"
"      --force              allow --record/--capture/--report to replace existing files\n"
"      --patient TEXT       patient field of the recording (default \"X X X X\")\n"
"      --case FILE          case details for the recording and the report (INI,\n"
"                           section [case]: patient, procedure, side, surgeon,\n"
"                           neurophysiologist, anaesthesia, electrodes, notes)\n"
"      --report STEM        write <stem>.pdf and <stem>.txt when the session ends\n"
"      --osc URL            send events as OSC, e.g. osc.udp://127.0.0.1:9000/ (repeatable)\n"
"      --osc-sweeps         also send each sweep's samples as OSC blobs\n"
"      --osc-listen [ADDR:]PORT  accept /lsrmon/mark from OSC (default 127.0.0.1)\n"
"      --headless           no screen: events as JSON Lines on stdout\n"
"  -l, --layout NAME|FILE   screen layout (default standard)\n"
"\n"
"Detector:\n"
"      --montage SPEC       channel roles, e.g. 0:lsr,1:lsr,2:control,3:other\n"
"      --mark SECONDS:LABEL operator mark at a stream time (repeatable)\n"
"      --set KEY=VALUE      set a detector parameter (see lsrmon(1))\n"
"\n"
"Recording tools:\n"
"      --repair FILE        write FILE's valid copy, <stem>.repaired.<ext>\n"
"\n"
"Other: --list-ports, --list-drivers, --version, --help\n"
"Exit status: 0 success, 1 runtime failure, 2 bad usage or bad input.\n";

const char *lsr_cli_usage(void) { return usage; }

static int fail(char *err, size_t errlen, const char *opt, const char *val, const char *why)
{
	snprintf(err, errlen, "%s '%s': %s", opt, val, why);
	return -1;
}

static int add_mark(struct lsr_options *o, const char *arg, char *err, size_t errlen)
{
	const char *colon = strchr(arg, ':');
	if (!colon)
		return fail(err, errlen, "--mark", arg, "expected SECONDS:LABEL");
	char secs[64];
	size_t n = (size_t)(colon - arg);
	if (n == 0 || n >= sizeof secs)
		return fail(err, errlen, "--mark", arg, "expected SECONDS:LABEL");
	memcpy(secs, arg, n);
	secs[n] = '\0';
	double t;
	int r = lsr_number_real(secs, 0, DBL_MAX, &t);
	if (r < 0)
		return lsr_number_explain(err, errlen, "--mark", arg, r, "SECONDS:LABEL, SECONDS >= 0");
	const char *label = colon + 1;
	if (!*label || strlen(label) >= LSR_MARK_LABEL_MAX)
		return fail(err, errlen, "--mark", arg, "the label must be 1-127 bytes");
	struct lsr_cli_mark *m = realloc(o->marks, (size_t)(o->nmarks + 1) * sizeof *m);
	if (!m)
		return fail(err, errlen, "--mark", arg, "out of memory");
	o->marks = m;
	m[o->nmarks].t = t;
	snprintf(m[o->nmarks].label, LSR_MARK_LABEL_MAX, "%s", label);
	o->nmarks++;
	return 0;
}

static int add_set(struct lsr_options *o, const char *arg, char *err, size_t errlen)
{
	struct lsr_params scratch;
	lsr_params_defaults(&scratch);
	char why[200];
	if (lsr_params_set_kv(&scratch, arg, why, sizeof why) < 0)
		return fail(err, errlen, "--set", arg, why);
	const char **s = realloc(o->sets, (size_t)(o->nsets + 1) * sizeof *s);
	if (!s)
		return fail(err, errlen, "--set", arg, "out of memory");
	o->sets = s;
	s[o->nsets++] = arg;
	return 0;
}

/* A number option's value: R is lsr_number_*'s status, RANGE its words. */
static int refused(int r, const char *opt, const char *arg, const char *range,
                   char *err, size_t errlen)
{
	return r < 0 ? lsr_number_explain(err, errlen, opt, arg, r, range) : 0;
}

static int parse_one(struct lsr_options *o, int c, const char *arg, char *err, size_t errlen)
{
	double v;
	int n;
	switch (c) {
	case 'p': o->port = arg; return 0;
	case 'd': o->driver = arg; return 0;
	case 'r': o->replay = arg; return 0;
	case 'o': o->record = arg; return 0;
	case 'l': o->layout = arg; return 0;
	case 'b':
		if (refused(lsr_number_int(arg, 50, 20000000, &n), "--baud", arg,
		            "50-20000000 bits per second", err, errlen))
			return -1;
		o->baud = (int)n;
		return 0;
	case OPT_SPEED:
		if (strcmp(arg, "max") == 0) {
			o->speed = 0;
			return 0;
		}
		if (refused(lsr_number_real(arg, 0.25, 64, &v), "--speed", arg, "0.25-64, or max",
		            err, errlen))
			return -1;
		o->speed = v;
		return 0;
	case OPT_PAUSE_AT:
		if (refused(lsr_number_real(arg, 0, DBL_MAX, &v), "--pause-at", arg, "seconds >= 0",
		            err, errlen))
			return -1;
		o->pause_at = v;
		return 0;
	case OPT_SCENARIO: o->scenario = arg; return 0;
	case OPT_SEED:
		if (refused(lsr_number_parse(arg, strlen(arg), LSR_NUMBER_INTEGER, 0, 9007199254740992.0, &v),
		            "--seed", arg, "a whole number 0-2^53", err, errlen))
			return -1;
		o->seed = (uint64_t)v;
		return 0;
	case OPT_DURATION:
		if (refused(lsr_number_real(arg, 60, 7 * 86400, &v), "--duration", arg,
		            "60-604800 seconds", err, errlen))
			return -1;
		o->duration = v;
		return 0;
	case OPT_CAPTURE: o->capture = arg; return 0;
	case OPT_FORCE: o->force = true; return 0;
	case OPT_PATIENT: o->patient = arg; return 0;
	case OPT_CASE: o->case_file = arg; return 0;
	case OPT_REPORT: o->report = arg; return 0;
	case OPT_OSC:
		if (o->nosc >= LSR_MAX_OSC)
			return fail(err, errlen, "--osc", arg, "too many destinations (at most 16)");
		o->osc[o->nosc++] = arg;
		return 0;
	case OPT_OSC_SWEEPS: o->osc_sweeps = true; return 0;
	case OPT_OSC_LISTEN: o->osc_listen = arg; return 0;
	case OPT_HEADLESS: o->headless = true; return 0;
	case OPT_MONTAGE: o->montage = arg; return 0;
	case OPT_MARK: return add_mark(o, arg, err, errlen);
	case OPT_SET: return add_set(o, arg, err, errlen);
	case OPT_REPAIR: o->repair = arg; return 0;
	case OPT_LIST_PORTS: o->list_ports = true; return 0;
	case OPT_LIST_DRIVERS: o->list_drivers = true; return 0;
	case OPT_VERSION: o->version = true; return 0;
	case 'h': o->help = true; return 0;
	}
	return -1;
}

/* Combinations that cannot mean anything. */
static int check_combination(const struct lsr_options *o, char *err, size_t errlen)
{
	if (o->port && o->replay) {
		snprintf(err, errlen, "--port and --replay: choose one source");
		return -1;
	}
	if (o->scenario) {
		bool known = false;
		for (int i = 0; lsr_sim_scenarios[i]; i++)
			known |= strcmp(o->scenario, lsr_sim_scenarios[i]) == 0;
		if (!known)
			return fail(err, errlen, "--scenario", o->scenario,
			            "unknown scenario (classic, premature, persistent, partial, stim-failure, noisy, no-sync)");
		if (o->port || o->replay) {
			snprintf(err, errlen, "--scenario applies only to the simulated patient");
			return -1;
		}
	}
	if (o->capture && !o->port) {
		snprintf(err, errlen, "--capture keeps the bytes of a --port: give one");
		return -1;
	}
	if (o->osc_sweeps && o->nosc == 0) {
		snprintf(err, errlen, "--osc-sweeps needs an --osc destination");
		return -1;
	}
	if (o->port && o->pause_at >= 0) {
		snprintf(err, errlen, "--pause-at applies to replay and the simulated patient, not a live --port");
		return -1;
	}
	if (o->port && o->speed >= 0) {
		snprintf(err, errlen, "--speed applies to replay and the simulated patient, not a live --port");
		return -1;
	}
	return 0;
}

/* --case FILE, then --patient as its patient: both naming one is refused,
 * since a report must never show a name the other contradicts. */
static int read_case(struct lsr_options *o, char *err, size_t errlen)
{
	if (o->case_file && lsr_case_details_load(&o->case_details, o->case_file, err, errlen) < 0)
		return -1;
	if (!o->patient)
		return 0;
	if (o->case_details.value[LSR_CASE_PATIENT][0]) {
		snprintf(err, errlen, "--patient and the patient of --case %s: give the patient once",
		         o->case_file);
		return -1;
	}
	char e[200];
	if (lsr_case_details_set(&o->case_details, "patient", o->patient, e, sizeof e) < 0) {
		snprintf(err, errlen, "--patient: %s", e);
		return -1;
	}
	return 0;
}

int lsr_cli_parse(int argc, char **argv, struct lsr_options *o, char *err, size_t errlen)
{
	memset(o, 0, sizeof *o);
	o->speed = -1;
	o->pause_at = -1;
	o->duration = 300;
	opterr = 0;
	/* 0, not 1: glibc then also forgets where it was inside a cluster of
	 * short options ("-hx") from an earlier call, whose argv may be gone. */
	optind = 0;
	int c;
	while ((c = getopt_long(argc, argv, ":p:d:b:r:o:l:h", long_opts, NULL)) != -1) {
		if (c == '?') {
			if (optopt)
				snprintf(err, errlen, "unknown option '-%c'", optopt);
			else
				snprintf(err, errlen, "unknown option '%s'", argv[optind - 1]);
			return -1;
		}
		if (c == ':') {
			snprintf(err, errlen, "option '%s' needs a value", argv[optind - 1]);
			return -1;
		}
		if (parse_one(o, c, optarg, err, errlen) < 0)
			return -1;
	}
	if (optind < argc) {
		snprintf(err, errlen, "unexpected argument '%s'", argv[optind]);
		return -1;
	}
	if (check_combination(o, err, errlen) < 0)
		return -1;
	return read_case(o, err, errlen);
}

void lsr_options_free(struct lsr_options *o)
{
	free(o->marks);
	free(o->sets);
	o->marks = NULL;
	o->sets = NULL;
}
