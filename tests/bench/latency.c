/* tests/bench/latency.c — stimulus-to-event latency: streams an LSRB capture
 * at real time into a pty, frame by frame at the wall-clock time its last
 * sample exists, while a liblo receiver timestamps each /lsrmon/response
 * bundle.  Latency = receive time − the time the frame holding the sweep's
 * last sample (stimulus + 100 ms) was written.  Also measures the monitored
 * process's CPU while streaming and while the source is silent afterwards.
 *
 *   latency CAPTURE LINK PIDFILE|- LINGER_S -- COMMAND...
 *
 * COMMAND runs with "@LINK@" and "@OSC@" in its arguments replaced by the
 * pty link and the receiver's URL; its stdout goes to /dev/null.  The pid
 * whose CPU is measured is the one written to PIDFILE (a command that
 * starts lsrmon elsewhere, e.g. in tmux), or COMMAND's own with "-".
 * Prints one line of key=value results. */
#include <errno.h>
#include <fcntl.h>
#include <lo/lo.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define POST_MS 100.0 /* a sweep's end after its stimulus (docs/interface.md) */

struct frame {
	size_t off, len;
	int64_t end;       /* index after the last sample sent with it (INFO: none new) */
	double written;    /* monotonic seconds when the write completed */
};

static uint8_t *cap;
static struct frame *fr;
static size_t nfr;
static int64_t *stim;         /* stimulus sample indices, ascending */
static size_t nstim;
static double *recv_at;       /* per stimulus: first response's arrival, 0 = none */
static int rate;
static atomic_int started;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void die(const char *what)
{
	fprintf(stderr, "latency: %s%s%s\n", what, errno ? ": " : "", errno ? strerror(errno) : "");
	exit(1);
}

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n);
	if (!p)
		die("out of memory");
	return p;
}

/* Splits the capture into frames (it is clean: benchgen wrote it), learns
 * the rate from the first INFO and the stimuli from the marks. */
static void load(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		die(path);
	size_t cap_n = 0, cap_cap = 0;
	for (;;) {
		if (cap_n == cap_cap) {
			cap_cap = cap_cap ? cap_cap * 2 : 1 << 24;
			cap = xrealloc(cap, cap_cap);
		}
		size_t k = fread(cap + cap_n, 1, cap_cap - cap_n, f);
		if (k == 0)
			break;
		cap_n += k;
	}
	if (ferror(f) || fclose(f) != 0)
		die(path);
	size_t fcap = 0, scap = 0;
	int prev_mark = 0;
	int64_t end = 0;
	for (size_t o = 0; o + 8 <= cap_n;) {
		const uint8_t *p = cap + o;
		size_t len = (size_t)p[4] | (size_t)p[5] << 8;
		if (p[0] != 0xA5 || p[1] != 0x5A || o + 8 + len > cap_n)
			die("capture is not clean LSRB");
		if (nfr == fcap) {
			fcap = fcap ? fcap * 2 : 4096;
			fr = xrealloc(fr, fcap * sizeof *fr);
		}
		struct frame *q = &fr[nfr++];
		q->off = o, q->len = len + 8, q->end = end, q->written = 0;
		const uint8_t *pl = p + 6;
		if (p[2] == 0x01 && !rate) {
			char t[4097];
			memcpy(t, pl, len);
			t[len] = '\0';
			const char *r = strstr(t, "rate=");
			rate = r ? atoi(r + 5) : 0;
		} else if (p[2] == 0x02 && len >= 6) {
			int64_t first = (int64_t)((uint32_t)pl[0] | (uint32_t)pl[1] << 8 |
			                          (uint32_t)pl[2] << 16 | (uint32_t)pl[3] << 24);
			int S = pl[4];
			for (int i = 0; i < S; i++) {
				int m = pl[6 + i] & 1;
				if (m && !prev_mark) {
					if (nstim == scap) {
						scap = scap ? scap * 2 : 1024;
						stim = xrealloc(stim, scap * sizeof *stim);
					}
					stim[nstim++] = first + i;
				}
				prev_mark = m;
			}
			q->end = end = first + S;
		}
		o += len + 8;
	}
	if (rate <= 0 || nstim == 0)
		die("capture has no rate or no stimuli");
	recv_at = calloc(nstim, sizeof *recv_at);
	if (!recv_at)
		die("out of memory");
}

static int on_start(const char *path, const char *types, lo_arg **argv, int argc,
                    lo_message m, void *ud)
{
	(void)path, (void)types, (void)argv, (void)argc, (void)m, (void)ud;
	atomic_store(&started, 1);
	return 0;
}

/* The first response of a stimulus marks the arrival of its bundle. */
static int on_response(const char *path, const char *types, lo_arg **argv, int argc,
                       lo_message m, void *ud)
{
	(void)path, (void)m, (void)ud;
	double t = now();
	if (argc < 1 || types[0] != 'f')
		return 0;
	int64_t s = llround((double)argv[0]->f * rate);
	size_t lo = 0, hi = nstim;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (stim[mid] < s)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t k = lo > 0 ? lo - 1 : 0; k < nstim && k <= lo; k++)
		if (llabs(stim[k] - s) <= 2 && recv_at[k] == 0)
			recv_at[k] = t;
	return 0;
}

static void write_all(int fd, const uint8_t *p, size_t n)
{
	while (n) {
		ssize_t k = write(fd, p, n);
		if (k > 0) {
			p += k, n -= (size_t)k;
		} else if (k < 0 && errno == EAGAIN) {
			struct pollfd pfd = {fd, POLLOUT, 0};
			poll(&pfd, 1, 100);
		} else if (k < 0 && errno != EINTR) {
			die("write to the pty");
		}
	}
}

static void sleep_until(double t)
{
	struct timespec ts = {(time_t)t, (long)((t - floor(t)) * 1e9)};
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}

/* utime + stime of pid in seconds, or -1. */
static double cpu_of(pid_t pid)
{
	char path[64], buf[1024];
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	const char *p = strrchr(buf, ')');
	unsigned long ut, st;
	if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) != 2)
		return -1;
	return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

/* arg with every "@LINK@" and "@OSC@" replaced. */
static char *subst(const char *arg, const char *link, const char *osc)
{
	size_t cap = 1;
	for (const char *p = arg; *p;)
		if (strncmp(p, "@LINK@", 6) == 0)
			cap += strlen(link), p += 6;
		else if (strncmp(p, "@OSC@", 5) == 0)
			cap += strlen(osc), p += 5;
		else
			cap++, p++;
	char *out = malloc(cap), *q = out;
	if (!out)
		die("out of memory");
	for (const char *p = arg; *p;) {
		if (strncmp(p, "@LINK@", 6) == 0) {
			memcpy(q, link, strlen(link));
			q += strlen(link), p += 6;
		} else if (strncmp(p, "@OSC@", 5) == 0) {
			memcpy(q, osc, strlen(osc));
			q += strlen(osc), p += 5;
		} else {
			*q++ = *p++;
		}
	}
	*q = '\0';
	return out;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	if (argc < 7 || strcmp(argv[5], "--") != 0) {
		fprintf(stderr, "usage: latency CAPTURE LINK PIDFILE|- LINGER_S -- COMMAND...\n");
		return 2;
	}
	const char *link = argv[2], *pidfile = argv[3];
	double linger = atof(argv[4]);
	load(argv[1]);

	lo_server_thread srv = lo_server_thread_new_with_proto(NULL, LO_UDP, NULL);
	if (!srv)
		die("cannot start the OSC receiver");
	/* Dispatch bundles on arrival, whatever their time tag says. */
	lo_server_enable_queue(lo_server_thread_get_server(srv), 0, 1);
	lo_server_thread_add_method(srv, "/lsrmon/start", NULL, on_start, NULL);
	lo_server_thread_add_method(srv, "/lsrmon/response", NULL, on_response, NULL);
	if (lo_server_thread_start(srv) < 0)
		die("cannot start the OSC receiver thread");
	char osc[64];
	snprintf(osc, sizeof osc, "osc.udp://127.0.0.1:%d/", lo_server_thread_get_port(srv));

	int m = posix_openpt(O_RDWR | O_NOCTTY | O_NONBLOCK);
	if (m < 0 || grantpt(m) != 0 || unlockpt(m) != 0)
		die("cannot create a pty");
	int sl = open(ptsname(m), O_RDWR | O_NOCTTY);
	struct termios tio;
	if (sl < 0 || tcgetattr(sl, &tio) != 0)
		die("cannot open the pty's slave");
	cfmakeraw(&tio);
	if (tcsetattr(sl, TCSANOW, &tio) != 0)
		die("cannot make the pty raw");
	unlink(link);
	if (symlink(ptsname(m), link) != 0)
		die(link);

	pid_t child = fork();
	if (child < 0)
		die("fork");
	if (child == 0) {
		char **av = calloc((size_t)argc, sizeof *av);
		if (!av)
			_exit(127);
		for (int i = 6; i < argc; i++)
			av[i - 6] = subst(argv[i], link, osc);
		int dn = open("/dev/null", O_WRONLY);
		if (dn >= 0)
			dup2(dn, 1);
		execvp(av[0], av);
		_exit(127);
	}

	/* Until the console has opened the port and taken the configuration,
	 * only the first INFO frame is offered, every 250 ms (the pty holds
	 * what the console has not read yet). */
	double t_wait = now();
	while (!atomic_load(&started)) {
		if (now() - t_wait > 30)
			die("the console never sent /lsrmon/start");
		write_all(m, cap + fr[0].off, fr[0].len);
		usleep(250000);
	}
	pid_t watched = child;
	if (strcmp(pidfile, "-") != 0) {
		FILE *pf = fopen(pidfile, "r");
		int v = 0;
		if (!pf || fscanf(pf, "%d", &v) != 1)
			die("cannot read the pid file");
		fclose(pf);
		watched = (pid_t)v;
	}
	close(sl); /* from here on only the console reads */

	double t0 = now() + 0.05, c0 = cpu_of(watched);
	for (size_t i = 1; i < nfr; i++) {
		sleep_until(t0 + (double)fr[i].end / rate);
		write_all(m, cap + fr[i].off, fr[i].len);
		fr[i].written = now();
	}
	double t1 = now(), c1 = cpu_of(watched);
	sleep_until(t1 + 1.0); /* the last sweeps' events */
	double c2 = cpu_of(watched), t2 = now();
	if (linger > 0)
		sleep_until(t2 + linger);
	double c3 = cpu_of(watched), t3 = now();
	lo_server_thread_stop(srv);

	int64_t post = llround(POST_MS * rate / 1000.0);
	double *lat = malloc(nstim * sizeof *lat);
	if (!lat)
		die("out of memory");
	size_t nl = 0, missed = 0;
	for (size_t k = 0; k < nstim; k++) {
		int64_t last = stim[k] + post;
		/* The first frame that carries the sweep's last sample. */
		size_t lo = 1, hi = nfr;
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			if (fr[mid].end > last)
				hi = mid;
			else
				lo = mid + 1;
		}
		while (lo < nfr && fr[lo].end <= last)
			lo++;
		if (lo >= nfr)
			continue; /* the stream ended before this sweep did */
		if (recv_at[k] == 0)
			missed++;
		else
			lat[nl++] = (recv_at[k] - fr[lo].written) * 1000.0;
	}
	qsort(lat, nl, sizeof *lat, cmp_d);
	printf("stimuli=%zu missed=%zu median_ms=%.3f p99_ms=%.3f max_ms=%.3f "
	       "cpu_stream_pct=%.1f cpu_silent_pct=%.1f stream_s=%.1f\n",
	       nl, missed, nl ? lat[nl / 2] : NAN, nl ? lat[(size_t)ceil(0.99 * nl) - 1] : NAN,
	       nl ? lat[nl - 1] : NAN, 100 * (c1 - c0) / (t1 - t0),
	       linger > 0 ? 100 * (c3 - c2) / (t3 - t2) : NAN, t1 - t0);

	int st;
	if (waitpid(child, &st, WNOHANG) == 0) {
		kill(child, SIGTERM);
		waitpid(child, &st, 0);
	}
	lo_server_thread_free(srv);
	close(m);
	unlink(link);
	free(lat);
	free(recv_at);
	free(stim);
	free(fr);
	free(cap);
	return nl ? 0 : 1;
}
