/* src/case_details.c — case details: the [case] fields, read from a case
 * file with the layouts' careful reader (case_details.h). */
#include <string.h>
#include <strings.h>

#include "case_details.h"
#include "ini_file.h"

static const struct {
	const char *key, *label;
	bool layout_may_set;
} fields[LSR_CASE_FIELDS] = {
	[LSR_CASE_PATIENT] = { "patient", "Patient", false },
	[LSR_CASE_PROCEDURE] = { "procedure", "Procedure", true },
	[LSR_CASE_SIDE] = { "side", "Side", false },
	[LSR_CASE_SURGEON] = { "surgeon", "Surgeon", false },
	[LSR_CASE_NEUROPHYSIOLOGIST] = { "neurophysiologist", "Neurophysiologist", true },
	[LSR_CASE_ANAESTHESIA] = { "anaesthesia", "Anaesthesia", true },
	[LSR_CASE_ELECTRODES] = { "electrodes", "Electrodes", true },
	[LSR_CASE_NOTES] = { "notes", "Notes", false },
};

const char *lsr_case_details_key(enum lsr_case_field f) { return fields[f].key; }
const char *lsr_case_details_label(enum lsr_case_field f) { return fields[f].label; }
bool lsr_case_details_layout_may_set(enum lsr_case_field f) { return fields[f].layout_may_set; }

enum lsr_case_field lsr_case_details_field(const char *key)
{
	for (int f = 0; f < LSR_CASE_FIELDS; f++)
		if (!strcmp(key, fields[f].key))
			return (enum lsr_case_field)f;
	return LSR_CASE_FIELDS;
}

int lsr_case_details_set(struct lsr_case_details *c, const char *key, const char *value,
                         char *err, size_t errlen)
{
	enum lsr_case_field f = lsr_case_details_field(key);
	if (f == LSR_CASE_FIELDS) {
		snprintf(err, errlen, "unknown case detail '%.40s' (patient, procedure, side, surgeon, "
		         "neurophysiologist, anaesthesia, electrodes, notes)", key);
		return -1;
	}
	size_t n = strlen(value);
	if (n > LSR_CASE_TEXT_MAX) {
		snprintf(err, errlen, "%s: longer than %d bytes", key, LSR_CASE_TEXT_MAX);
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)value[i] < 0x20 || value[i] == 0x7f) {
			snprintf(err, errlen, "%s: control characters are not allowed", key);
			return -1;
		}
	if (f == LSR_CASE_SIDE && n && strcasecmp(value, "left") && strcasecmp(value, "right")) {
		snprintf(err, errlen, "side: '%.20s' is not left or right", value);
		return -1;
	}
	memcpy(c->value[f], value, n + 1);
	if (f == LSR_CASE_SIDE)
		for (char *p = c->value[f]; *p; p++)
			*p = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
	return 0;
}

struct load {
	struct lsr_ini_file ini;
	struct lsr_case_details *c;
	bool seen[LSR_CASE_FIELDS];
};

static void section(void *user, const char *header)
{
	struct load *l = user;
	if (strncmp(header, "[case]", 6) != 0)
		lsr_ini_file_fail(&l->ini, "a case file has one section, [case]");
}

static int entry(void *user, const char *sect, const char *key, const char *value)
{
	struct load *l = user;
	if (strcmp(sect, "case") != 0) {
		lsr_ini_file_fail(&l->ini, "'%.40s' outside the [case] section", key);
		return 0;
	}
	enum lsr_case_field f = lsr_case_details_field(key);
	if (f != LSR_CASE_FIELDS && l->seen[f]) {
		lsr_ini_file_fail(&l->ini, "'%s' set twice", key);
		return 0;
	}
	char e[160];
	if (lsr_case_details_set(l->c, key, value, e, sizeof e) < 0) {
		lsr_ini_file_fail(&l->ini, "%s", e);
		return 0;
	}
	l->seen[f] = true;
	return 1;
}

int lsr_case_details_load(struct lsr_case_details *c, const char *path, char *err, size_t errlen)
{
	struct load l = { .c = c };
	l.ini = (struct lsr_ini_file){ .what = "case file", .section = section, .entry = entry,
	                               .user = &l };
	memset(c, 0, sizeof *c);
	return lsr_ini_file_parse(&l.ini, path, err, errlen);
}

void lsr_case_details_fill(struct lsr_case_details *c, const struct lsr_case_details *defaults)
{
	for (int f = 0; f < LSR_CASE_FIELDS; f++)
		if (!c->value[f][0])
			memcpy(c->value[f], defaults->value[f], sizeof c->value[f]);
}

bool lsr_case_details_any(const struct lsr_case_details *c)
{
	for (int f = 0; f < LSR_CASE_FIELDS; f++)
		if (c->value[f][0])
			return true;
	return false;
}
