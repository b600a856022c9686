/* src/sink/report_txt.c — the case report as "key: value" lines for systems
 * that take text.  Keys are documented in lsrmon(1) and never renamed;
 * repeated keys (mark, state, note, warning) are one line per item. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_priv.h"

/* Text values stay on their line. */
static void put_text(FILE *f, const char *s)
{
	for (; *s; s++)
		fputc((unsigned char)*s < 0x20 || *s == 0x7f ? ' ' : *s, f);
}

static void put_kv(FILE *f, const char *key, const char *value)
{
	fprintf(f, "%s: ", key);
	put_text(f, value);
	fputc('\n', f);
}

static void put_num(FILE *f, const char *key, double v, int prec)
{
	if (isfinite(v))
		fprintf(f, "%s: %.*f\n", key, prec, v);
	else
		fprintf(f, "%s: none\n", key);
}

static void put_ma(FILE *f, const char *key, double ma)
{
	if (isfinite(ma))
		fprintf(f, "%s: %g\n", key, ma);
	else
		put_kv(f, key, "unset");
}

static void put_time(FILE *f, const struct lsr_report *r, const char *key, double t)
{
	char k[64], w[64];
	snprintf(k, sizeof k, "%s_t", key);
	put_num(f, k, t, 3);
	snprintf(k, sizeof k, "%s_wall", key);
	if (isfinite(t))
		lsr_report_wall(r, t, w, sizeof w);
	else
		snprintf(w, sizeof w, "none");
	put_kv(f, k, w);
}

static const char *role_of(const struct lsr_report *r, int ch)
{
	return ch < r->nch ? lsr_role_name(r->roles[ch]) : "other";
}

static void header(const struct lsr_report *r, FILE *f)
{
	char buf[64];
	fprintf(f, "lsrmon_report: 1\n");
	if (r->simulation)
		put_kv(f, "simulation", LSR_SIMULATION_TEXT " record");
	lsr_report_wall(r, r->t_first, buf, sizeof buf);
	put_kv(f, "case_start", buf);
	lsr_report_wall(r, r->t_last, buf, sizeof buf);
	put_kv(f, "case_end", buf);
	put_num(f, "duration_s", r->t_last - r->t_first, 1);
	const char *patient = r->case_details.value[LSR_CASE_PATIENT];
	put_kv(f, "patient", patient[0] ? patient : "anonymous");
	for (int i = 0; i < LSR_CASE_FIELDS; i++) {
		char key[48];
		snprintf(key, sizeof key, "case_%s", lsr_case_details_key((enum lsr_case_field)i));
		put_kv(f, key, r->case_details.value[i]);
	}
	put_kv(f, "device", r->device);
	put_kv(f, "driver", r->driver ? r->driver : "");
	put_kv(f, "source", r->source);
	fprintf(f, "rate_hz: %d\n", r->rate);
	fprintf(f, "segments: %d\n", r->segments);
	fprintf(f, "montage: ");
	for (int i = 0; i < r->nch; i++) {
		fprintf(f, "%s%d:", i ? "," : "", i);
		put_text(f, r->labels[i]);
		fprintf(f, ":%s", lsr_role_name(r->roles[i]));
	}
	fputc('\n', f);
	const char *names[] = { "stim_branch", "stim_side", "stim_pulse_ms" };
	for (size_t k = 0; k < sizeof names / sizeof names[0]; k++)
		for (int i = 0; i < lsr_params_count(); i++)
			if (strcmp(lsr_params_key(i), names[k]) == 0) {
				lsr_params_format(&r->params, i, buf, sizeof buf);
				put_kv(f, names[k], buf);
			}
	put_ma(f, "stim_intensity_ma", lsr_report_intensity(r));
	for (int i = 0; i < lsr_params_count(); i++) {
		char key[80];
		lsr_params_format(&r->params, i, buf, sizeof buf);
		snprintf(key, sizeof key, "param_%s", lsr_params_key(i));
		put_kv(f, key, buf);
	}
	for (int i = 0; i < r->nwarn; i++)
		put_kv(f, "warning", r->warnings[i]);
}

/* "1,2" (channel indices), or "none": ends the line. */
static void channels(FILE *f, uint32_t mask)
{
	bool any = false;
	for (int ch = 0; ch < 32; ch++)
		if (mask >> ch & 1u) {
			fprintf(f, "%s%d", any ? "," : "", ch);
			any = true;
		}
	fprintf(f, "%s\n", any ? "" : "none");
}

/* "0:10,1:16": what each LSR channel's decision averaged at the call. */
static void averaged(const struct lsr_report *r, const struct rep_state *st, FILE *f)
{
	bool any = false;
	for (int ch = 0; ch < REP_CH && ch < r->nch; ch++)
		if (st->avg_trials[ch] >= 0) {
			fprintf(f, "%s%d:%d", any ? "," : "", ch, st->avg_trials[ch]);
			any = true;
		}
	fprintf(f, "%s\n", any ? "" : "none");
}

static void outcome(const struct lsr_report *r, FILE *f)
{
	char buf[64];
	fprintf(f, "stims: %d\n", r->stims);
	fprintf(f, "valid_trials: %llu\n", (unsigned long long)r->valid_trials);
	for (int i = 1; i < LSR_INVALID_COUNT; i++)
		fprintf(f, "invalid_%s: %llu\n", lsr_invalid_name((enum lsr_invalid)i),
		        (unsigned long long)r->invalid[i]);
	for (int ch = 0; ch < REP_CH && ch < r->nch; ch++) {
		const struct rep_baseline *b = &r->base[ch];
		if (!b->have)
			continue;
		char key[64];
		snprintf(key, sizeof key, "baseline_ch%d_role", ch);
		put_kv(f, key, role_of(r, ch));
		snprintf(key, sizeof key, "baseline_ch%d_p2p_uv", ch);
		put_num(f, key, b->p2p, 1);
		snprintf(key, sizeof key, "baseline_ch%d_onset_ms", ch);
		put_num(f, key, b->onset, 2);
		fprintf(f, "baseline_ch%d_trials: %d\n", ch, b->trials);
		fprintf(f, "baseline_ch%d_confirmed: %s\n", ch, b->provisional ? "no" : "yes");
	}
	put_kv(f, "final", lsr_report_final_name(r));
	const char *phase = r->have_end ? lsr_phase_name(r->phase) : NULL;
	put_kv(f, "final_phase", phase ? phase : "none");
	const struct rep_state *loss = lsr_report_loss(r);
	if (loss) {
		put_num(f, "loss_t", loss->since, 3);
		lsr_report_wall(r, loss->since, buf, sizeof buf);
		put_kv(f, "loss_wall", buf);
		fprintf(f, "loss_confirm_trials: %d\n", loss->confirm_trials);
		put_kv(f, "loss_verified", loss->verified ? "yes" : "no");
		put_num(f, "loss_direct_pct", loss->direct_pct, 0);
		fprintf(f, "loss_average_trials: ");
		averaged(r, loss, f);
		fprintf(f, "loss_indeterminate_ch: ");
		channels(f, loss->indeterminate);
	} else {
		fprintf(f, "loss_t: none\nloss_wall: none\nloss_confirm_trials: none\n"
		        "loss_verified: none\nloss_direct_pct: none\nloss_average_trials: none\n"
		        "loss_indeterminate_ch: none\n");
	}
	const struct rep_state *cur = lsr_report_current(r);
	put_kv(f, "current_state", cur ? lsr_state_name(cur->state) : "acquiring");
	put_kv(f, "current_phase", cur && cur->premature ? "premature" :
	       cur && cur->after ? "after_decompression" : "none");
	put_time(f, r, "current_since", cur ? cur->since : NAN);
	uint32_t now = 0;
	for (int ch = 0; ch < REP_CH && ch < r->nch; ch++)
		if (r->open_span[ch] >= 0)
			now |= 1u << ch;
	fprintf(f, "current_indeterminate_ch: ");
	channels(f, now);
	const struct rep_mark *dec = lsr_report_decompression(r);
	put_time(f, r, "decompression", dec ? dec->t : NAN);
	put_num(f, "loss_after_decompression_s", loss && dec && loss->after ? loss->since - dec->t : NAN, 1);
	double base_t = NAN;
	for (int ch = 0; ch < REP_CH && ch < r->nch; ch++)
		if (r->base[ch].have && r->roles[ch] == LSR_ROLE_LSR && !isfinite(base_t))
			base_t = r->base[ch].t;
	put_ma(f, "intensity_at_baseline_ma", isfinite(base_t) ? lsr_report_intensity_at(r, base_t) : NAN);
	put_ma(f, "intensity_at_loss_ma", loss ? lsr_report_intensity_at(r, loss->t) : NAN);
	const struct rep_mark *c = lsr_report_confirm(r);
	put_kv(f, "confirmed_at_raised_intensity", loss ? (c ? "yes" : "no") : "none");
	put_time(f, r, "confirm", c ? c->t : NAN);
	char summary[1024];
	lsr_report_summary(r, summary, sizeof summary);
	put_kv(f, "summary", summary);
}

static void put_item(FILE *f, double v)
{
	if (isfinite(v))
		fprintf(f, "%.1f", v);
	else
		fprintf(f, "none");
}

static void put_item3(FILE *f, double v)
{
	if (isfinite(v))
		fprintf(f, "%.3f", v);
	else
		fprintf(f, "none");
}

static void snapshots(const struct lsr_report *r, FILE *f)
{
	char w[64];
	for (int m = 0; m < REP_MOMENTS; m++)
		for (int ch = 0; ch < REP_CH && ch < r->nch; ch++) {
			const struct rep_snapshot *sn = lsr_report_snapshot(r, (enum rep_moment)m, ch);
			if (!sn)
				continue;
			lsr_report_iso(r, sn->t, w, sizeof w);
			fprintf(f, "snapshot: moment=%s ch=%d role=%s t=%.3f wall=%s first_t=%.3f "
			        "last_t=%.3f trials=%d mean_p2p_uv=", lsr_report_moment_name((enum rep_moment)m),
			        ch, role_of(r, ch), sn->t, w, sn->first_t, sn->last_t, sn->trials);
			put_item(f, sn->mean_p2p);
			fprintf(f, " average_p2p_uv=");
			put_item(f, sn->amplitude);
			fputc('\n', f);
		}
}

static void timeline(const struct lsr_report *r, FILE *f)
{
	char buf[64];
	fprintf(f, "marks: %d\n", r->nmarks + r->marks_left_out);
	for (int i = 0; i < r->nmarks; i++) {
		const struct rep_mark *m = &r->marks[i];
		lsr_report_iso(r, m->t, buf, sizeof buf);
		fprintf(f, "mark: id=%d t=%.3f wall=%s origin=%s cancelled=%s ignored=%s label=", m->id,
		        m->t, buf, lsr_mark_origin_name(m->origin), m->cancelled ? "yes" : "no",
		        lsr_report_mark_ignored(r, m) ? "yes" : "no");
		put_text(f, m->label);
		fputc('\n', f);
	}
	fprintf(f, "state_changes: %d\n", r->nstates + r->states_left_out);
	for (int i = 0; i < r->nstates; i++) {
		const struct rep_state *s = &r->states[i];
		lsr_report_iso(r, s->t, buf, sizeof buf);
		fprintf(f, "state: t=%.3f wall=%s state=%s prev=%s since=%.3f phase=%s "
		        "verified=%s provisional=%s confirm_trials=%d ratio=",
		        s->t, buf, lsr_state_name(s->state), lsr_state_name(s->prev), s->since,
		        s->premature ? "premature" : s->after ? "after_decompression" : "none",
		        s->verified ? "yes" : "no", s->provisional ? "yes" : "no", s->confirm_trials);
		if (isfinite(s->ratio))
			fprintf(f, "%.3f", s->ratio);
		else
			fprintf(f, "none");
		fprintf(f, " indeterminate_ch=");
		channels(f, s->indeterminate);
	}
	fprintf(f, "indeterminate_spans: %d\n", r->nspans + r->spans_left_out);
	for (int i = 0; i < r->nspans; i++) {
		const struct rep_span *sp = &r->spans[i];
		char to[64];
		lsr_report_iso(r, sp->from, buf, sizeof buf);
		if (isfinite(sp->to))
			lsr_report_iso(r, sp->to, to, sizeof to);
		fprintf(f, "indeterminate: ch=%d from_t=%.3f from_wall=%s to_t=", sp->ch, sp->from, buf);
		put_item3(f, sp->to);
		fprintf(f, " to_wall=%s reason=%s\n", isfinite(sp->to) ? to : "none",
		        lsr_reason_name(sp->reason) ? lsr_reason_name(sp->reason) : "none");
	}
	fprintf(f, "link_losses: %d\nstalls: %d\ngaps: %d\ngap_samples: %lld\nalarms: %d\n",
	        r->link_losses, r->stalls, r->gaps, (long long)r->gap_samples, r->alarms);
	for (int i = 0; i < r->nnotes; i++) {
		const struct rep_note *n = &r->notes[i];
		lsr_report_iso(r, n->t, buf, sizeof buf);
		fprintf(f, "note: t=%.3f wall=%s type=%s text=", n->t, buf, lsr_event_type_name(n->type));
		put_text(f, n->text);
		fputc('\n', f);
	}
	if (r->have_stats) {
		const struct lsr_driver_stats *d = &r->stats.drv;
		fprintf(f, "stats_bytes: %llu\nstats_frames: %llu\nstats_crc_errors: %llu\n"
		        "stats_lost_samples: %llu\nstats_output_dropped: %llu\nstats_osc_dropped: %llu\n",
		        (unsigned long long)d->bytes, (unsigned long long)d->frames,
		        (unsigned long long)d->crc_errors, (unsigned long long)d->lost_samples,
		        (unsigned long long)r->stats.output_dropped,
		        (unsigned long long)r->stats.osc_dropped);
	}
}

int lsr_report_write_txt(const struct lsr_report *r, FILE *f)
{
	header(r, f);
	outcome(r, f);
	snapshots(r, f);
	timeline(r, f);
	return ferror(f) ? -1 : 0;
}
