/* src/sink/recorder.c — the --record sink: a bounded queue filled by the session,
 * drained by a writer thread that owns the files (see recorder.h). */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "edfwrite.h"
#include "recnotes.h"
#include "recorder.h"
#include "thread.h"

#define ALARMS 8
#define CLIP_ALARM_EVERY_S 10.0
#define SYNC_EVERY_S 0.5

enum kind { M_SEGMENT, M_BLOCK, M_ANNOT };

struct msg {
	struct msg *next;
	enum kind kind;
	bool sticky;            /* annotation repeated at the top of each file */
	size_t cost;
	double t;               /* segment start, annotation time */
	double origin;          /* segment: wall-clock time of stream time 0 */
	int64_t index;
	int n, nch;
	double edf_range;
	struct lsr_stream_config *cfg;
	float *samples;         /* channel-major, stride n */
	uint8_t *marks;
	char *text;
};

struct lsr_recorder {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t work, room;
	/* Shared, under mu. */
	struct msg *head, *tail;
	size_t queued;
	bool closing, live;
	int efd;
	struct { char what[32], text[256]; } alarm[ALARMS];
	int alarm_first, alarm_count;
	struct lsr_recorder_status st;
	/* Session side. */
	struct lsr_sink sink;
	double last_drop_alarm;
	/* Writer side. */
	char *path, *stem, *ext;
	bool bdf, force;
	char *equipment;
	struct lsr_case_details case_details;
	int first_fd;
	bool opened_any;
	struct lsr_edfw *w;
	struct lsr_stream_config cfg;
	double edf_range, seg_t, origin, last_sync, last_clip_alarm;
	int64_t idx0, next;
	bool have_first, stopped;
	uint64_t bytes_closed, clipped_closed;
	struct msg *sticky, *held; /* settings of this segment; notes before any file */
};

/* A recording is a patient's case: owner only, also when --force replaces
 * a file that had wider permissions (open's mode applies only to a new
 * file).  Devices are left alone.  fd, or -1 (errno set). */
static int owner_only(int fd)
{
	struct stat st;
	if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0777) != 0600 &&
	    fchmod(fd, 0600) < 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

/* Caller holds mu. */
static void push_alarm(struct lsr_recorder *r, const char *what, const char *text)
{
	if (r->alarm_count == ALARMS) { /* the oldest gives way */
		r->alarm_first = (r->alarm_first + 1) % ALARMS;
		r->alarm_count--;
	}
	int i = (r->alarm_first + r->alarm_count++) % ALARMS;
	snprintf(r->alarm[i].what, sizeof r->alarm[i].what, "%s", what);
	snprintf(r->alarm[i].text, sizeof r->alarm[i].text, "%s", text);
	uint64_t one = 1;
	if (write(r->efd, &one, sizeof one) < 0) {
		/* only EAGAIN at a saturated counter: the fd is readable anyway */
	}
}

static void msg_free_list(struct msg *m)
{
	while (m) {
		struct msg *n = m->next;
		free(m);
		m = n;
	}
}

static void append(struct msg **list, struct msg *m)
{
	while (*list)
		list = &(*list)->next;
	m->next = NULL;
	*list = m;
}

/* ---- writer thread ---------------------------------------------------- */

static void fail(struct lsr_recorder *r, const char *fmt, ...)
{
	char text[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	if (r->w) {
		r->bytes_closed += lsr_edfw_bytes(r->w);
		lsr_edfw_close(r->w); /* valid up to its last complete record */
		r->w = NULL;
	}
	r->stopped = true;
	pthread_mutex_lock(&r->mu);
	r->st.failed = true;
	r->st.bytes = r->bytes_closed;
	snprintf(r->st.error, sizeof r->st.error, "%s", text);
	push_alarm(r, "disk", text);
	pthread_mutex_unlock(&r->mu);
}

static void check(struct lsr_recorder *r)
{
	if (r->w && lsr_edfw_errno(r->w))
		fail(r, "recording %s stopped: %s", r->st.path, strerror(lsr_edfw_errno(r->w)));
}

static void note(struct lsr_recorder *r, double t, const char *text)
{
	if (r->w) {
		lsr_edfw_annotate(r->w, t - r->seg_t, text);
		check(r);
	}
}

static void close_file(struct lsr_recorder *r)
{
	if (!r->w)
		return;
	r->bytes_closed += lsr_edfw_bytes(r->w);
	r->clipped_closed += lsr_edfw_clipped(r->w);
	int rc = lsr_edfw_close(r->w);
	r->w = NULL;
	if (rc < 0)
		fail(r, "recording %s stopped: %s", r->st.path, strerror(errno));
}

static void open_file(struct lsr_recorder *r)
{
	char path[sizeof r->st.path];
	int no = r->opened_any ? r->st.file_no + 1 : 1, fd;
	if (no == 1) {
		snprintf(path, sizeof path, "%s", r->path);
		fd = r->first_fd;
		r->first_fd = -1;
	} else {
		snprintf(path, sizeof path, "%s-%d%s", r->stem, no, r->ext);
		fd = owner_only(open(path, O_WRONLY | O_CREAT | O_CLOEXEC | (r->force ? O_TRUNC : O_EXCL), 0600));
	}
	r->opened_any = true;
	pthread_mutex_lock(&r->mu);
	snprintf(r->st.path, sizeof r->st.path, "%s", path);
	r->st.file_no = no;
	pthread_mutex_unlock(&r->mu);
	if (fd < 0) {
		fail(r, "cannot create %s: %s", path, strerror(errno));
		return;
	}
	struct lsr_edfw_opts o = {
		.bdf = r->bdf, .rate = r->cfg.rate, .channels = r->cfg.channels,
		.labels = (const char (*)[LSR_LABEL_MAX])r->cfg.labels,
		.uv_per_lsb = r->cfg.uv_per_lsb, .full_scale_uv = r->cfg.full_scale_uv,
		.edf_range_uv = r->edf_range, .prefilter = r->cfg.prefilter,
		.patient = r->case_details.value[LSR_CASE_PATIENT],
		.technician = r->case_details.value[LSR_CASE_NEUROPHYSIOLOGIST],
		.equipment = r->equipment, .start = (time_t)floor(r->origin + r->seg_t),
		.simulation = lsr_stream_config_simulated(&r->cfg),
	};
	char err[160];
	r->w = lsr_edfw_open(fd, &o, err, sizeof err);
	if (!r->w) {
		fail(r, "recording %s: %s", path, err);
		return;
	}
	/* The first annotation of a simulated case says what it is. */
	if (o.simulation)
		lsr_edfw_annotate(r->w, 0, LSR_RECNOTES_PREFIX LSR_SIMULATION_TEXT " record");
	for (struct msg *m = r->sticky; m; m = m->next)
		lsr_edfw_setting(r->w, m->text);
	check(r);
}

static void on_block(struct lsr_recorder *r, struct msg *m)
{
	if (!r->w)
		return;
	int64_t index = m->index;
	int skip = 0;
	if (!r->have_first) {
		r->idx0 = r->next = index;
		r->have_first = true;
	}
	if (index > r->next) {
		int64_t gap = index - r->next;
		char text[80];
		if (gap <= (int64_t)LSR_RECORDER_MAX_GAP_S * r->cfg.rate) {
			snprintf(text, sizeof text, LSR_RECNOTES_PAD_GAP "%lld samples", (long long)gap);
			lsr_edfw_annotate_span(r->w, (double)(r->next - r->idx0) / r->cfg.rate,
			                       (double)gap / r->cfg.rate, text);
			lsr_edfw_pad(r->w, gap);
		} else {
			snprintf(text, sizeof text, LSR_RECNOTES_PREFIX "%lld samples not acquired before this file",
			         (long long)gap);
			double t = r->seg_t + (double)(index - r->idx0) / r->cfg.rate;
			close_file(r);
			if (r->stopped)
				return;
			r->seg_t = t;
			r->idx0 = index;
			open_file(r);
			if (!r->w)
				return;
			lsr_edfw_annotate(r->w, 0, text);
		}
		r->next = index;
	} else if (index < r->next) {
		skip = (int)(r->next - index < m->n ? r->next - index : m->n);
	}
	lsr_edfw_write(r->w, m->samples + skip, (size_t)m->n, m->marks + skip, m->n - skip);
	r->next += m->n - skip;
	check(r);
	if (!r->w)
		return;
	uint64_t clipped = r->clipped_closed + lsr_edfw_clipped(r->w);
	pthread_mutex_lock(&r->mu);
	if (clipped > r->st.clipped) {
		double now = lsr_clock_mono();
		if (r->st.clipped == 0 || now - r->last_clip_alarm >= CLIP_ALARM_EVERY_S) {
			char text[160];
			snprintf(text, sizeof text, "%llu samples clipped at ±%g uV in the 16-bit recording",
			         (unsigned long long)clipped, r->edf_range);
			push_alarm(r, "clipping", text);
			r->last_clip_alarm = now;
		}
		r->st.clipped = clipped;
	}
	pthread_mutex_unlock(&r->mu);
}

static void process(struct lsr_recorder *r, struct msg *m)
{
	switch (m->kind) {
	case M_SEGMENT:
		if (r->stopped)
			return;
		close_file(r);
		if (r->stopped)
			return;
		r->cfg = *m->cfg;
		r->edf_range = m->edf_range;
		r->seg_t = m->t;
		r->origin = m->origin;
		r->have_first = false;
		msg_free_list(r->sticky);
		r->sticky = NULL;
		open_file(r);
		for (struct msg *h = r->held; h; h = h->next)
			note(r, h->t, h->text);
		msg_free_list(r->held);
		r->held = NULL;
		break;
	case M_ANNOT:
		if (!r->opened_any && !r->stopped) { /* before the first configuration */
			append(&r->held, m);
			return;
		}
		if (m->sticky) { /* a setting of this segment, at its start */
			if (r->w) {
				lsr_edfw_setting(r->w, m->text);
				check(r);
			}
			append(&r->sticky, m);
			return;
		}
		note(r, m->t, m->text);
		break;
	case M_BLOCK:
		on_block(r, m);
		break;
	}
	free(m);
}

static void *writer_main(void *arg)
{
	struct lsr_recorder *r = arg;
	pthread_mutex_lock(&r->mu);
	for (;;) {
		if (!r->head && !r->closing) {
			struct timespec ts;
			lsr_clock_deadline(&ts, SYNC_EVERY_S);
			pthread_cond_timedwait(&r->work, &r->mu, &ts);
		}
		struct msg *batch = r->head;
		size_t cost = 0;
		r->head = r->tail = NULL;
		bool closing = r->closing;
		pthread_mutex_unlock(&r->mu);
		for (struct msg *m = batch, *n; m; m = n) {
			n = m->next;
			cost += m->cost;
			process(r, m);
		}
		double now = lsr_clock_mono();
		if (r->w && now - r->last_sync >= SYNC_EVERY_S) {
			lsr_edfw_sync(r->w);
			r->last_sync = now;
			check(r);
		}
		pthread_mutex_lock(&r->mu);
		r->queued -= cost;
		r->st.bytes = r->bytes_closed + (r->w ? lsr_edfw_bytes(r->w) : 0);
		pthread_cond_broadcast(&r->room);
		if (closing && !r->head)
			break;
	}
	pthread_mutex_unlock(&r->mu);
	close_file(r);
	pthread_mutex_lock(&r->mu);
	r->st.bytes = r->bytes_closed;
	pthread_mutex_unlock(&r->mu);
	return NULL;
}

/* ---- session side ----------------------------------------------------- */

static void enqueue(struct lsr_recorder *r, struct msg *m)
{
	m->next = NULL;
	pthread_mutex_lock(&r->mu);
	if (m->kind == M_BLOCK) {
		while (r->queued && r->queued + m->cost > LSR_RECORDER_QUEUE_BYTES) {
			if (r->live) {
				r->st.dropped += (uint64_t)m->n;
				double now = lsr_clock_mono();
				if (now - r->last_drop_alarm >= CLIP_ALARM_EVERY_S) {
					char text[160];
					snprintf(text, sizeof text, "the disk cannot keep up: %llu samples not recorded",
					         (unsigned long long)r->st.dropped);
					push_alarm(r, "disk", text);
					r->last_drop_alarm = now;
				}
				pthread_mutex_unlock(&r->mu);
				free(m);
				return;
			}
			pthread_cond_wait(&r->room, &r->mu);
		}
	}
	r->queued += m->cost;
	if (r->tail)
		r->tail->next = m;
	else
		r->head = m;
	r->tail = m;
	pthread_cond_signal(&r->work);
	pthread_mutex_unlock(&r->mu);
}

static struct msg *new_msg(enum kind kind, size_t extra)
{
	struct msg *m = calloc(1, sizeof *m + extra);
	if (m) {
		m->kind = kind;
		m->cost = sizeof *m + extra;
	}
	return m;
}

static void annotate(struct lsr_recorder *r, double t, const char *text, bool sticky)
{
	size_t len = strlen(text) + 1;
	struct msg *m = new_msg(M_ANNOT, len);
	if (!m) {
		pthread_mutex_lock(&r->mu);
		push_alarm(r, "disk", "out of memory: an annotation was not recorded");
		pthread_mutex_unlock(&r->mu);
		return;
	}
	m->t = t;
	m->sticky = sticky;
	m->text = (char *)(m + 1);
	memcpy(m->text, text, len);
	enqueue(r, m);
}

void lsr_recorder_annotate(struct lsr_recorder *rec, double t, const char *text)
{
	annotate(rec, t, text, false);
}

struct sticky_ctx { struct lsr_recorder *r; double t; };

static void emit_sticky(void *ctx, const char *text)
{
	struct sticky_ctx *c = ctx;
	annotate(c->r, c->t, text, true);
}

void lsr_recorder_segment(struct lsr_recorder *rec, const struct lsr_stream_config *cfg,
                          const struct lsr_channel_info *ch, int nch,
                          const struct lsr_params *p, double t, double origin)
{
	struct msg *m = new_msg(M_SEGMENT, sizeof *cfg);
	if (!m) {
		pthread_mutex_lock(&rec->mu);
		push_alarm(rec, "disk", "out of memory: the recording cannot start a segment");
		pthread_mutex_unlock(&rec->mu);
		return;
	}
	m->cfg = (struct lsr_stream_config *)(m + 1);
	*m->cfg = *cfg;
	m->t = t;
	m->origin = origin;
	m->edf_range = p->edf_range_uv;
	enqueue(rec, m);
	struct sticky_ctx c = { rec, t };
	lsr_recnotes_params(p, emit_sticky, &c);
	lsr_recnotes_case(&rec->case_details, emit_sticky, &c);
	/* The header's start time is local time; its offset goes with it. */
	char text[LSR_RECNOTES_PARAMS_MAX + 1];
	lsr_recnotes_montage(ch, nch, lsr_clock_utc_offset(origin + t), text, sizeof text);
	annotate(rec, t, text, true);
}

void lsr_recorder_block(struct lsr_recorder *rec, int64_t index, const struct lsr_block *blk)
{
	int n = blk->nsamp, nch = blk->channels;
	if (n < 1 || nch < 1 || nch > LSR_MAX_CHANNELS)
		return;
	size_t fl = (size_t)n * (size_t)nch * sizeof(float);
	struct msg *m = new_msg(M_BLOCK, fl + (size_t)n);
	if (!m) {
		pthread_mutex_lock(&rec->mu);
		rec->st.dropped += (uint64_t)n;
		pthread_mutex_unlock(&rec->mu);
		return;
	}
	m->index = index;
	m->n = n;
	m->nch = nch;
	m->samples = (float *)(m + 1);
	m->marks = (uint8_t *)m->samples + fl;
	for (int c = 0; c < nch; c++)
		memcpy(m->samples + (size_t)c * n, blk->samples + (size_t)c * blk->stride,
		       (size_t)n * sizeof(float));
	if (blk->marks)
		memcpy(m->marks, blk->marks, (size_t)n);
	enqueue(rec, m);
}

static void sink_event(void *ctx, const struct lsr_event *ev)
{
	char text[512];
	if (lsr_recnotes_event(ev, text, sizeof text))
		annotate(ctx, ev->t, text, false);
}

static void sink_group_end(void *ctx)
{
	(void)ctx; /* annotations need no grouping */
}

const struct lsr_sink *lsr_recorder_sink(struct lsr_recorder *rec)
{
	return &rec->sink;
}

static void free_fields(struct lsr_recorder *r)
{
	if (!r)
		return;
	if (r->efd >= 0)
		close(r->efd);
	free(r->path);
	free(r->stem);
	free(r->ext);
	free(r->equipment);
	free(r);
}

static void destroy(struct lsr_recorder *r)
{
	msg_free_list(r->head);
	msg_free_list(r->sticky);
	msg_free_list(r->held);
	pthread_cond_destroy(&r->work);
	pthread_cond_destroy(&r->room);
	pthread_mutex_destroy(&r->mu);
	free_fields(r);
}

struct lsr_recorder *lsr_recorder_new(const char *path, bool force,
                                      const struct lsr_case_details *case_details,
                                      const char *equipment,
                                      char *err, size_t errlen, int *exit_code)
{
	const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');
	if (!dot || (slash && dot < slash) || (strcasecmp(dot, ".bdf") && strcasecmp(dot, ".edf"))) {
		snprintf(err, errlen, "--record %s: the name must end in .bdf (24-bit BDF+) or .edf (16-bit EDF+)", path);
		*exit_code = 2;
		return NULL;
	}
	if (strlen(path) + 16 >= sizeof ((struct lsr_recorder_status *)0)->path) {
		snprintf(err, errlen, "--record: path too long");
		*exit_code = 2;
		return NULL;
	}
	int fd = owner_only(open(path, O_WRONLY | O_CREAT | O_CLOEXEC | (force ? O_TRUNC : O_EXCL), 0600));
	if (fd < 0) {
		bool exists = errno == EEXIST;
		snprintf(err, errlen, "--record %s: %s%s", path, strerror(errno),
		         exists ? " (use --force to replace it)" : "");
		*exit_code = exists ? 2 : 1;
		return NULL;
	}
	struct lsr_recorder *r = calloc(1, sizeof *r);
	if (r) {
		r->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		r->path = strdup(path);
		r->stem = strndup(path, (size_t)(dot - path));
		r->ext = strdup(dot);
		if (case_details)
			r->case_details = *case_details;
		r->equipment = strdup(equipment ? equipment : "lsrmon");
	}
	if (!r || r->efd < 0 || !r->path || !r->stem || !r->ext || !r->equipment) {
		snprintf(err, errlen, "--record %s: out of resources", path);
		*exit_code = 1;
		close(fd);
		unlink(path);
		free_fields(r);
		return NULL;
	}
	r->first_fd = fd;
	r->bdf = strcasecmp(dot, ".bdf") == 0;
	r->force = force;
	r->last_drop_alarm = -1e9;
	snprintf(r->st.path, sizeof r->st.path, "%s", path);
	r->st.file_no = 1;
	r->sink = (struct lsr_sink){ .ctx = r, .event = sink_event, .group_end = sink_group_end };
	signal(SIGXFSZ, SIG_IGN);
	pthread_mutex_init(&r->mu, NULL);
	lsr_clock_cond_init(&r->work); /* its sync deadline: clock.h */
	pthread_cond_init(&r->room, NULL);
	if (lsr_thread_start(&r->thread, writer_main, r) != 0) {
		snprintf(err, errlen, "--record %s: cannot start the writer thread", path);
		*exit_code = 1;
		close(fd);
		unlink(path);
		destroy(r);
		return NULL;
	}
	return r;
}

void lsr_recorder_set_live(struct lsr_recorder *rec, bool live)
{
	pthread_mutex_lock(&rec->mu);
	rec->live = live;
	pthread_mutex_unlock(&rec->mu);
}

int lsr_recorder_alarm_fd(const struct lsr_recorder *rec)
{
	return rec->efd;
}

bool lsr_recorder_poll_alarm(struct lsr_recorder *rec, char *what, size_t what_len,
                             char *text, size_t text_len)
{
	pthread_mutex_lock(&rec->mu);
	bool any = rec->alarm_count > 0;
	if (any) {
		int i = rec->alarm_first;
		snprintf(what, what_len, "%s", rec->alarm[i].what);
		snprintf(text, text_len, "%s", rec->alarm[i].text);
		rec->alarm_first = (i + 1) % ALARMS;
		if (--rec->alarm_count == 0) {
			uint64_t v;
			if (read(rec->efd, &v, sizeof v) < 0) {
				/* EAGAIN: already clear */
			}
		}
	}
	pthread_mutex_unlock(&rec->mu);
	return any;
}

void lsr_recorder_status(struct lsr_recorder *rec, struct lsr_recorder_status *out)
{
	pthread_mutex_lock(&rec->mu);
	*out = rec->st;
	pthread_mutex_unlock(&rec->mu);
}

bool lsr_recorder_failed(struct lsr_recorder *rec)
{
	pthread_mutex_lock(&rec->mu);
	bool f = rec->st.failed;
	pthread_mutex_unlock(&rec->mu);
	return f;
}

int lsr_recorder_close(struct lsr_recorder *rec)
{
	if (!rec)
		return 0;
	pthread_mutex_lock(&rec->mu);
	rec->closing = true;
	pthread_cond_signal(&rec->work);
	pthread_mutex_unlock(&rec->mu);
	pthread_join(rec->thread, NULL);
	if (!rec->opened_any) { /* no configuration ever came: nothing to keep */
		close(rec->first_fd);
		unlink(rec->path);
	}
	int rc = rec->st.failed ? 1 : 0;
	destroy(rec);
	return rc;
}
