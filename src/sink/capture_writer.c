/* src/sink/capture_writer.c — --capture: the bytes exactly as read from the port,
 * appended to a file; a disk fault is reported once and never stops
 * monitoring. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capture_writer.h"

struct lsr_capture_writer {
	int fd;
	char *path;
	bool failed;
};

struct lsr_capture_writer *lsr_capture_writer_open(const char *path, bool force, char *err,
                                     size_t errlen, int *exit_code)
{
	int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (force ? O_TRUNC : O_EXCL);
	int fd = open(path, flags, 0600);
	struct stat st;
	/* The bytes of a patient's case: owner only, also when --force
	 * replaces a file that had wider permissions. */
	if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0777) != 0600 &&
	    fchmod(fd, 0600) < 0) {
		int e = errno;
		close(fd);
		fd = -1;
		errno = e;
	}
	if (fd < 0) {
		bool exists = errno == EEXIST;
		snprintf(err, errlen, "--capture %s: %s%s", path, strerror(errno),
		         exists ? " (use --force to replace it)" : "");
		*exit_code = exists ? 2 : 1;
		return NULL;
	}
	struct lsr_capture_writer *c = malloc(sizeof *c);
	char *p = strdup(path);
	if (!c || !p) {
		free(c);
		free(p);
		close(fd);
		snprintf(err, errlen, "--capture %s: out of memory", path);
		*exit_code = 1;
		return NULL;
	}
	*c = (struct lsr_capture_writer){fd, p, false};
	return c;
}

int lsr_capture_writer_write(struct lsr_capture_writer *c, const uint8_t *buf, size_t n,
                      char *err, size_t errlen)
{
	if (c->failed)
		return 0;
	while (n) {
		ssize_t w = write(c->fd, buf, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			c->failed = true;
			snprintf(err, errlen, "capture %s: %s: the capture is incomplete", c->path,
			         w < 0 ? strerror(errno) : "nothing written");
			return -1;
		}
		buf += w;
		n -= (size_t)w;
	}
	return 0;
}

int lsr_capture_writer_close(struct lsr_capture_writer *c)
{
	if (!c)
		return 0;
	int rc = c->failed ? -1 : 0;
	if (close(c->fd) != 0)
		rc = -1;
	free(c->path);
	free(c);
	return rc;
}
