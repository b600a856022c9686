/* src/ui/panes.h — the panes: each draws one rectangle of the canvas from
 * the model, the view settings and the status facts, nothing else. */
#ifndef LSR_PANES_H
#define LSR_PANES_H

#include "canvas.h"
#include "keys.h"
#include "layout.h"
#include "model.h"
#include "ui.h"

struct lsr_pane_ctx {
	struct lsr_canvas *c;
	const struct lsr_model *m;
	const struct lsr_view *v;
	const struct lsr_ui_info *info;
	const struct lsr_layout_pane *pane;
	double freerun_s;       /* the layout's free-run window (seconds) */
};

/* The pane types, one entry each, indexed by enum lsr_pane_type (panes.c):
 * the name a layout file gives the type (layout.c reads it), the model
 * changes it is drawn again on and how it draws (screen.c).  A new pane is
 * one enum value, one pane_*.c and one entry here. */
struct lsr_pane_class {
	const char *name;
	unsigned dirty;         /* the LSR_DIRTY_* bits it is drawn again on */
	bool full_width;        /* spans the screen: no gutter column on its right */
	void (*draw)(const struct lsr_pane_ctx *p, struct lsr_rect r);
};
extern const struct lsr_pane_class lsr_pane_types[LSR_PANE_TYPE_COUNT];

void lsr_pane_sweeps(const struct lsr_pane_ctx *p, struct lsr_rect r);
void lsr_pane_freerun(const struct lsr_pane_ctx *p, struct lsr_rect r);
void lsr_pane_trend(const struct lsr_pane_ctx *p, struct lsr_rect r);
void lsr_pane_banner(const struct lsr_pane_ctx *p, struct lsr_rect r);
void lsr_pane_log(const struct lsr_pane_ctx *p, struct lsr_rect r);
void lsr_pane_status(const struct lsr_pane_ctx *p, struct lsr_rect r);
void lsr_pane_help(const struct lsr_pane_ctx *p, struct lsr_rect screen);
void lsr_pane_too_small(struct lsr_canvas *c, int w, int h);
/* The SIMULATION tag, centred on the first row of r (man/lsrmon.1,
 * SIMULATION): the banner's top row, or the screen's over what hides it. */
void lsr_pane_simulation(struct lsr_canvas *c, struct lsr_rect r);

/* The banner's words for the current state (what the surgeon reads):
 * the headline, and the notices joined in line2 ("" when none). */
void lsr_banner_text(const struct lsr_model *m, const struct lsr_ui_info *info,
                     char *line1, size_t len1, char *line2, size_t len2, int *color);
/* The banner's detail: since when, the phase (brief: without the mark's
 * id and time), the last valid trial. */
void lsr_banner_detail(const struct lsr_model *m, const struct lsr_ui_info *info, bool brief,
                       char *buf, size_t len);

/* A stream time as shown: the time of day when the wall clock is known
 * and not frozen, else "+HH:MM:SS" of stream time. */
void lsr_pane_time(const struct lsr_ui_info *info, double t, char *buf, size_t len);
/* Whether channel c is shown by a pane (its channel mask). */
bool lsr_pane_shows(const struct lsr_layout_pane *pane, int c);
/* The sweeps pane's grid for n channels in h lines: its columns and rows
 * (the screen maps a click with the same grid). */
void lsr_pane_sweeps_grid(const struct lsr_layout_pane *pane, int n, int h, int *cols, int *rows);

#endif
