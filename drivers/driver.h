/* drivers/driver.h — the one interface every acquisition source implements.
 *
 * A driver is a pure parser (bytes in, sample blocks out) or, for the
 * simulated patient, a generator (asked for samples up to a stream index).
 * Drivers never touch a port, a file, the screen or the clock: the session
 * hands them bytes and receives configurations and blocks through a sink.
 */
#ifndef LSR_DRIVER_H
#define LSR_DRIVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LSR_MAX_CHANNELS 32
#define LSR_LABEL_MAX 64
#define LSR_MAX_BLOCK 4096 /* most samples per channel in one block */

/* Bits of the marks byte, one per sample instant (same as LSRB). */
#define LSR_MARK_STIM 0x01u
#define LSR_MARK_BUTTON 0x02u
#define LSR_MARK_NOT_ACQUIRED 0x80u /* padding in recordings of earlier versions (replay only) */

struct lsr_stream_config {
	int rate;                  /* samples per second per channel */
	int channels;              /* analog channels, 1..LSR_MAX_CHANNELS */
	char labels[LSR_MAX_CHANNELS][LSR_LABEL_MAX];
	double uv_per_lsb;         /* quantum; 0 = values arrive as decimals (ascii) */
	double full_scale_uv;      /* |µV| at the ADC's limit; 0 = unknown */
	int format_bits;           /* 16 or 24 for integer sources, 0 otherwise */
	char device[128];          /* free text, not part of the configuration */
	char prefilter[80];        /* EDF style "HP:10Hz LP:5000Hz", or "" */
};

/* True when a and b describe the same stream (rate, channels, format,
 * uv_per_lsb, labels); device and prefilter do not count. */
bool lsr_stream_config_same(const struct lsr_stream_config *a,
                            const struct lsr_stream_config *b);

/* The word a simulated stream carries in its device text: the simulator's
 * own, the fake amplifier's INFO, a recording's equipment field. */
#define LSR_SIMULATION_WORD "SIMULATION"
/* What the screen, start's warnings, recordings and reports say of it. */
#define LSR_SIMULATION_TEXT LSR_SIMULATION_WORD ": a simulated patient, not a patient"
/* True when the stream comes from a simulated patient, by its device text
 * (man/lsrmon.1, SIMULATION). */
bool lsr_stream_config_simulated(const struct lsr_stream_config *cfg);

/* Samples per channel, channel-major so the signal core can vectorise:
 * channel c's i-th sample is samples[c * stride + i]. */
struct lsr_block {
	uint64_t index;            /* device sample index of sample 0, unwrapped */
	int nsamp;                 /* 1..LSR_MAX_BLOCK */
	int channels;
	size_t stride;
	const float *samples;      /* µV, unconditioned */
	const uint8_t *marks;      /* nsamp marks bytes */
};

enum lsr_segment_reason {
	LSR_SEGMENT_FIRST,         /* first valid configuration */
	LSR_SEGMENT_CHANGED,       /* a different configuration arrived */
	LSR_SEGMENT_RESTART,       /* same configuration, device index went back */
};

/* Where a driver delivers what it decoded. Callbacks run synchronously
 * inside feed()/generate(); pointers are valid only during the call. */
struct lsr_source_sink {
	void *ctx;
	void (*config)(void *ctx, const struct lsr_stream_config *cfg,
	               enum lsr_segment_reason why);
	/* Consecutive blocks are contiguous unless index jumps: a jump forward
	 * is lost samples (a gap), never to be joined as if contiguous. */
	void (*block)(void *ctx, const struct lsr_block *blk);
	/* A labelled mark at a device sample index: the simulator's scripted
	 * marks, a recording's annotations. May be NULL. */
	void (*label)(void *ctx, uint64_t index, const char *label);
};

/* Counters every driver keeps; all start at 0 and only grow. */
struct lsr_driver_stats {
	uint64_t bytes, frames, crc_errors, format_errors, resyncs, dropped,
	    lost_samples, corrupt_lines, info_invalid, data_before_info;
};

/* Options a driver may use (the simulator uses all of them). */
struct lsr_driver_opts {
	const char *scenario;      /* sim: NULL = classic */
	uint64_t seed;             /* sim */
	double duration_s;         /* sim: length of the scripted case */
	uint64_t sim_patient;      /* sim: 0 the reference patient, N > 0 drawn */
	bool sim_no_hum;           /* sim: the same patient without mains hum (tests) */
};

enum lsr_generate_status { LSR_GENERATE_MORE = 0, LSR_GENERATE_END = 1 };

struct lsr_driver {
	const char *name;
	const char *summary;       /* one line for --list-drivers */
	int default_baud;          /* 0 for generators */
	const char *capture_ext;   /* raw capture extension, e.g. ".lsrb"; NULL if none */
	const char *capture_form;  /* what such a capture holds, named when a file is refused */
	const uint8_t *start_bytes; size_t start_len; /* written after opening */
	const uint8_t *stop_bytes;  size_t stop_len;  /* written before closing */

	/* NULL on bad options (message in err). */
	void *(*create)(const struct lsr_driver_opts *opts, char *err, size_t errlen);
	void (*destroy)(void *st);
	/* Byte drivers: parse n bytes; never fails — bad bytes are counted. */
	void (*feed)(void *st, const uint8_t *buf, size_t n,
	             const struct lsr_source_sink *sink);
	/* Generators: produce samples up to (excluding) device index `until`. */
	enum lsr_generate_status (*generate)(void *st, uint64_t until,
	                                     const struct lsr_source_sink *sink);
	/* After a disconnect: drop any partial frame, keep the configuration,
	 * and expect the next bytes to start anywhere. */
	void (*resync)(void *st);
	void (*stats)(const void *st, struct lsr_driver_stats *out);
};

/* The explicit table of drivers, NULL-terminated. */
extern const struct lsr_driver *const lsr_drivers[];
const struct lsr_driver *lsr_driver_find(const char *name);
/* The driver whose capture_ext ends path, or NULL. */
const struct lsr_driver *lsr_driver_for_capture(const char *path);

#endif
