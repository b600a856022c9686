/* src/source/port.c — opening a serial byte stream: libserialport for real serial
 * ports, plain termios for ptys and FIFOs (libserialport 0.1.1 cannot open
 * those, docs/api-notes.md, B1), exclusive access and non-blocking reads for both. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <libserialport.h>
#include <limits.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "clock.h"
#include "port.h"

struct lsr_port {
	int fd;
	struct sp_port *sp; /* NULL: termios back-end, fd is ours to close */
};

/* A real serial port has a device behind its sysfs entry; ptys do not. */
static int is_real_serial(const char *path)
{
	if (strncmp(path, "/dev/", 5) != 0 || strncmp(path, "/dev/pts/", 9) == 0)
		return 0;
	char copy[PATH_MAX], sys[PATH_MAX + 32];
	snprintf(copy, sizeof copy, "%s", path);
	snprintf(sys, sizeof sys, "/sys/class/tty/%s/device", basename(copy));
	struct stat st;
	return stat(sys, &st) == 0;
}

static speed_t baud_constant(int baud)
{
	static const struct { int baud; speed_t c; } map[] = {
		{9600, B9600}, {19200, B19200}, {38400, B38400}, {57600, B57600},
		{115200, B115200}, {230400, B230400}, {460800, B460800},
		{500000, B500000}, {921600, B921600}, {1000000, B1000000},
		{2000000, B2000000}, {3000000, B3000000}, {4000000, B4000000},
	};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (map[i].baud == baud)
			return map[i].c;
	return B0;
}

static int open_termios(const char *path, int baud, int *eno, char *err, size_t errlen)
{
	int fd = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		*eno = errno;
		snprintf(err, errlen, "%s", strerror(errno));
		return -1;
	}
	if (isatty(fd)) {
		struct termios t;
		speed_t sp = baud_constant(baud);
		if (sp == B0) {
			snprintf(err, errlen, "unsupported baud rate %d", baud);
			close(fd);
			return -1;
		}
		if (tcgetattr(fd, &t) != 0) {
			snprintf(err, errlen, "cannot read the terminal settings: %s", strerror(errno));
			close(fd);
			return -1;
		}
		cfmakeraw(&t);
		t.c_cflag |= CLOCAL | CREAD;
		t.c_cflag &= ~(tcflag_t)(CSTOPB | PARENB | CRTSCTS);
		t.c_cc[VMIN] = 0;
		t.c_cc[VTIME] = 0;
		if (cfsetispeed(&t, sp) != 0 || cfsetospeed(&t, sp) != 0 ||
		    tcsetattr(fd, TCSANOW, &t) != 0) {
			snprintf(err, errlen, "cannot set raw mode: %s", strerror(errno));
			close(fd);
			return -1;
		}
	}
	return fd;
}

static const char *sp_text(enum sp_return r)
{
	switch (r) {
	case SP_ERR_ARG: return "not a serial port libserialport knows";
	case SP_ERR_MEM: return "out of memory";
	case SP_ERR_SUPP: return "operation not supported by the port";
	default: return strerror(errno ? errno : EIO);
	}
}

static int open_serial(const char *path, int baud, struct sp_port **out,
                       int *eno, char *err, size_t errlen)
{
	struct sp_port *sp = NULL;
	errno = 0;
	enum sp_return r = sp_get_port_by_name(path, &sp);
	if (r == SP_OK)
		r = sp_open(sp, SP_MODE_READ_WRITE);
	if (r != SP_OK) {
		*eno = r == SP_ERR_FAIL ? errno : 0;
		snprintf(err, errlen, "%s", sp_text(r));
		if (sp)
			sp_free_port(sp);
		return -1;
	}
	int fd = -1;
	if ((r = sp_set_baudrate(sp, baud)) != SP_OK || (r = sp_set_bits(sp, 8)) != SP_OK ||
	    (r = sp_set_parity(sp, SP_PARITY_NONE)) != SP_OK ||
	    (r = sp_set_stopbits(sp, 1)) != SP_OK ||
	    (r = sp_set_flowcontrol(sp, SP_FLOWCONTROL_NONE)) != SP_OK ||
	    (r = sp_get_port_handle(sp, &fd)) != SP_OK) {
		snprintf(err, errlen, "cannot configure it (%d baud 8N1): %s", baud, sp_text(r));
		sp_close(sp);
		sp_free_port(sp);
		return -1;
	}
	*out = sp;
	return fd;
}

static void close_fd(int fd, struct sp_port *sp)
{
	if (sp) {
		sp_close(sp);
		sp_free_port(sp);
	} else {
		close(fd);
	}
}

/* A tty, a pty or a FIFO carries a device's bytes; a regular file, a
 * directory or /dev/null does not, and reading one as a port would end
 * at once, again and again. */
static bool not_a_port(const char *name, const struct stat *st, int fd, char *err, size_t errlen)
{
	/* A tty the device hung up between open and this check answers EIO,
	 * not ENOTTY: it is still a tty (a pulled cable, a flapping pty). */
	if (S_ISFIFO(st->st_mode) || (S_ISCHR(st->st_mode) && (fd < 0 || isatty(fd) || errno == EIO)))
		return false;
	snprintf(err, errlen, "--port %s: not a serial port: expected a tty, a pty or a FIFO", name);
	return true;
}

struct lsr_port *lsr_port_open(const char *name, int baud, bool *refused, char *err, size_t errlen)
{
	char path[PATH_MAX], why[256];
	*refused = false;
	/* Debian's libserialport 0.1.1 does not resolve /dev/serial/by-id/…
	 * links, and a replugged device may come back on another node. */
	if (!realpath(name, path)) {
		snprintf(err, errlen, "cannot open port %s: %s", name, strerror(errno));
		return NULL;
	}
	struct stat st;
	if (stat(path, &st) != 0) {
		snprintf(err, errlen, "cannot open port %s: %s", name, strerror(errno));
		return NULL;
	}
	if ((*refused = not_a_port(name, &st, -1, err, errlen)))
		return NULL;
	struct sp_port *sp = NULL;
	int fd = -1, eno = 0;
	if (is_real_serial(path))
		fd = open_serial(path, baud, &sp, &eno, why, sizeof why);
	/* A port libserialport cannot handle still works as a plain tty. */
	if (fd < 0 && eno != EBUSY)
		fd = open_termios(path, baud, &eno, why, sizeof why);
	if (fd < 0) {
		if (eno == EBUSY)
			goto busy;
		snprintf(err, errlen, "cannot open port %s: %s", name, why);
		return NULL;
	}
	if ((*refused = not_a_port(name, &st, fd, err, errlen))) {
		close_fd(fd, sp);
		return NULL;
	}
	/* TIOCEXCL keeps other (non-root) openers out; root ignores it, so
	 * the advisory lock is what stops a second lsrmon as root. */
	if (isatty(fd) && ioctl(fd, TIOCEXCL) != 0 && errno != ENOTTY) {
		snprintf(err, errlen, "cannot open port %s: TIOCEXCL: %s", name, strerror(errno));
		close_fd(fd, sp);
		return NULL;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		int e = errno;
		close_fd(fd, sp);
		if (e == EWOULDBLOCK)
			goto busy;
		snprintf(err, errlen, "cannot lock port %s: %s", name, strerror(e));
		return NULL;
	}
	struct lsr_port *p = malloc(sizeof *p);
	if (!p) {
		close_fd(fd, sp);
		snprintf(err, errlen, "cannot open port %s: out of memory", name);
		return NULL;
	}
	p->fd = fd;
	p->sp = sp;
	return p;
busy:
	snprintf(err, errlen, "port %s is busy: another program (another lsrmon?) "
	         "has it open exclusively", name);
	return NULL;
}

int lsr_port_fd(const struct lsr_port *p)
{
	return p->fd;
}

ssize_t lsr_port_read(struct lsr_port *p, void *buf, size_t n)
{
	/* read() on the descriptor for both back-ends: sp_nonblocking_read
	 * reports a hang-up (0 bytes) the same as "no data" (docs/api-notes.md, B1). */
	for (;;) {
		ssize_t r = read(p->fd, buf, n);
		if (r > 0)
			return r;
		if (r == 0)
			return -1; /* end of file: the device hung up */
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return 0;
		return -1;
	}
}

int lsr_port_write(struct lsr_port *p, const void *buf, size_t n, int timeout_ms)
{
	const unsigned char *b = buf;
	double t0 = lsr_clock_mono();
	while (n) {
		ssize_t w = write(p->fd, b, n);
		if (w > 0) {
			b += w;
			n -= (size_t)w;
			continue;
		}
		if (w < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
			return -1;
		long spent = (long)((lsr_clock_mono() - t0) * 1000);
		if (spent >= timeout_ms)
			return -1;
		struct pollfd pfd = {.fd = p->fd, .events = POLLOUT};
		if (poll(&pfd, 1, (int)(timeout_ms - spent)) < 0 && errno != EINTR)
			return -1;
	}
	return 0;
}

void lsr_port_close(struct lsr_port *p)
{
	if (!p)
		return;
	close_fd(p->fd, p->sp);
	free(p);
}

int lsr_port_list(FILE *out, char *err, size_t errlen)
{
	struct sp_port **ports = NULL;
	enum sp_return r = sp_list_ports(&ports);
	if (r != SP_OK) {
		snprintf(err, errlen, "cannot list serial ports: %s", sp_text(r));
		return -1;
	}
	for (int i = 0; ports[i]; i++) {
		const char *desc = sp_get_port_description(ports[i]);
		fprintf(out, "%s\t%s\n", sp_get_port_name(ports[i]), desc ? desc : "");
	}
	sp_free_port_list(ports);
	/* The stable names to give --port: they survive replugging. */
	DIR *d = opendir("/dev/serial/by-id");
	if (d) {
		struct dirent *e;
		while ((e = readdir(d))) {
			if (e->d_name[0] == '.')
				continue;
			char link[PATH_MAX], target[PATH_MAX];
			snprintf(link, sizeof link, "/dev/serial/by-id/%s", e->d_name);
			if (realpath(link, target))
				fprintf(out, "%s\t-> %s\n", link, target);
		}
		closedir(d);
	}
	return 0;
}
