/* src/event.c — wire names of the event vocabulary (docs/interface.md). */
#include <string.h>

#include "event.h"

static const char *const type_names[LSR_EV_COUNT] = {
	"start", "stim", "response", "baseline", "channel_state", "state",
	"mark", "link", "gap", "alarm", "end",
};
static const char *const role_names[] = { "lsr", "control", "other" };
static const char *const state_names[LSR_STATE_COUNT] = {
	"acquiring", "present", "reduced", "disappeared",
	"stimulation_failure", "no_stimulus", "not_detected", "indeterminate",
};
static const char *const reason_names[] = { NULL, "noise", "no_valid_trials" };
static const char *const invalid_names[LSR_INVALID_COUNT] = {
	NULL, "no_direct", "saturated", "cautery", "spasm", "lead", "gap",
};
static const char *const origin_names[] = { "key", "cli", "recording", "osc", "device" };
static const char *const link_names[] = { "connected", "disconnected", "stalled" };
static const char *const final_names[] = {
	"not_detected", "disappeared", "partial", "persistent", "indeterminate",
};
static const char *const phase_names[] = { NULL, "premature", "after_decompression" };

const char *lsr_event_type_name(enum lsr_event_type t) { return type_names[t]; }
const char *lsr_role_name(enum lsr_role r) { return role_names[r]; }
const char *lsr_state_name(enum lsr_state s) { return state_names[s]; }
const char *lsr_stim_origin_name(enum lsr_stim_origin o) { return o == LSR_STIM_SYNC ? "sync" : "artifact"; }
const char *lsr_invalid_name(enum lsr_invalid r) { return invalid_names[r]; }
const char *lsr_mark_origin_name(enum lsr_mark_origin o) { return origin_names[o]; }
const char *lsr_link_name(enum lsr_link_status s) { return link_names[s]; }
const char *lsr_final_name(enum lsr_final f) { return final_names[f]; }
const char *lsr_phase_name(enum lsr_phase p) { return phase_names[p]; }
const char *lsr_reason_name(enum lsr_reason r) { return reason_names[r]; }

int lsr_role_parse(const char *s)
{
	for (int i = 0; i < 3; i++)
		if (strcmp(s, role_names[i]) == 0)
			return i;
	return -1;
}
