/* src/params.c — the parameter table: names, defaults, ranges, parsing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "number.h"
#include "params.h"

enum kind { K_REAL, K_INT, K_ENUM, K_TEXT };

struct param {
	const char *key;
	enum kind kind;
	size_t off;
	double def, min, max;        /* K_REAL, K_INT */
	const char *const *choices;  /* K_ENUM: NULL-terminated */
	const char *range;           /* for --help and the man page */
};

static const char *const stim_sources[] = { "auto", "sync", "artifact", NULL };
static const char *const branches[] = { "zygomatic", "mandibular", NULL };
static const char *const sides[] = { "unset", "left", "right", NULL };
static const char *const on_off[] = { "off", "on", NULL };
static const char *const mains_modes[] = { "auto", "50", "60", "off", NULL };

#define R(k, d, lo, hi, txt) { #k, K_REAL, offsetof(struct lsr_params, k), d, lo, hi, NULL, txt }
#define I(k, d, lo, hi, txt) { #k, K_INT, offsetof(struct lsr_params, k), d, lo, hi, NULL, txt }
#define E(k, d, ch, txt) { #k, K_ENUM, offsetof(struct lsr_params, k), d, 0, 0, ch, txt }

/* Ranges: docs/interface.md's where it gives one; otherwise the widest values
 * that still make physical sense, so a typo cannot silently disable a rule. */
static const struct param table[] = {
	R(min_rate_hz, 5000, 250, 100000, "250-100000"),
	R(hp_hz, 30, 10, 30, "10-30"),
	R(lp_hz, 3000, 2000, 10000, "2000-10000 (clamped < 0.45 x rate)"),
	R(notch_hz, 0, 0, 60, "0, 50 or 60"),
	E(mains, LSR_MAINS_AUTO, mains_modes, "auto, 50, 60, off"),
	R(blank_ms, 2, 0.5, 4, "0.5-4"),
	R(direct_from_ms, 2, 0, 100, "0-100"),
	R(direct_to_ms, 8, 0, 100, "0-100"),
	R(lsr_from_ms, 6, 0, 100, "0-100"),
	R(lsr_to_ms, 20, 0, 100, "0-100"),
	R(late_from_ms, 20, 0, 100, "0-100"),
	R(late_to_ms, 60, 0, 100, "0-100"),
	R(train_ms, 20, 1, 500, "1-500"),
	R(floor_uv, 20, 1, 1000, "1-1000"),
	R(noise_factor, 1.5, 1.2, 3, "1.2-3"),
	R(noise_pct, 95, 50, 100, "50-100"),
	R(absent_pct, 25, 15, 40, "15-40"),
	R(lsr_floor_uv, 15, 0, 100, "0-100"),
	I(max_trials, 16, 1, 16, "1-16"),
	I(baseline_trials, 10, 5, 20, "5-20"),
	I(baseline_max, 40, 10, 40, "10-40"),
	R(baseline_precision_pct, 15, 5, 30, "5-30"),
	R(baseline_cv, 0.5, 0.05, 2, "0.05-2"),
	R(shape_pct, 20, 5, 50, "5-50"),
	R(control_min_pct, 50, 30, 70, "30-70"),
	R(control_latency_ms, 1.0, 0.1, 5, "0.1-5"),
	R(reduced_pct, 50, 30, 70, "30-70"),
	R(reduced_exit_pct, 60, 30, 90, "30-90"),
	I(disappear_trials, 10, 3, 20, "3-20"),
	I(return_trials, 3, 2, 10, "2-10"),
	I(failure_trials, 3, 2, 10, "2-10"),
	I(invalid_reset, 10, 2, 100, "2-100"),
	R(no_stim_factor, 3, 1.5, 20, "1.5-20"),
	R(no_stim_min_s, 3, 1, 60, "1-60"),
	R(lead_noise_low, 0.3, 0.01, 1, "0.01-1"),
	R(lead_noise_high, 3, 1, 100, "1-100"),
	R(onset_quiet_ms, 0.5, 0, 5, "0-5"),
	R(saturation_uv, 10000, 100, 1000000, "100-1000000"),
	E(stim_source, LSR_STIM_SOURCE_AUTO, stim_sources, "auto, sync, artifact"),
	E(stim_branch, LSR_BRANCH_ZYGOMATIC, branches, "zygomatic, mandibular"),
	E(stim_side, LSR_SIDE_UNSET, sides, "unset, left, right"),
	R(stim_pulse_ms, 0.2, 0.01, 2, "0.01-2"),
	{ "button_label", K_TEXT, offsetof(struct lsr_params, button_label), 0, 0, 0, NULL, "any mark label" },
	R(edf_range_uv, 5000, 100, 1000000, "100-1000000"),
	E(alarm_bell, 1, on_off, "on, off"),
};

#define NPARAMS ((int)(sizeof table / sizeof table[0]))

static double *real_at(struct lsr_params *p, const struct param *d) { return (double *)((char *)p + d->off); }
static int *int_at(struct lsr_params *p, const struct param *d) { return (int *)((char *)p + d->off); }
static const double *creal_at(const struct lsr_params *p, const struct param *d) { return (const double *)((const char *)p + d->off); }
static const int *cint_at(const struct lsr_params *p, const struct param *d) { return (const int *)((const char *)p + d->off); }

void lsr_params_defaults(struct lsr_params *p)
{
	memset(p, 0, sizeof *p);
	for (int i = 0; i < NPARAMS; i++) {
		const struct param *d = &table[i];
		switch (d->kind) {
		case K_REAL: *real_at(p, d) = d->def; break;
		case K_INT:
		case K_ENUM: *int_at(p, d) = (int)d->def; break;
		case K_TEXT: break;
		}
	}
	snprintf(p->button_label, sizeof p->button_label, "%s", "Button");
}

static const struct param *find(const char *key)
{
	for (int i = 0; i < NPARAMS; i++)
		if (strcmp(table[i].key, key) == 0)
			return &table[i];
	return NULL;
}

int lsr_params_set(struct lsr_params *p, const char *key, const char *value,
                   char *err, size_t errlen)
{
	const struct param *d = find(key);
	if (!d) {
		snprintf(err, errlen, "unknown parameter '%s'", key);
		return -1;
	}
	double v;
	int r;
	switch (d->kind) {
	case K_REAL:
	case K_INT:
		r = lsr_number_parse(value, strlen(value),
		                     d->kind == K_INT ? LSR_NUMBER_INTEGER : LSR_NUMBER_DECIMAL,
		                     d->min, d->max, &v);
		if (r < 0)
			return lsr_number_explain(err, errlen, key, value, r, d->range);
		if (strcmp(key, "notch_hz") == 0 && v != 0 && v != 50 && v != 60) {
			snprintf(err, errlen, "notch_hz: %s must be 0, 50 or 60", value);
			return -1;
		}
		if (d->kind == K_REAL)
			*real_at(p, d) = v;
		else
			*int_at(p, d) = (int)v;
		return 0;
	case K_ENUM:
		for (int c = 0; d->choices[c]; c++)
			if (strcasecmp(value, d->choices[c]) == 0) {
				*int_at(p, d) = c;
				return 0;
			}
		snprintf(err, errlen, "%s: '%s' is not one of %s", key, value, d->range);
		return -1;
	case K_TEXT:
		if (value[0] == '\0' || strlen(value) >= LSR_BUTTON_LABEL_MAX) {
			snprintf(err, errlen, "%s: the label must be 1-%d bytes", key, LSR_BUTTON_LABEL_MAX - 1);
			return -1;
		}
		snprintf((char *)p + d->off, LSR_BUTTON_LABEL_MAX, "%s", value);
		return 0;
	}
	return -1;
}

int lsr_params_set_kv(struct lsr_params *p, const char *kv, char *err, size_t errlen)
{
	const char *eq = strchr(kv, '=');
	if (!eq || eq == kv) {
		snprintf(err, errlen, "'%s' is not KEY=VALUE", kv);
		return -1;
	}
	char key[64];
	size_t klen = (size_t)(eq - kv);
	if (klen >= sizeof key) {
		snprintf(err, errlen, "unknown parameter '%.*s'", 40, kv);
		return -1;
	}
	memcpy(key, kv, klen);
	key[klen] = '\0';
	return lsr_params_set(p, key, eq + 1, err, errlen);
}

int lsr_params_check(const struct lsr_params *p, char *err, size_t errlen)
{
	struct { const char *name; double from, to; } win[] = {
		{ "direct", p->direct_from_ms, p->direct_to_ms },
		{ "lsr", p->lsr_from_ms, p->lsr_to_ms },
		{ "late", p->late_from_ms, p->late_to_ms },
	};
	for (size_t i = 0; i < sizeof win / sizeof win[0]; i++)
		if (!(win[i].from < win[i].to)) {
			snprintf(err, errlen, "%s_from_ms (%g) must be below %s_to_ms (%g)",
			         win[i].name, win[i].from, win[i].name, win[i].to);
			return -1;
		}
	if (p->blank_ms >= p->lsr_from_ms) {
		snprintf(err, errlen, "blank_ms (%g) must end before lsr_from_ms (%g)", p->blank_ms, p->lsr_from_ms);
		return -1;
	}
	if (p->reduced_exit_pct < p->reduced_pct) {
		snprintf(err, errlen, "reduced_exit_pct (%g) must not be below reduced_pct (%g)",
		         p->reduced_exit_pct, p->reduced_pct);
		return -1;
	}
	/* the detector's noise-only windows are 60–100 ms (docs/detector.md):
	 * the LSR window, with the latency it may drift by, ends before */
	if (p->lsr_to_ms > 50 || p->lsr_to_ms - p->lsr_from_ms > 30) {
		snprintf(err, errlen,
		         "lsr_to_ms (%g) must be at most 50 and the LSR window at most 30 ms long "
		         "(the noise windows are 60-100 ms)",
		         p->lsr_to_ms);
		return -1;
	}
	if (p->baseline_max < p->baseline_trials) {
		snprintf(err, errlen, "baseline_max (%d) must not be below baseline_trials (%d)",
		         p->baseline_max, p->baseline_trials);
		return -1;
	}
	if (p->absent_pct >= p->reduced_pct) {
		snprintf(err, errlen, "absent_pct (%g) must be below reduced_pct (%g)",
		         p->absent_pct, p->reduced_pct);
		return -1;
	}
	if (p->lead_noise_low >= p->lead_noise_high) {
		snprintf(err, errlen, "lead_noise_low (%g) must be below lead_noise_high (%g)",
		         p->lead_noise_low, p->lead_noise_high);
		return -1;
	}
	return 0;
}

int lsr_params_count(void) { return NPARAMS; }
const char *lsr_params_key(int i) { return table[i].key; }

bool lsr_params_get(const struct lsr_params *p, int i, double *num, const char **text)
{
	const struct param *d = &table[i];
	switch (d->kind) {
	case K_REAL: *num = *creal_at(p, d); return false;
	case K_INT: *num = *cint_at(p, d); return false;
	case K_ENUM: *text = d->choices[*cint_at(p, d)]; return true;
	case K_TEXT: *text = (const char *)p + d->off; return true;
	}
	return false;
}

void lsr_params_format(const struct lsr_params *p, int i, char *buf, size_t len)
{
	double num = 0;
	const char *text = NULL;
	if (lsr_params_get(p, i, &num, &text))
		snprintf(buf, len, "%s", text);
	else
		snprintf(buf, len, "%.10g", num);
}
