/* src/params.h — the detector parameters of docs/interface.md, one table that
 * serves --set, layout [detector] sections, start.params and the recording. */
#ifndef LSR_PARAMS_H
#define LSR_PARAMS_H

#include <stdbool.h>
#include <stddef.h>

enum lsr_stim_source { LSR_STIM_SOURCE_AUTO, LSR_STIM_SOURCE_SYNC, LSR_STIM_SOURCE_ARTIFACT };
enum lsr_stim_branch { LSR_BRANCH_ZYGOMATIC, LSR_BRANCH_MANDIBULAR };
enum lsr_stim_side { LSR_SIDE_UNSET, LSR_SIDE_LEFT, LSR_SIDE_RIGHT };
/* Mains removal (src/signal/mains.h): found from the signal, set, or off. */
enum lsr_mains_mode { LSR_MAINS_AUTO, LSR_MAINS_50, LSR_MAINS_60, LSR_MAINS_OFF };

#define LSR_BUTTON_LABEL_MAX 64

struct lsr_signal_report; /* src/signal/signal_path.h */

struct lsr_params {
	double min_rate_hz;
	double hp_hz, lp_hz, notch_hz;
	int mains;               /* enum lsr_mains_mode */
	double blank_ms;
	double direct_from_ms, direct_to_ms;
	double lsr_from_ms, lsr_to_ms;
	double late_from_ms, late_to_ms;
	double train_ms;
	double floor_uv, noise_factor, noise_pct;
	double absent_pct, lsr_floor_uv;
	int max_trials;
	int baseline_trials, baseline_max;
	double baseline_precision_pct;
	double baseline_cv;
	double shape_pct;
	double control_min_pct, control_latency_ms;
	double reduced_pct, reduced_exit_pct;
	int disappear_trials, return_trials, failure_trials;
	int invalid_reset;
	double no_stim_factor, no_stim_min_s;
	double lead_noise_low, lead_noise_high;
	double onset_quiet_ms;
	double saturation_uv;
	enum lsr_stim_source stim_source;
	enum lsr_stim_branch stim_branch;
	enum lsr_stim_side stim_side;
	double stim_pulse_ms;
	char button_label[LSR_BUTTON_LABEL_MAX];
	double edf_range_uv;
	int alarm_bell;          /* 1: alarms ring the terminal bell (on), 0: off */
	/* Not a parameter (no key, never formatted or stored): where the
	 * signal path publishes what it measures of the stream itself — the
	 * mains hum, a lost sync line — for the session to show; NULL:
	 * nowhere.  Written only by the signal path, on the loop's thread. */
	struct lsr_signal_report *report;
};

void lsr_params_defaults(struct lsr_params *p);

/* Set one parameter from text.  Returns 0, or -1 with a message in err
 * naming the key and what is wrong (unknown key, not a number, range). */
int lsr_params_set(struct lsr_params *p, const char *key, const char *value,
                   char *err, size_t errlen);

/* Parse "KEY=VALUE" (the --set form). */
int lsr_params_set_kv(struct lsr_params *p, const char *kv, char *err, size_t errlen);

/* Checks between parameters (windows ordered, exit above entry, ...).
 * Returns 0, or -1 with a message. */
int lsr_params_check(const struct lsr_params *p, char *err, size_t errlen);

/* Enumeration, in the order of docs/interface.md, for start.params, OSC, the
 * recording's annotations and the man page. */
int lsr_params_count(void);
const char *lsr_params_key(int i);
/* True when parameter i is text (stim_source, …); then *text is set,
 * else *num is. */
bool lsr_params_get(const struct lsr_params *p, int i, double *num, const char **text);
/* The value as text, as --set would accept it back. */
void lsr_params_format(const struct lsr_params *p, int i, char *buf, size_t len);

#endif
