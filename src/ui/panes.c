/* src/ui/panes.c — the one table of pane types (panes.h). */
#include "panes.h"

const struct lsr_pane_class lsr_pane_types[LSR_PANE_TYPE_COUNT] = {
	[LSR_PANE_BANNER] = { "banner", LSR_DIRTY_BANNER, true, lsr_pane_banner },
	[LSR_PANE_SWEEPS] = { "sweeps", LSR_DIRTY_SWEEPS, false, lsr_pane_sweeps },
	[LSR_PANE_FREERUN] = { "freerun", LSR_DIRTY_FREERUN, false, lsr_pane_freerun },
	[LSR_PANE_TREND] = { "trend", LSR_DIRTY_TREND, false, lsr_pane_trend },
	[LSR_PANE_LOG] = { "log", LSR_DIRTY_LOG, false, lsr_pane_log },
	[LSR_PANE_STATUS] = { "status", LSR_DIRTY_STATUS, true, lsr_pane_status },
};
