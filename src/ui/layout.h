/* src/ui/layout.h — screen layouts (layouts/NAME.ini): panes and where they go,
 * display defaults, colours, the montage and detector settings. */
#ifndef LSR_LAYOUT_H
#define LSR_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "driver.h"
#include "event.h"
#include "case_details.h"
#include "params.h"

#define LSR_LAYOUT_MAX_PANES 16
#define LSR_LAYOUT_MAX_ROWS 12
#define LSR_LAYOUT_MAX_SET 64

enum lsr_pane_type {
	LSR_PANE_BANNER, LSR_PANE_SWEEPS, LSR_PANE_FREERUN, LSR_PANE_TREND,
	LSR_PANE_LOG, LSR_PANE_STATUS,
	LSR_PANE_TYPE_COUNT
};

/* A row height or a pane width: fixed cells, a percentage of the whole,
 * or a share of what is left ("*"). */
enum lsr_size_kind { LSR_SIZE_FILL, LSR_SIZE_FIXED, LSR_SIZE_PERCENT };
struct lsr_size {
	enum lsr_size_kind kind;
	int value;
};

/* Colour roles; the layout's [colors] names them. */
enum lsr_color {
	LSR_COLOR_TEXT, LSR_COLOR_TRACE, LSR_COLOR_STACK, LSR_COLOR_BASELINE,
	LSR_COLOR_WINDOW, LSR_COLOR_ONSET, LSR_COLOR_MARK, LSR_COLOR_BURST,
	LSR_COLOR_SELECTED, LSR_COLOR_ACQUIRING, LSR_COLOR_PRESENT,
	LSR_COLOR_REDUCED, LSR_COLOR_DISAPPEARED, LSR_COLOR_ALARM,
	LSR_COLOR_COUNT
};

struct lsr_layout_pane {
	char name[32];
	enum lsr_pane_type type;
	int row;                 /* 0-based */
	struct lsr_size width;
	uint32_t channels;       /* bit per channel; 0 = every channel */
	int columns;             /* sweeps: channel grid columns (0 = auto) */
	int line;                /* where it was defined, for messages */
};

struct lsr_layout_montage {
	int ch;                  /* channel number, or -1: match by label */
	char label[LSR_LABEL_MAX];
	enum lsr_role role;
};

struct lsr_layout {
	char path[256];
	char name[64];
	int nrows;
	struct lsr_size rows[LSR_LAYOUT_MAX_ROWS];
	int npanes;
	struct lsr_layout_pane panes[LSR_LAYOUT_MAX_PANES];
	/* [display] */
	double gain_uv;          /* µV per division */
	double timebase_ms;      /* ms per division */
	int stack;               /* sweeps kept faintly behind the latest */
	int average;             /* display-only averaging, 1–4 */
	bool stacked;            /* true: raster; false: superimposed */
	double freerun_s;        /* seconds across the free-run pane */
	/* [colors]: curses colour numbers, -1 = terminal default */
	short fg[LSR_COLOR_COUNT];
	/* [montage] */
	int nmontage;
	struct lsr_layout_montage montage[2 * LSR_MAX_CHANNELS];
	/* [detector] (and [montage] stim_branch), validated, kept as text so
	 * the session applies them at the layout's precedence. */
	int nset;
	struct { char key[32]; char value[64]; } set[LSR_LAYOUT_MAX_SET];
	/* [case]: defaults for procedure, neurophysiologist, anaesthesia and
	 * electrodes only */
	struct lsr_case_details case_defaults;
};

/* Built-in defaults: the standard arrangement, used when no layout file
 * is found (and as the base every file starts from, without its panes). */
void lsr_layout_defaults(struct lsr_layout *l);

/* Parse one file.  0, or -1 with "file:line: what is wrong" in err. */
int lsr_layout_parse_file(struct lsr_layout *l, const char *path,
                          char *err, size_t errlen);
/* NAME (searched in ./layouts, $XDG_CONFIG_HOME/lsrmon/layouts,
 * LSR_DATADIR/layouts) or a path (containing '/' or ending in .ini). */
int lsr_layout_load(struct lsr_layout *l, const char *name_or_path,
                    char *err, size_t errlen);

/* Apply [detector] settings to p.  0, or -1 with a message. */
int lsr_layout_apply_params(const struct lsr_layout *l, struct lsr_params *p,
                            char *err, size_t errlen);
/* The layout's montage over roles[]: entries by channel number, then by
 * label (case-insensitive); channels it does not name keep their role. */
void lsr_layout_apply_montage(const struct lsr_layout *l, const struct lsr_stream_config *cfg,
                              enum lsr_role *roles);

#endif
