/* src/session.c — the data path: source → stream clock → detector and
 * sinks.  Keeps stream time (docs/interface.md "Time") across lost samples,
 * outages and configuration changes, and turns CLI, device and recording
 * marks into detector marks. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "capture_writer.h"
#include "clock.h"
#include "montage.h"
#include "session_priv.h"
#include "source_capture.h"
#include "source_edf.h"
#include "session_ui.h"
#include "source_gen.h"
#include "source_port.h"

static void on_alarm(void *ctx, const char *what, const char *text);

static double stream_t(const struct lsr_session *s, int64_t index)
{
	return s->cfg.rate > 0 ? (double)index / s->cfg.rate : 0.0;
}

static void emit_one(struct lsr_session *s, struct lsr_event *ev)
{
	lsr_bus_emit_one(&s->bus, ev);
}

static void emit_gap(struct lsr_session *s, int64_t samples)
{
	struct lsr_event ev = { .type = LSR_EV_GAP, .t = stream_t(s, s->stream_next) };
	ev.gap.samples = samples;
	emit_one(s, &ev);
}

/* Roles by precedence: --montage over the layout's [montage] over the
 * labels with stim_branch. */
static int assign_roles(struct lsr_session *s, char *err, size_t errlen)
{
	const char *labels[LSR_MAX_CHANNELS];
	for (int c = 0; c < s->cfg.channels; c++)
		labels[c] = s->cfg.labels[c];
	lsr_montage_from_labels(s->cfg.channels, labels, s->params.stim_branch, s->roles);
	lsr_layout_apply_montage(&s->layout, &s->cfg, s->roles);
	int rc = lsr_montage_apply(&s->montage, s->cfg.channels, s->roles, err, errlen);
	for (int c = 0; c < s->cfg.channels; c++)
		s->chinfo[c] = (struct lsr_channel_info){ c, s->cfg.labels[c], s->roles[c] };
	return rc;
}

/* A simulation can never pass for a patient: the simulator itself, the
 * fake amplifier, or a recording of either says so in its device text
 * (man/lsrmon.1, SIMULATION). */
static void emit_start(struct lsr_session *s)
{
	const char *warnings[9];
	int nwarn = lsr_detector_warnings(s->det, warnings, 8);
	bool sim = lsr_stream_config_simulated(&s->cfg);
	if (sim)
		warnings[nwarn++] = LSR_SIMULATION_TEXT;
	struct lsr_event ev = { .type = LSR_EV_START, .t = stream_t(s, s->stream_next) };
	ev.start.segment = s->segment;
	ev.start.source = s->src->ops->kind;
	ev.start.driver = s->src->ops->driver_name(s->src->st);
	ev.start.sim_patient = s->opt->sim_patient;
	ev.start.rate = s->cfg.rate;
	ev.start.nch = s->cfg.channels;
	ev.start.channels = s->chinfo;
	ev.start.params = &s->params;
	ev.start.nwarn = nwarn;
	ev.start.warnings = warnings;
	ev.start.simulation = sim;
	emit_one(s, &ev);
}

static void on_config(void *ctx, const struct lsr_stream_config *cfg, enum lsr_segment_reason why)
{
	struct lsr_session *s = ctx;
	char err[256];
	(void)why;
	if (s->have_config) {
		/* A new segment continues the stream clock at the new rate. */
		double t = stream_t(s, s->stream_next);
		lsr_detector_flush(s->det);
		s->stream_next = (int64_t)llround(t * cfg->rate);
	}
	s->cfg = *cfg;
	s->segment++;
	s->seg_has_block = false;
	s->last_marks = 0;
	if (assign_roles(s, err, sizeof err) < 0) {
		/* A --montage that does not fit this stream: say so, keep the
		 * label-derived roles, and keep monitoring. */
		struct lsr_event ev = { .type = LSR_EV_ALARM, .t = stream_t(s, s->stream_next) };
		ev.alarm.what = "montage";
		ev.alarm.text = err;
		emit_one(s, &ev);
	}
	int rc = s->det ? lsr_detector_segment(s->det, &s->cfg, s->roles, err, sizeof err)
	                : ((s->det = lsr_detector_new(&s->params, &s->cfg, s->roles, &s->bus.as_sink,
	                                              err, sizeof err)) ? 0 : -1);
	if (rc < 0) {
		fprintf(stderr, "lsrmon: %s\n", err);
		s->stop = true;
		s->exit_code = 1;
		return;
	}
	s->have_config = true;
	if (!s->have_origin) {
		/* One wall clock for the screen, the recording and the report
		 * (clock.h); a replayed recording keeps its own start. */
		double start = s->src->ops->wall_start ? s->src->ops->wall_start(s->src->st) : 0;
		s->wall_origin = lsr_clock_origin(start, stream_t(s, s->stream_next), s->rec != NULL);
		s->have_origin = true;
		long utc = lsr_clock_utc_offset(s->wall_origin);
		if (s->src->ops->utc_offset)
			s->src->ops->utc_offset(s->src->st, &utc);
		if (s->report)
			lsr_report_set_origin(s->report, s->wall_origin, utc, cfg->device);
	}
	/* Before start: its annotation belongs to the new segment's file. */
	if (s->rec && stream_t(s, s->stream_next) >= s->high_water_t)
		lsr_recorder_segment(s->rec, &s->cfg, s->chinfo, s->cfg.channels, &s->params,
		                     stream_t(s, s->stream_next), s->wall_origin);
	lsr_session_ui_config(s);
	emit_start(s);
}

/* Marks whose time has come (before samples at or after it are fed): the
 * command line's, and after a replay seek the operator's own, in stream
 * time order. */
static void apply_marks(struct lsr_session *s, double until_t)
{
	const struct lsr_options *o = s->opt;
	for (;;) {
		const struct lsr_cli_mark *c = s->next_cli_mark < o->nmarks ? &o->marks[s->next_cli_mark] : NULL;
		bool op = s->next_op_mark < s->nop_marks && s->op_marks[s->next_op_mark].t <= until_t &&
		          (!c || s->op_marks[s->next_op_mark].t < c->t);
		if (op) {
			int i = s->next_op_mark++;
			lsr_detector_mark(s->det, s->op_marks[i].t, s->op_marks[i].label, s->op_marks[i].origin);
		} else if (c && c->t <= until_t) {
			s->next_cli_mark++;
			lsr_detector_mark(s->det, c->t, c->label, LSR_ORIGIN_CLI);
		} else {
			return;
		}
	}
}

/* The device's event button (mark bit 1) as a mark; recordings carry their
 * marks as annotations instead, so replay of a recording ignores the bit. */
static void scan_button(struct lsr_session *s, const struct lsr_block *blk, int64_t index)
{
	uint8_t prev = s->last_marks;
	for (int i = 0; i < blk->nsamp; i++) {
		uint8_t m = blk->marks[i];
		if ((m & LSR_MARK_BUTTON) && !(prev & LSR_MARK_BUTTON))
			lsr_detector_mark(s->det, stream_t(s, index + i), s->params.button_label,
			                  LSR_ORIGIN_DEVICE);
		prev = m;
	}
}

/* The recorder takes every stream sample once: after a replay seek back,
 * only what lies beyond what it already has. */
static void record_block(struct lsr_session *s, const struct lsr_block *b)
{
	int skip = s->rec_next > s->stream_next ? (int)(s->rec_next - s->stream_next) : 0;
	if (skip >= b->nsamp)
		return;
	struct lsr_block part = *b;
	part.nsamp -= skip;
	part.samples += skip;
	part.marks += skip;
	lsr_recorder_block(s->rec, s->stream_next + skip, &part);
	s->rec_next = s->stream_next + b->nsamp;
}

static void on_block(void *ctx, const struct lsr_block *blk)
{
	struct lsr_session *s = ctx;
	if (!s->have_config || s->held || s->stop || blk->nsamp <= 0)
		return;
	if (s->outage) {
		/* Across a disconnect, t advances by the outage's wall-clock length. */
		int64_t n = (int64_t)llround((lsr_clock_mono() - s->outage_since) * s->cfg.rate);
		s->outage = false;
		if (n > 0) {
			emit_gap(s, n);
			s->stream_next += n;
			lsr_detector_time(s->det, stream_t(s, s->stream_next));
		}
		s->seg_has_block = false;
	}
	if (s->seg_has_block && blk->index > s->dev_next) {
		int64_t lost = (int64_t)(blk->index - s->dev_next);
		emit_gap(s, lost);
		s->stream_next += lost;
	}
	s->seg_has_block = true;

	struct lsr_block b = *blk;
	if (s->pause_at >= 0) {
		int64_t stop_index = (int64_t)llround(s->pause_at * s->cfg.rate);
		if (s->stream_next + b.nsamp >= stop_index) {
			b.nsamp = (int)(stop_index - s->stream_next > 0 ? stop_index - s->stream_next : 0);
			s->held = true;
		}
	}
	if (b.nsamp > 0) {
		double t_end = stream_t(s, s->stream_next + b.nsamp);
		/* After a replay seek: what the files, stdout and OSC already
		 * have is recomputed for the screen only. */
		s->bus.mute_external = t_end <= s->high_water_t;
		apply_marks(s, stream_t(s, s->stream_next + b.nsamp - 1));
		if (!s->src->ops->button_from_annotations)
			scan_button(s, &b, s->stream_next);
		if (s->rec) /* the samples before the events they cause */
			record_block(s, &b);
		lsr_detector_feed(s->det, s->stream_next, &b, s->cfg.rate);
		if (s->measured.sync_lost != s->sync_lost_said) {
			s->sync_lost_said = s->measured.sync_lost;
			char text[160];
			snprintf(text, sizeof text,
			         "sync line lost at %.3f s: stimulus artifacts go on without sync edges%s",
			         s->measured.sync_lost_t,
			         s->params.stim_source == LSR_STIM_SOURCE_AUTO ? "; stimuli now found from the artifact" : "");
			on_alarm(s, "sync_lost", text);
		}
		lsr_session_ui_block(s, s->stream_next, &b);
		s->last_marks = b.marks[b.nsamp - 1];
		s->stream_next += b.nsamp;
		if (t_end > s->high_water_t)
			s->high_water_t = t_end;
	}
	s->dev_next = blk->index + (uint64_t)blk->nsamp;
	lsr_session_seek_progress(s);
}

static void on_label(void *ctx, uint64_t index, const char *label)
{
	struct lsr_session *s = ctx;
	if (!s->have_config || s->held)
		return;
	int64_t at = s->stream_next;
	if (s->seg_has_block)
		at += (int64_t)(index - s->dev_next);
	enum lsr_mark_origin origin = strcmp(s->src->ops->kind, "sim") == 0 ? LSR_ORIGIN_DEVICE
	                                                                     : LSR_ORIGIN_RECORDING;
	lsr_detector_mark(s->det, stream_t(s, at), label, origin);
}

static void on_link(void *ctx, enum lsr_link_status status)
{
	struct lsr_session *s = ctx;
	if (status == LSR_LINK_DISCONNECTED && !s->outage) {
		s->outage = true;
		s->outage_since = lsr_clock_mono();
	}
	struct lsr_event ev = { .type = LSR_EV_LINK, .t = stream_t(s, s->stream_next) };
	ev.link.status = status;
	emit_one(s, &ev);
}

static void on_alarm(void *ctx, const char *what, const char *text)
{
	struct lsr_session *s = ctx;
	struct lsr_event ev = { .type = LSR_EV_ALARM, .t = stream_t(s, s->stream_next) };
	ev.alarm.what = what;
	ev.alarm.text = text;
	emit_one(s, &ev);
}

/* --capture: the port's bytes as read; a disk fault is alarmed once and
 * makes the exit status 1, monitoring goes on. */
static void on_raw(void *ctx, const uint8_t *buf, size_t n)
{
	struct lsr_session *s = ctx;
	char err[512];
	if (s->capture && lsr_capture_writer_write(s->capture, buf, n, err, sizeof err) < 0) {
		on_alarm(s, "disk", err);
		s->exit_code = 1;
	}
}

void lsr_session_mark_now(struct lsr_session *s, const char *label, enum lsr_mark_origin origin)
{
	if (!s->det)
		return;
	double t = stream_t(s, s->stream_next);
	s->bus.mute_external = false; /* a new mark is news everywhere */
	lsr_detector_mark(s->det, t, label, origin);
	if (s->src->ops->rewind)
		lsr_session_remember_mark(s, t, label, origin);
}

static void on_osc_mark(void *ctx, const char *label)
{
	lsr_session_mark_now(ctx, label, LSR_ORIGIN_OSC);
}

void lsr_session_osc_turn(struct lsr_session *s, bool listen_ready)
{
	if (s->osc_in && listen_ready)
		lsr_osc_listen_read(s->osc_in, on_osc_mark, s);
	char what[16], text[256];
	while (s->osc && lsr_osc_poll_alarm(s->osc, what, sizeof what, text, sizeof text))
		on_alarm(s, what, text);
}

void lsr_session_finish(struct lsr_session *s)
{
	if (s->finished)
		return;
	s->finished = true;
	if (s->det) {
		lsr_detector_flush(s->det);
		/* CLI marks after the last sample still belong to the case. */
		apply_marks(s, INFINITY);
	}
	struct lsr_stats stats = { 0 };
	s->src->ops->stats(s->src->st, &stats.drv);
	if (s->json)
		stats.output_dropped = lsr_jsonl_dropped(s->json);
	if (s->osc)
		stats.osc_dropped = lsr_osc_dropped(s->osc);
	/* Rounded here, so JSON and OSC say the same. */
	stats.nhum = s->det ? s->measured.nch : 0;
	stats.mains_hz = s->det ? round(s->measured.mains_hz * 1000) / 1000 : NAN;
	for (int c = 0; c < stats.nhum; c++)
		stats.hum_uv[c] = round(s->measured.hum_uv[c] * 100) / 100;
	/* end comes last even when no valid configuration ever arrived (a
	 * garbage-only port): nothing was judged. */
	struct lsr_event ev = { .type = LSR_EV_END, .t = stream_t(s, s->stream_next) };
	ev.end.final = LSR_FINAL_INDETERMINATE;
	ev.end.final_phase = LSR_PHASE_NONE;
	if (s->det)
		lsr_detector_final(s->det, &ev.end.final, &ev.end.final_phase, &ev.end.stims);
	ev.end.stats = &stats;
	emit_one(s, &ev);
	char err[512];
	if (s->opt->report && lsr_report_write(s->report, s->opt->report, s->opt->force, err, sizeof err) < 0) {
		fprintf(stderr, "lsrmon: %s\n", err);
		s->exit_code = 1;
	}
}

static int cmp_marks(const void *a, const void *b)
{
	double ta = ((const struct lsr_cli_mark *)a)->t, tb = ((const struct lsr_cli_mark *)b)->t;
	return (ta > tb) - (ta < tb);
}

static bool is_recording(const char *path)
{
	const char *dot = path ? strrchr(path, '.') : NULL;
	return dot && (strcasecmp(dot, ".bdf") == 0 || strcasecmp(dot, ".edf") == 0);
}

/* Precedence (docs/interface.md): command line > --layout > a replayed
 * recording's stored settings > the default layout > built-in defaults. */
static int build_params(struct lsr_session *s, char *err, size_t errlen)
{
	lsr_params_defaults(&s->params);
	if (!s->opt->layout && lsr_session_layout(s, err, errlen) < 0)
		return -1;
	if (s->src && s->src->ops->settings) {
		char montage[LSR_MAX_CHANNELS * 16] = "";
		s->src->ops->settings(s->src->st, &s->params, montage, sizeof montage);
		char why[160];
		if (!s->opt->montage && montage[0] &&
		    lsr_montage_parse(montage, &s->montage, why, sizeof why) < 0)
			fprintf(stderr, "lsrmon: %s: stored montage ignored: %s\n", s->opt->replay, why);
	}
	if (s->opt->layout && lsr_session_layout(s, err, errlen) < 0)
		return -1;
	for (int i = 0; i < s->opt->nsets; i++)
		if (lsr_params_set_kv(&s->params, s->opt->sets[i], err, errlen) < 0)
			return -1;
	/* Case details: --case (and --patient) > the replayed recording's own
	 * > the layout's defaults for the team and the room. */
	s->case_details = s->opt->case_details;
	if (s->src && s->src->ops->case_details)
		s->src->ops->case_details(s->src->st, &s->case_details);
	lsr_case_details_fill(&s->case_details, &s->layout.case_defaults);
	s->params.report = &s->measured;
	return lsr_params_check(&s->params, err, errlen);
}

/* The driver of a byte source: --driver, else lsrb for a port and the
 * extension for a raw capture.  A file of any other kind is refused: it is
 * never replaced by the simulated patient (man/lsrmon.1, --replay). */
static const struct lsr_driver *byte_driver(const struct lsr_options *o, char *err, size_t errlen)
{
	const char *name = o->driver ? o->driver : o->port ? "lsrb" : NULL;
	const struct lsr_driver *drv = name ? lsr_driver_find(name) : lsr_driver_for_capture(o->replay);
	if (!drv && name)
		snprintf(err, errlen, "--driver '%s': unknown driver (see --list-drivers)", name);
	else if (!drv)
		snprintf(err, errlen, "--replay %s: not a kind of file lsrmon replays: expected a "
		         "recording (.bdf, .edf) or a raw capture (.lsrb, .txt, .obci; or name its "
		         "driver with --driver)", o->replay);
	else if (!drv->feed)
		snprintf(err, errlen, "--driver '%s' generates its samples: it reads no %s",
		         drv->name, o->port ? "port" : "file");
	return drv && drv->feed ? drv : NULL;
}

/* serial: a live port, or a raw capture replayed through its driver. */
static struct lsr_source *open_serial_source(struct lsr_session *s, char *err, size_t errlen,
                                             int *exit_code)
{
	const struct lsr_options *o = s->opt;
	*exit_code = 2;
	const struct lsr_driver *drv = byte_driver(o, err, errlen);
	if (!drv)
		return NULL;
	if (!o->port)
		return lsr_source_capture_new(o->replay, drv, s->speed, err, errlen);
	s->live = true;
	bool usage = false;
	struct lsr_source *src = lsr_source_port_new(o->port, drv, o->baud, &usage, err, errlen);
	/* A port missing or busy at start is a runtime failure; a file that
	 * is no port at all is bad input. */
	*exit_code = usage ? 2 : 1;
	return src;
}

static struct lsr_source *open_source(struct lsr_session *s, char *err, size_t errlen, int *exit_code)
{
	const struct lsr_options *o = s->opt;
	if (is_recording(o->replay))
		return lsr_source_edf_new(o->replay, s->speed, err, errlen, exit_code);
	if (o->port || o->replay)
		return open_serial_source(s, err, errlen, exit_code);
	const struct lsr_driver *drv = lsr_driver_find(o->driver ? o->driver : "sim");
	if (!drv) {
		snprintf(err, errlen, "--driver '%s': unknown driver (see --list-drivers)", o->driver);
		*exit_code = 2;
		return NULL;
	}
	if (!drv->generate) {
		snprintf(err, errlen, "--driver '%s' reads a port or a capture: give --port or --replay", drv->name);
		*exit_code = 2;
		return NULL;
	}
	struct lsr_driver_opts dopts = { .scenario = o->scenario, .seed = o->seed,
	                                 .duration_s = o->duration, .sim_patient = o->sim_patient };
	struct lsr_source *src = lsr_source_gen_new(drv, &dopts, s->speed, lsr_clock_mono(), err, errlen);
	if (!src)
		*exit_code = 2;
	return src;
}

/* --osc: time tags at real time (a port, or --speed 1); drop rather than
 * wait only with a live port.  --osc-listen: a bad spec is bad usage, a
 * port that cannot be bound a runtime failure. */
static int open_osc(struct lsr_session *s, char *err, size_t errlen, int *exit_code)
{
	const struct lsr_options *o = s->opt;
	if (o->nosc > 0) {
		s->osc = lsr_osc_new(o->osc, o->nosc, o->osc_sweeps, s->live || s->speed == 1.0,
		                     s->live, err, errlen);
		if (!s->osc) {
			*exit_code = 2;
			return -1;
		}
		if (lsr_bus_add(&s->bus, lsr_osc_sink(s->osc)) < 0) {
			snprintf(err, errlen, "--osc: too many outputs");
			*exit_code = 1;
			return -1;
		}
	}
	if (o->osc_listen) {
		s->osc_in = lsr_osc_listen_new(o->osc_listen, err, errlen);
		if (!s->osc_in) {
			*exit_code = errno == EINVAL ? 2 : 1;
			return -1;
		}
	}
	return 0;
}

/* --report: an existing pair without --force is refused before anything
 * starts; the files are written when the session ends.  On screen the
 * collector always runs, for the key R. */
static int open_report(struct lsr_session *s, char *err, size_t errlen, int *exit_code)
{
	const struct lsr_options *o = s->opt;
	if (!o->report && o->headless)
		return 0;
	if (o->report && lsr_report_check(o->report, o->force, err, errlen) < 0) {
		*exit_code = 2;
		return -1;
	}
	struct lsr_report_info info = { .case_details = &s->case_details,
	                                .source = o->port ? o->port : o->replay };
	s->report = lsr_report_new(&info);
	if (!s->report || lsr_bus_add(&s->bus, lsr_report_sink(s->report)) < 0) {
		snprintf(err, errlen, "--report: out of memory");
		*exit_code = 1;
		return -1;
	}
	return 0;
}

struct lsr_session *lsr_session_new(const struct lsr_options *o, char *err,
                                    size_t errlen, int *exit_code)
{
	struct lsr_session *s = calloc(1, sizeof *s);
	if (!s) {
		snprintf(err, errlen, "out of memory");
		*exit_code = 1;
		return NULL;
	}
	s->opt = o;
	s->pause_at = o->pause_at;
	s->speed = o->speed >= 0 ? o->speed : (o->headless ? 0.0 : 1.0);
	if (o->nmarks > 0)
		qsort(o->marks, (size_t)o->nmarks, sizeof o->marks[0], cmp_marks);
	*exit_code = 2;
	if (!o->headless && lsr_session_ui_check(err, errlen) < 0)
		goto fail;
	/* A recording is opened first: its stored settings rank between the
	 * layouts (build_params). */
	if (is_recording(o->replay) && !(s->src = open_source(s, err, errlen, exit_code)))
		goto fail;
	if (build_params(s, err, errlen) < 0)
		goto fail;
	if (o->montage && lsr_montage_parse(o->montage, &s->montage, err, errlen) < 0)
		goto fail;
	if (!s->src && !(s->src = open_source(s, err, errlen, exit_code)))
		goto fail;
	lsr_progress_init(&s->progress, STDERR_FILENO, false);
	if (!o->headless || s->speed != 0 || !s->src->ops->position)
		s->progress.fd = -1;
	if (o->capture && !(s->capture = lsr_capture_writer_open(o->capture, o->force, err, errlen,
	                                                  exit_code)))
		goto fail;
	lsr_bus_init(&s->bus);
	if (o->record) {
		s->rec = lsr_recorder_new(o->record, o->force, &s->case_details, "lsrmon", err, errlen,
		                          exit_code);
		if (!s->rec)
			goto fail;
		lsr_recorder_set_live(s->rec, s->live);
		if (lsr_bus_add(&s->bus, lsr_recorder_sink(s->rec)) < 0) {
			snprintf(err, errlen, "out of memory");
			*exit_code = 1;
			goto fail;
		}
	}
	if (o->headless) {
		s->json = lsr_jsonl_new(STDOUT_FILENO, s->live);
		if (!s->json || lsr_bus_add(&s->bus, lsr_jsonl_sink(s->json)) < 0) {
			snprintf(err, errlen, "out of memory");
			*exit_code = 1;
			goto fail;
		}
	}
	if (open_osc(s, err, errlen, exit_code) < 0 || open_report(s, err, errlen, exit_code) < 0)
		goto fail;
	s->dsink = (struct lsr_source_sink){ s, on_config, on_block, on_label };
	s->env = (struct lsr_source_env){ &s->dsink, s, on_link, on_alarm,
	                                  s->capture ? on_raw : NULL };
	if (!o->headless && lsr_session_ui_open(s, err, errlen) < 0) {
		*exit_code = 1;
		goto fail;
	}
	if (lsr_session_replay_init(s) < 0) {
		snprintf(err, errlen, "out of memory");
		*exit_code = 1;
		goto fail;
	}
	return s;
fail:
	lsr_session_free(s);
	return NULL;
}

void lsr_session_free(struct lsr_session *s)
{
	if (!s)
		return;
	lsr_session_ui_close(s);
	if (s->src)
		s->src->ops->destroy(s->src->st);
	lsr_capture_writer_close(s->capture);
	lsr_detector_free(s->det);
	lsr_recorder_close(s->rec);
	lsr_jsonl_free(s->json);
	lsr_osc_free(s->osc); /* flushes what is queued (end), bounded */
	lsr_osc_listen_free(s->osc_in);
	lsr_report_free(s->report);
	free(s);
}
