/* src/event.h — the events every sink consumes (JSON Lines, OSC, recorder,
 * screen, report), as listed in docs/interface.md "Events".  Producers fill one
 * struct and hand it to the bus; pointers inside are valid only during the
 * call, so a sink that keeps anything copies it. */
#ifndef LSR_EVENT_H
#define LSR_EVENT_H

#include <stdbool.h>
#include <stdint.h>

#include "driver.h"

struct lsr_params;

enum lsr_event_type {
	LSR_EV_START, LSR_EV_STIM, LSR_EV_RESPONSE, LSR_EV_BASELINE,
	LSR_EV_CHANNEL_STATE, LSR_EV_STATE, LSR_EV_MARK, LSR_EV_LINK,
	LSR_EV_GAP, LSR_EV_ALARM, LSR_EV_END,
	LSR_EV_COUNT
};

enum lsr_role { LSR_ROLE_LSR, LSR_ROLE_CONTROL, LSR_ROLE_OTHER };

enum lsr_state {
	LSR_STATE_ACQUIRING, LSR_STATE_PRESENT, LSR_STATE_REDUCED,
	LSR_STATE_DISAPPEARED, LSR_STATE_STIMULATION_FAILURE,
	LSR_STATE_NO_STIMULUS, LSR_STATE_NOT_DETECTED, LSR_STATE_INDETERMINATE,
	LSR_STATE_COUNT
};

/* Why a channel is indeterminate (channel_state.reason). */
enum lsr_reason {
	LSR_REASON_NONE,            /* not indeterminate: null */
	LSR_REASON_NOISE,           /* the decision cannot see 25% of baseline */
	LSR_REASON_NO_VALID_TRIALS  /* more than invalid_reset invalid in a row */
};

enum lsr_stim_origin { LSR_STIM_SYNC, LSR_STIM_ARTIFACT };

enum lsr_invalid {
	LSR_VALID = 0, LSR_INVALID_NO_DIRECT, LSR_INVALID_SATURATED,
	LSR_INVALID_CAUTERY, LSR_INVALID_SPASM, LSR_INVALID_LEAD,
	LSR_INVALID_GAP,
	LSR_INVALID_COUNT
};

enum lsr_mark_origin {
	LSR_ORIGIN_KEY, LSR_ORIGIN_CLI, LSR_ORIGIN_RECORDING, LSR_ORIGIN_OSC,
	LSR_ORIGIN_DEVICE
};

enum lsr_link_status { LSR_LINK_CONNECTED, LSR_LINK_DISCONNECTED, LSR_LINK_STALLED };

enum lsr_final {
	LSR_FINAL_NOT_DETECTED, LSR_FINAL_DISAPPEARED, LSR_FINAL_PARTIAL,
	LSR_FINAL_PERSISTENT, LSR_FINAL_INDETERMINATE
};

enum lsr_phase { LSR_PHASE_NONE, LSR_PHASE_PREMATURE, LSR_PHASE_AFTER_DECOMPRESSION };

/* Tri-state for `present`: null when the trial is indeterminate. */
enum lsr_tristate { LSR_NULL = -1, LSR_FALSE = 0, LSR_TRUE = 1 };

struct lsr_channel_info {
	int index;
	const char *label;
	enum lsr_role role;
};

/* end.stats: the driver counters plus the console's own. */
struct lsr_stats {
	struct lsr_driver_stats drv;
	uint64_t output_dropped, osc_dropped;
	/* The mains removal (src/signal/mains.h): the frequency removed and
	 * each channel's hum, µV RMS, around the latest sweeps (NAN: none). */
	double mains_hz;
	int nhum;
	double hum_uv[LSR_MAX_CHANNELS];
};

struct lsr_event {
	enum lsr_event_type type;
	double t; /* stream time, s */
	union {
		struct {
			int segment;
			const char *source; /* port, replay, sim */
			const char *driver;
			uint64_t sim_patient; /* source sim: which patient */
			int rate;
			int nch;
			const struct lsr_channel_info *channels;
			const struct lsr_params *params;
			int nwarn;
			const char *const *warnings;
			bool simulation; /* the source is the simulated patient */
		} start;
		struct {
			int n;
			enum lsr_stim_origin origin;
		} stim;
		struct {
			int n, ch;
			enum lsr_role role;
			bool valid;
			enum lsr_invalid invalid_reason;
			enum lsr_tristate present;
			double p2p_uv, onset_ms, area_uv_ms, late_p2p_uv, noise_uv,
			    threshold_uv; /* NAN = null */
			/* the shape-matched amplitude of this trial (NAN before
			 * a baseline shape exists) and the trials the decision
			 * used (1 for a single sweep, 0 for none) */
			double amplitude_uv;
			int trials;
			/* the average the decision judged, sweep_len samples like
			 * the sweeps (NULL when none, or when no sink wants it:
			 * struct lsr_sink) */
			const float *average;
			/* −10…+100 ms around the stimulus, sweep_len samples each:
			 * raw = unconditioned µV (OSC sweeps, recorder-side checks),
			 * conditioned = blanked, de-artifacted, filtered (screen). */
			const float *raw, *conditioned;
			int sweep_len;
			int sweep_pre; /* samples before the stimulus sample */
		} response;
		struct {
			int ch;
			double p2p_uv, onset_ms;
			int trials;
			bool provisional;
		} baseline;
		struct {
			int ch;
			enum lsr_state state, prev;
			enum lsr_reason reason;
		} channel_state;
		struct {
			enum lsr_state state, prev;
			double since;
			bool premature, after_decompression;
			double ratio; /* NAN = null */
			bool verified, provisional;
			/* LSR channels that cannot be judged now (with an
			 * overall disappeared); nind of them */
			const int *indeterminate_ch;
			int nind;
		} state;
		struct {
			int id;
			const char *label;
			enum lsr_mark_origin origin;
		} mark;
		struct {
			enum lsr_link_status status;
		} link;
		struct {
			int64_t samples;
		} gap;
		struct {
			const char *what, *text;
		} alarm;
		struct {
			enum lsr_final final;
			enum lsr_phase final_phase;
			int stims;
			const struct lsr_stats *stats;
		} end;
	};
};

/* A consumer of events.  group_end is called after the last event of a
 * group: one stimulus's stim/response/channel_state/state events, or any
 * single other event.  OSC turns a group into one bundle.  wants_average
 * (NULL: no) says whether the consumer draws response.average: averaging
 * whole sweeps for every decision is a share of a replay's detector work
 * that only a screen needs, so without one it is NULL. */
struct lsr_sink {
	void *ctx;
	void (*event)(void *ctx, const struct lsr_event *ev);
	void (*group_end)(void *ctx);
	bool (*wants_average)(void *ctx);
};

/* Wire names, exactly as docs/interface.md spells them. */
const char *lsr_event_type_name(enum lsr_event_type t);
const char *lsr_role_name(enum lsr_role r);
const char *lsr_state_name(enum lsr_state s);
const char *lsr_stim_origin_name(enum lsr_stim_origin o);
const char *lsr_invalid_name(enum lsr_invalid r); /* NULL for LSR_VALID */
const char *lsr_mark_origin_name(enum lsr_mark_origin o);
const char *lsr_link_name(enum lsr_link_status s);
const char *lsr_final_name(enum lsr_final f);
const char *lsr_phase_name(enum lsr_phase p); /* NULL for LSR_PHASE_NONE */
const char *lsr_reason_name(enum lsr_reason r); /* NULL for LSR_REASON_NONE */
/* Parse a role name; returns -1 if unknown. */
int lsr_role_parse(const char *s);

#endif
