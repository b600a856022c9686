/* tests/tools/fakeamp.c — a device emulator: streams LSRB, ASCII or OpenBCI
 * through a pty behind a stable link at real time (a built-in test waveform
 * the simulated patient or a capture file), with scheduled faults (corruption, dropped frames,
 * stalls, hang-ups that come back on a new pty, a pty that hangs up as soon
 * as it is opened); or writes capture files.  Nothing it streams is a
 * patient: its INFO device (and ASCII header) says SIMULATION.
 *
 *   fakeamp --link PATH [--format lsrb|ascii|openbci] [--from FILE]
 *           [--seconds S] [--start-delay S] [--linger S] [--hangup-at T:D]...
 *           [--stall-at T:D]... [--corrupt P] [--drop-frames P] [--garbage]
 *           [--rate HZ] [--seed N] [--sim SCENARIO [--duration S]] [--clean-for S]
 *           [--flap N]
 *   fakeamp --write FILE --seconds S [--format …] [--corrupt P] [--drop-frames P]
 *           [--sim SCENARIO [--duration S]]
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "crc16.h"
#include "driver.h"
#include "sim.h"

enum fmt { FMT_LSRB, FMT_ASCII, FMT_OPENBCI };

#define MAX_WINDOWS 16
#define WAVE_NCH 4
#define WAVE_UV_PER_LSB 0.1
#define WAVE_LABELS "Mentalis,Orbicularis oris,Orbicularis oculi,Frontalis"
#define OBCI_UV (4.5e6 / 24.0 / 8388607.0)

struct window { double at, len; };

struct amp {
	enum fmt fmt;
	int rate;
	uint64_t rng;
	double corrupt, drop;
	double clean_for;        /* no corruption or drops before this stream time
	                            (the stream's, not the wall clock: repeatable) */
	bool faults_on;
	bool garbage;
	struct window hangups[MAX_WINDOWS], stalls[MAX_WINDOWS];
	int nhang, nstall;
	const char *link, *from, *write_path;
	double seconds, start_delay, linger;
	int flap;                /* hang up at each of the first N opens */
	/* output */
	int out_fd;              /* pty master or the capture file; -1 while hung up */
	bool is_file;
	bool quiet;              /* stalled: bytes are generated and lost */
	bool streaming;          /* openbci: only after 'b' */
	/* what is streamed: the test waveform or the simulated patient */
	int nch;
	double uv_per_lsb;
	char labels[LSR_MAX_CHANNELS * LSR_LABEL_MAX];
	const char *scenario;       /* --sim */
	double sim_duration;
	void *sim_st;
	bool sim_end;
	float *sim_uv;              /* sim_cap samples per channel, from sim_base */
	uint8_t *sim_marks;
	uint64_t sim_base;
	size_t sim_n, sim_cap;
	/* generator */
	uint64_t index;
	uint8_t seq;
	uint64_t next_info;
	/* --from */
	int from_fd;
	const struct lsr_driver *drv;
	void *drv_st;
	int from_rate;
	double from_s;
	bool from_eof;
};

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
	(void)sig;
	stop_flag = 1;
}

static uint64_t rnd(struct amp *a)
{
	a->rng ^= a->rng << 13;
	a->rng ^= a->rng >> 7;
	a->rng ^= a->rng << 17;
	return a->rng;
}

static double rnd01(struct amp *a)
{
	return (double)(rnd(a) >> 11) / 9007199254740992.0;
}

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + t.tv_nsec / 1e9;
}

static void sleep_s(double s)
{
	if (s <= 0)
		return;
	struct timespec t = {(time_t)s, (long)((s - floor(s)) * 1e9)};
	nanosleep(&t, NULL);
}

/* Whether anyone has the pty open.  A USB device streams into the void
 * until the host opens the port; a pty would instead keep the old bytes
 * for whoever opens it next, so nothing is written while no one listens
 * (the master reports POLLHUP while the slave is closed). */
static bool listened(const struct amp *a)
{
	if (a->is_file)
		return true;
	struct pollfd p = {.fd = a->out_fd, .events = POLLOUT};
	return poll(&p, 1, 0) >= 0 && !(p.revents & POLLHUP);
}

/* Bytes of one frame/line/packet leave through here: dropped, corrupted,
 * or lost while hung up or stalled, as scheduled. */
static void emit(struct amp *a, const uint8_t *buf, size_t n)
{
	if (a->faults_on && a->drop > 0 && rnd01(a) < a->drop)
		return;
	uint8_t tmp[8192];
	while (n) {
		size_t k = n < sizeof tmp ? n : sizeof tmp;
		memcpy(tmp, buf, k);
		if (a->faults_on && a->corrupt > 0)
			for (size_t i = 0; i < k; i++)
				if (rnd01(a) < a->corrupt)
					tmp[i] ^= (uint8_t)(1u << (rnd(a) % 8));
		if (a->out_fd >= 0 && !a->quiet && listened(a)) {
			size_t off = 0;
			int waited_ms = 0;
			while (off < k) {
				ssize_t w = write(a->out_fd, tmp + off, k - off);
				if (w > 0) {
					off += (size_t)w;
				} else if (w < 0 && errno == EINTR) {
					continue;
				} else if (w < 0 && errno == EAGAIN && !a->is_file) {
					/* The reader is behind (a loaded machine): a USB
					 * link buffers too, so wait for it — up to 1 s,
					 * then the bytes are lost as on a stuck link. */
					if (waited_ms >= 1000 || !listened(a))
						break;
					struct pollfd p = {.fd = a->out_fd, .events = POLLOUT};
					poll(&p, 1, 20);
					waited_ms += 20;
				} else {
					fprintf(stderr, "fakeamp: write: %s\n", strerror(errno));
					exit(1);
				}
			}
		}
		buf += k;
		n -= k;
	}
}

/* The test waveform, µV: a 1 ms sync pulse every second (0.2545 s into it:
 * at 20 kHz it straddles two LSRB frames, so a lost frame leaves a pulse
 * already high after a gap — which must not count as a stimulus), an LSR at 10 ms on channels 0 and 1, a direct response at 3 ms on
 * channel 2, and a little deterministic noise. */
static uint64_t wave_stim(const struct amp *a)
{
	return (uint64_t)(a->rate * 0.2545);
}

static uint8_t wave_mark(const struct amp *a, uint64_t i)
{
	uint64_t ph = i % (uint64_t)a->rate, s = wave_stim(a);
	uint64_t w = (uint64_t)a->rate / 1000;
	return ph >= s && ph < s + (w ? w : 1) ? LSR_MARK_STIM : 0;
}

static double wave_uv(const struct amp *a, uint64_t i, int c)
{
	double dt = ((double)(i % (uint64_t)a->rate) - (double)wave_stim(a)) / a->rate * 1000.0; /* ms */
	double v = 0;
	if ((c == 0 || c == 1) && dt >= 10 && dt < 14)
		v = (c == 0 ? 200.0 : 150.0) * sin(2 * M_PI * (dt - 10) / 4);
	if (c == 2 && dt >= 3 && dt < 6)
		v = 500.0 * sin(2 * M_PI * (dt - 3) / 3);
	uint64_t h = (i * 0x9E3779B97F4A7C15ull) ^ ((uint64_t)c * 0xC2B2AE3D27D4EB4Full);
	h ^= h >> 29;
	h *= 0xBF58476D1CE4E5B9ull;
	h ^= h >> 32;
	return v + ((double)(h % 2001) / 1000.0 - 1.0) * 3.0;
}

/* The simulated patient's blocks, kept until the encoders have sent them. */
static void sim_config(void *ctx, const struct lsr_stream_config *cfg,
                       enum lsr_segment_reason why)
{
	struct amp *a = ctx;
	(void)why;
	a->nch = cfg->channels;
	a->uv_per_lsb = cfg->uv_per_lsb;
	a->labels[0] = '\0';
	for (int c = 0; c < cfg->channels; c++) {
		size_t l = strlen(a->labels);
		snprintf(a->labels + l, sizeof a->labels - l, "%s%s", c ? "," : "", cfg->labels[c]);
	}
}

static void sim_block(void *ctx, const struct lsr_block *b)
{
	struct amp *a = ctx;
	size_t need = a->sim_n + (size_t)b->nsamp;
	if (need > a->sim_cap) {
		size_t cap = need * 2;
		float *uv = malloc(cap * LSR_MAX_CHANNELS * sizeof *uv);
		uint8_t *m = realloc(a->sim_marks, cap);
		if (!uv || !m) {
			fprintf(stderr, "fakeamp: out of memory\n");
			exit(1);
		}
		for (int c = 0; c < LSR_MAX_CHANNELS && a->sim_uv; c++)
			memcpy(uv + (size_t)c * cap, a->sim_uv + (size_t)c * a->sim_cap,
			       a->sim_n * sizeof *uv);
		free(a->sim_uv);
		a->sim_uv = uv;
		a->sim_marks = m;
		a->sim_cap = cap;
	}
	for (int i = 0; i < b->nsamp; i++) {
		a->sim_marks[a->sim_n + (size_t)i] = b->marks[i];
		for (int c = 0; c < b->channels; c++)
			a->sim_uv[(size_t)c * a->sim_cap + a->sim_n + (size_t)i] =
				b->samples[(size_t)c * b->stride + (size_t)i];
	}
	a->sim_n = need;
}

/* Has the simulated patient produce samples up to `until`; returns the
 * index the encoders may go up to. */
static uint64_t sim_fill(struct amp *a, uint64_t until)
{
	/* Drop what was sent. */
	size_t done = (size_t)(a->index - a->sim_base);
	if (done) {
		a->sim_n -= done;
		memmove(a->sim_marks, a->sim_marks + done, a->sim_n);
		for (int c = 0; c < a->nch; c++)
			memmove(a->sim_uv + (size_t)c * a->sim_cap,
			        a->sim_uv + (size_t)c * a->sim_cap + done, a->sim_n * sizeof(float));
		a->sim_base = a->index;
	}
	struct lsr_source_sink sink = {.ctx = a, .config = sim_config, .block = sim_block};
	if (!a->sim_end && a->sim_base + a->sim_n < until)
		a->sim_end = lsr_driver_sim.generate(a->sim_st, until, &sink) == LSR_GENERATE_END;
	return a->sim_base + a->sim_n;
}

static void sim_free(struct amp *a)
{
	if (a->sim_st)
		lsr_driver_sim.destroy(a->sim_st);
	free(a->sim_uv);
	free(a->sim_marks);
}

static uint8_t sample_mark(const struct amp *a, uint64_t i)
{
	return a->scenario ? a->sim_marks[i - a->sim_base] : wave_mark(a, i);
}

static double sample_uv(const struct amp *a, uint64_t i, int c)
{
	return a->scenario ? a->sim_uv[(size_t)c * a->sim_cap + (size_t)(i - a->sim_base)]
	                   : wave_uv(a, i, c);
}

static void lsrb_frame(struct amp *a, uint8_t type, const uint8_t *pl, size_t len)
{
	uint8_t f[8 + 4096];
	f[0] = 0xA5, f[1] = 0x5A, f[2] = type, f[3] = a->seq++;
	f[4] = (uint8_t)len, f[5] = (uint8_t)(len >> 8);
	memcpy(f + 6, pl, len);
	uint16_t crc = lsr_crc16(LSR_CRC16_INIT, f + 2, len + 4);
	f[6 + len] = (uint8_t)crc, f[7 + len] = (uint8_t)(crc >> 8);
	emit(a, f, len + 8);
}

static void gen_lsrb(struct amp *a, uint64_t until)
{
	int S = a->rate / 200 > 0 ? a->rate / 200 : 1;
	if (S * a->nch * 3 + S + 6 > 4096)
		S = (4096 - 6) / (a->nch * 3 + 1);
	if (S > 255)
		S = 255;
	while (a->index + (uint64_t)S <= until) {
		if (a->index >= a->next_info) {
			char info[4096];
			int n = snprintf(info, sizeof info,
			                 "rate=%d\nchannels=%d\nformat=s24\nuv_per_lsb=%.17g\n"
			                 "labels=%s\ndevice=fakeamp " LSR_SIMULATION_WORD " test emulator\n"
			                 "prefilter=HP:10Hz LP:5000Hz",
			                 a->rate, a->nch, a->uv_per_lsb, a->labels);
			lsrb_frame(a, 0x01, (const uint8_t *)info, (size_t)n);
			a->next_info = a->index + (uint64_t)a->rate;
		}
		uint8_t pl[4096];
		uint32_t first = (uint32_t)a->index;
		pl[0] = (uint8_t)first, pl[1] = (uint8_t)(first >> 8);
		pl[2] = (uint8_t)(first >> 16), pl[3] = (uint8_t)(first >> 24);
		pl[4] = (uint8_t)S, pl[5] = (uint8_t)a->nch;
		uint8_t *p = pl + 6 + S;
		for (int k = 0; k < S; k++) {
			uint64_t i = a->index + (uint64_t)k;
			pl[6 + k] = sample_mark(a, i);
			for (int c = 0; c < a->nch; c++) {
				int32_t v = (int32_t)lround(sample_uv(a, i, c) / a->uv_per_lsb);
				*p++ = (uint8_t)v, *p++ = (uint8_t)(v >> 8), *p++ = (uint8_t)(v >> 16);
			}
		}
		lsrb_frame(a, 0x02, pl, (size_t)(p - pl));
		a->index += (uint64_t)S;
	}
}

static void gen_ascii(struct amp *a, uint64_t until)
{
	for (; a->index < until; a->index++) {
		char line[sizeof a->labels + 128];
		int n;
		if (a->index >= a->next_info) {
			/* the header spread over two lines, as the protocol allows;
			 * in labels '_' stands for a space */
			n = snprintf(line, sizeof line, "# rate=%d device=fakeamp_" LSR_SIMULATION_WORD "\r\n"
			             "# channels=%d labels=%s\r\n", a->rate, a->nch, a->labels);
			for (char *q = strstr(line, "labels="); q && *q; q++)
				if (*q == ' ')
					*q = '_';
			emit(a, (const uint8_t *)line, (size_t)n);
			a->next_info = a->index + (uint64_t)a->rate;
		}
		/* the simulated patient's values are multiples of 2^-5 µV: 5
		 * decimals carry them exactly */
		int dec = a->scenario ? 5 : 2;
		n = snprintf(line, sizeof line, "%u", sample_mark(a, a->index));
		for (int c = 0; c < a->nch; c++)
			n += snprintf(line + n, sizeof line - (size_t)n, c % 2 ? ",%.*f" : ", %.*f",
			              dec, sample_uv(a, a->index, c));
		n += snprintf(line + n, sizeof line - (size_t)n, "\r\n");
		emit(a, (const uint8_t *)line, (size_t)n);
	}
}

static void gen_openbci(struct amp *a, uint64_t until)
{
	for (; a->index < until; a->index++) {
		uint8_t p[33] = {0};
		p[0] = 0xA0;
		p[1] = (uint8_t)a->index;
		for (int c = 0; c < 8; c++) {
			int32_t v = c < a->nch ? (int32_t)lround(sample_uv(a, a->index, c) / OBCI_UV) : 0;
			p[2 + 3 * c] = (uint8_t)(v >> 16);
			p[3 + 3 * c] = (uint8_t)(v >> 8);
			p[4 + 3 * c] = (uint8_t)v;
		}
		p[29] = sample_mark(a, a->index) ? 1 : 0; /* D17 */
		p[32] = 0xC1;
		emit(a, p, sizeof p);
	}
}

static void gen_garbage(struct amp *a, uint64_t until)
{
	/* 50 kB/s of noise that never forms a frame */
	for (; a->index < until; a->index += 100) {
		uint8_t g[250];
		for (size_t i = 0; i < sizeof g; i++)
			g[i] = (uint8_t)(rnd(a) % 0xA0); /* below 0xA0: no sync byte */
		emit(a, g, sizeof g);
	}
}

static void generate(struct amp *a, uint64_t until)
{
	a->faults_on = (double)a->index >= a->clean_for * a->rate;
	if (a->scenario)
		until = sim_fill(a, until);
	if (a->garbage)
		gen_garbage(a, until);
	else if (a->fmt == FMT_LSRB)
		gen_lsrb(a, until);
	else if (a->fmt == FMT_ASCII)
		gen_ascii(a, until);
	else
		gen_openbci(a, until);
}

/* --from: the capture's own sample clock, measured by its driver. */
static void from_config(void *ctx, const struct lsr_stream_config *cfg,
                        enum lsr_segment_reason why)
{
	(void)why;
	((struct amp *)ctx)->from_rate = cfg->rate;
}

static void from_block(void *ctx, const struct lsr_block *b)
{
	struct amp *a = ctx;
	if (a->from_rate > 0)
		a->from_s += (double)b->nsamp / a->from_rate;
}

static void stream_from(struct amp *a, double el)
{
	struct lsr_source_sink sink = {.ctx = a, .config = from_config, .block = from_block};
	while (!a->from_eof && a->from_s <= el) {
		uint8_t buf[256];
		ssize_t n = read(a->from_fd, buf, sizeof buf);
		if (n <= 0) {
			a->from_eof = true;
			return;
		}
		a->faults_on = a->from_s >= a->clean_for;
		a->drv->feed(a->drv_st, buf, (size_t)n, &sink);
		emit(a, buf, (size_t)n);
	}
}

static void set_raw(int fd)
{
	struct termios t;
	if (tcgetattr(fd, &t) == 0) {
		cfmakeraw(&t);
		tcsetattr(fd, TCSANOW, &t);
	}
}

/* A new pty, raw, behind the link (replaced atomically). */
static void plug(struct amp *a)
{
	int m = posix_openpt(O_RDWR | O_NOCTTY | O_NONBLOCK);
	if (m < 0 || grantpt(m) != 0 || unlockpt(m) != 0) {
		fprintf(stderr, "fakeamp: cannot create a pty: %s\n", strerror(errno));
		exit(1);
	}
	const char *slave = ptsname(m);
	int s = open(slave, O_RDWR | O_NOCTTY);
	if (s >= 0) {
		set_raw(s);
		close(s);
	}
	char tmp[4096];
	snprintf(tmp, sizeof tmp, "%s.tmp%d", a->link, (int)getpid());
	unlink(tmp);
	if (symlink(slave, tmp) != 0 || rename(tmp, a->link) != 0) {
		fprintf(stderr, "fakeamp: cannot link %s: %s\n", a->link, strerror(errno));
		exit(1);
	}
	a->out_fd = m;
}

/* --flap: each of the first N times the port is opened, it is hung up at
 * once and a fresh pty takes the link (no moment without one, so every
 * open the console tries succeeds and is seen here); the next open holds.
 * One line per open on stdout, with the monotonic time: the test counts
 * them. */
static void flap(struct amp *a)
{
	for (int k = 1; a->flap > 0 && k <= a->flap + 1 && !stop_flag; k++) {
		while (!stop_flag && !listened(a))
			sleep_s(0.001);
		printf("open %d %.6f\n", k, now_s());
		fflush(stdout);
		if (k > a->flap)
			return; /* this one holds */
		int old = a->out_fd;
		plug(a);
		close(old);
	}
}

static void unplug(struct amp *a)
{
	if (a->out_fd >= 0)
		close(a->out_fd);
	a->out_fd = -1;
	unlink(a->link);
}

static bool in_window(const struct window *w, int n, double el)
{
	for (int i = 0; i < n; i++)
		if (el >= w[i].at && el < w[i].at + w[i].len)
			return true;
	return false;
}

/* openbci listens for 'b' (start) and 's' (stop), as a Cyton does. */
static void read_commands(struct amp *a)
{
	if (a->out_fd < 0 || a->is_file)
		return;
	uint8_t buf[64];
	ssize_t n;
	while ((n = read(a->out_fd, buf, sizeof buf)) > 0)
		for (ssize_t i = 0; i < n; i++) {
			if (buf[i] == 'b')
				a->streaming = true;
			else if (buf[i] == 's')
				a->streaming = false;
		}
}

static int parse_window(const char *s, struct window *w, int *n)
{
	char *end;
	if (*n == MAX_WINDOWS)
		return -1;
	w[*n].at = strtod(s, &end);
	if (*end != ':')
		return -1;
	w[*n].len = strtod(end + 1, &end);
	if (*end || w[*n].at < 0 || w[*n].len <= 0)
		return -1;
	(*n)++;
	return 0;
}

static void usage(void)
{
	fprintf(stderr,
	        "usage: fakeamp --link PATH [--format lsrb|ascii|openbci] [--from FILE]\n"
	        "               [--seconds S] [--start-delay S] [--linger S]\n"
	        "               [--hangup-at T:D]... [--stall-at T:D]... [--corrupt P]\n"
	        "               [--drop-frames P] [--garbage] [--rate HZ] [--seed N]\n"
	        "               [--sim SCENARIO [--duration S]] [--clean-for S] [--flap N]\n"
	        "       fakeamp --write FILE --seconds S [--format …] [--corrupt P] "
	        "[--drop-frames P]\n"
	        "       fakeamp --write FILE --sim SCENARIO [--duration S] [--format …]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct amp a = {.fmt = FMT_LSRB, .rate = 0, .rng = 88172645463325252ull,
	                .out_fd = -1, .from_fd = -1, .linger = 1.0, .seconds = -1};
	static const struct option opts[] = {
		{"link", 1, 0, 'l'}, {"format", 1, 0, 'f'}, {"from", 1, 0, 'F'},
		{"write", 1, 0, 'w'}, {"seconds", 1, 0, 's'}, {"start-delay", 1, 0, 'd'},
		{"linger", 1, 0, 'L'}, {"hangup-at", 1, 0, 'H'}, {"stall-at", 1, 0, 'S'},
		{"corrupt", 1, 0, 'c'}, {"drop-frames", 1, 0, 'D'}, {"garbage", 0, 0, 'g'},
		{"rate", 1, 0, 'r'}, {"seed", 1, 0, 'e'}, {"sim", 1, 0, 'm'},
		{"duration", 1, 0, 'u'}, {"clean-for", 1, 0, 'C'}, {"flap", 1, 0, 'P'},
		{0, 0, 0, 0},
	};
	uint64_t seed = 0; /* as lsrmon's --seed */
	int o;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'l': a.link = optarg; break;
		case 'f':
			if (strcmp(optarg, "lsrb") == 0) a.fmt = FMT_LSRB;
			else if (strcmp(optarg, "ascii") == 0) a.fmt = FMT_ASCII;
			else if (strcmp(optarg, "openbci") == 0) a.fmt = FMT_OPENBCI;
			else usage();
			break;
		case 'F': a.from = optarg; break;
		case 'w': a.write_path = optarg; break;
		case 's': a.seconds = atof(optarg); break;
		case 'd': a.start_delay = atof(optarg); break;
		case 'L': a.linger = atof(optarg); break;
		case 'H': if (parse_window(optarg, a.hangups, &a.nhang)) usage(); break;
		case 'S': if (parse_window(optarg, a.stalls, &a.nstall)) usage(); break;
		case 'c': a.corrupt = atof(optarg); break;
		case 'D': a.drop = atof(optarg); break;
		case 'g': a.garbage = true; break;
		case 'r': a.rate = atoi(optarg); break;
		case 'e':
			seed = strtoull(optarg, NULL, 0);
			a.rng = seed | 1;
			break;
		case 'm': a.scenario = optarg; break;
		case 'u': a.sim_duration = atof(optarg); break;
		case 'C': a.clean_for = atof(optarg); break;
		case 'P': a.flap = atoi(optarg); break;
		default: usage();
		}
	}
	if (optind != argc || (!a.link == !a.write_path))
		usage();
	if (a.rate <= 0)
		a.rate = a.fmt == FMT_OPENBCI ? 250 : a.fmt == FMT_ASCII ? 5000 : 20000;
	if (a.fmt == FMT_OPENBCI)
		a.rate = 250;
	a.nch = WAVE_NCH;
	a.uv_per_lsb = WAVE_UV_PER_LSB;
	snprintf(a.labels, sizeof a.labels, "%s", WAVE_LABELS);
	if (a.scenario) {
		if (a.fmt == FMT_OPENBCI || a.garbage || a.from) {
			fprintf(stderr, "fakeamp: --sim streams lsrb or ascii (10 kHz)\n");
			return 2;
		}
		char err[256];
		struct lsr_driver_opts o = { .scenario = a.scenario, .seed = seed, .duration_s = a.sim_duration };
		a.sim_st = lsr_driver_sim.create(&o, err, sizeof err);
		if (!a.sim_st) {
			fprintf(stderr, "fakeamp: --sim %s: %s\n", a.scenario, err);
			return 2;
		}
		a.rate = LSR_SIM_RATE;
		sim_fill(&a, 1); /* learns the channels and labels */
	}

	if (a.write_path) { /* capture writer: deterministic, no pacing */
		if ((a.seconds <= 0 && !a.scenario) || a.from)
			usage();
		a.out_fd = open(a.write_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (a.out_fd < 0) {
			fprintf(stderr, "fakeamp: %s: %s\n", a.write_path, strerror(errno));
			return 1;
		}
		a.is_file = true;
		/* a second at a time: the simulated patient is buffered until sent;
		 * without --seconds, the whole scripted case */
		uint64_t end = a.seconds > 0 ? (uint64_t)llround(a.seconds * a.rate) : UINT64_MAX;
		while (a.index < end && !(a.scenario && a.sim_end && a.index >= a.sim_base + a.sim_n)) {
			uint64_t step = a.index + (uint64_t)a.rate;
			generate(&a, step < end ? step : end);
		}
		int rc = 0;
		if (close(a.out_fd) != 0) {
			fprintf(stderr, "fakeamp: %s: %s\n", a.write_path, strerror(errno));
			rc = 1;
		}
		sim_free(&a);
		return rc;
	}

	if (a.from) {
		a.drv = lsr_driver_for_capture(a.from);
		if (!a.drv) {
			fprintf(stderr, "fakeamp: %s: unknown capture extension\n", a.from);
			return 2;
		}
		char err[256];
		a.drv_st = a.drv->create(&(struct lsr_driver_opts){0}, err, sizeof err);
		a.from_fd = open(a.from, O_RDONLY);
		if (!a.drv_st || a.from_fd < 0) {
			fprintf(stderr, "fakeamp: %s: %s\n", a.from, a.drv_st ? strerror(errno) : err);
			return 1;
		}
		a.fmt = strcmp(a.drv->name, "openbci") == 0 ? FMT_OPENBCI : FMT_LSRB;
	}
	struct sigaction sa = {.sa_handler = on_signal};
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	plug(&a);
	printf("ready %s\n", a.link);
	fflush(stdout);
	flap(&a);
	a.streaming = a.fmt != FMT_OPENBCI;
	double t0 = now_s() + a.start_delay;
	while (!stop_flag && now_s() < t0) {
		read_commands(&a);
		sleep_s(0.01);
	}
	bool hung = false;
	while (!stop_flag) {
		double el = now_s() - t0;
		if (a.seconds > 0 && el >= a.seconds)
			break;
		bool h = in_window(a.hangups, a.nhang, el);
		if (h && !hung) {
			unplug(&a);
			fprintf(stderr, "fakeamp: hung up at %.2f s\n", el);
		} else if (!h && hung) {
			plug(&a);
			fprintf(stderr, "fakeamp: back at %.2f s\n", el);
		}
		hung = h;
		a.quiet = in_window(a.stalls, a.nstall, el);
		read_commands(&a);
		if (a.from) {
			stream_from(&a, el);
			if (a.from_eof)
				break;
		} else if (a.scenario && a.sim_end && a.index >= a.sim_base + a.sim_n) {
			break; /* the scripted case is over */
		} else if (a.streaming) {
			generate(&a, (uint64_t)(el * a.rate));
		} else {
			a.index = (uint64_t)(el * a.rate); /* idle: the clock runs on */
		}
		sleep_s(0.002);
	}
	double end = now_s() + a.linger;
	while (!stop_flag && now_s() < end) {
		read_commands(&a);
		sleep_s(0.01);
	}
	unplug(&a);
	if (a.drv_st)
		a.drv->destroy(a.drv_st);
	if (a.from_fd >= 0)
		close(a.from_fd);
	sim_free(&a);
	return 0;
}
