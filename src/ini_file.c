/* src/ini_file.c — INI files through inih, line by line (ini_file.h). */
#include <errno.h>
#include <ini.h>
#include <stdarg.h>
#include <stdbool.h>
#include <string.h>

#include "ini_file.h"

void lsr_ini_file_fail(struct lsr_ini_file *p, const char *fmt, ...)
{
	if (p->err_line)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(p->err, sizeof p->err, fmt, ap);
	va_end(ap);
	p->err_line = p->line > 0 ? p->line : 1;
}

static bool utf8_ok(const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		unsigned c = s[i];
		size_t k = c < 0x80 ? 0 : (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2 : (c & 0xF8) == 0xF0 ? 3 : 9;
		if (k == 9 || (k == 1 && c < 0xC2) || i + k >= n + (k == 0))
			return false;
		for (size_t j = 1; j <= k; j++)
			if ((s[i + j] & 0xC0) != 0x80)
				return false;
		i += k + 1;
	}
	return true;
}

/* ini_reader: hands inih one whole line at a time, refusing what inih
 * would mangle: overlong lines (cut, the rest misread as the next line),
 * indented lines (joined to the previous value), binary data, huge files.
 * inih's handler gets no line number in Debian's build, so the reader
 * counts them. */
static char *reader(char *str, int num, void *stream)
{
	struct lsr_ini_file *p = stream;
	if (p->err_line)
		return NULL;
	char buf[LSR_INI_FILE_LINE_MAX + 3];
	size_t n = 0;
	int c;
	bool any = false, bad = false, toolong = false;
	while ((c = getc(p->f)) != EOF) {
		any = true;
		if (++p->bytes > LSR_INI_FILE_MAX) {
			p->line++;
			lsr_ini_file_fail(p, "file larger than %d bytes", LSR_INI_FILE_MAX);
			return NULL;
		}
		if (c == '\n')
			break;
		if ((c < 0x20 && c != '\t' && c != '\r') || c == 0x7f)
			bad = true;
		if (n < LSR_INI_FILE_LINE_MAX + 1)
			buf[n++] = (char)c;
		else
			toolong = true;
	}
	if (!any)
		return NULL;
	p->line++;
	if (n && buf[n - 1] == '\r')
		n--;
	if (n > LSR_INI_FILE_LINE_MAX)
		toolong = true;
	if (bad || !utf8_ok((const unsigned char *)buf, n)) {
		lsr_ini_file_fail(p, "binary data or invalid UTF-8 (not a %s?)", p->what);
		return NULL;
	}
	if (toolong) {
		lsr_ini_file_fail(p, "line longer than %d bytes", LSR_INI_FILE_LINE_MAX);
		return NULL;
	}
	size_t lead = 0;
	while (lead < n && (buf[lead] == ' ' || buf[lead] == '\t'))
		lead++;
	if (lead > 0 && lead < n && buf[lead] != ';' && buf[lead] != '#') {
		lsr_ini_file_fail(p, "indented line: remove the indentation (inih would join it to the previous value)");
		return NULL;
	}
	buf[n] = '\0';
	if (p->line == 1 && n >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3))
		lead = 3;
	if (buf[lead] == '[' && p->section)
		p->section(p->user, buf + lead);
	if (p->err_line)
		return NULL;
	if ((int)n + 2 > num)
		return NULL; /* cannot happen: num is inih's 200 */
	memcpy(str, buf, n);
	str[n] = '\n';
	str[n + 1] = '\0';
	return str;
}

static int handler(void *user, const char *section, const char *key, const char *value)
{
	struct lsr_ini_file *p = user;
	if (p->err_line)
		return 1;
	if (!p->entry(p->user, section, key, value) && !p->err_line)
		lsr_ini_file_fail(p, "cannot use '%.40s' here", key);
	return 1;
}

int lsr_ini_file_parse(struct lsr_ini_file *p, const char *path, char *err, size_t errlen)
{
	p->line = 0;
	p->bytes = 0;
	p->err_line = 0;
	p->err[0] = '\0';
	p->f = fopen(path, "rb");
	if (!p->f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	int rc = ini_parse_stream(reader, p, handler, p);
	bool ioerr = ferror(p->f);
	fclose(p->f);
	p->f = NULL;
	if (rc > 0 && (!p->err_line || rc < p->err_line)) {
		p->err_line = 0;
		p->line = rc;
		lsr_ini_file_fail(p, "syntax error: expected [section], key = value, or a comment");
	} else if (rc < 0 && !p->err_line) {
		lsr_ini_file_fail(p, "cannot parse (out of memory)");
	}
	if (ioerr && !p->err_line)
		lsr_ini_file_fail(p, "read error");
	if (p->err_line) {
		snprintf(err, errlen, "%s:%d: %s", path, p->err_line, p->err);
		return -1;
	}
	return 0;
}
