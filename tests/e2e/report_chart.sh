#!/usr/bin/env bash
# tests/e2e/report_chart.sh — the case report as a chart document, against
# the simulator's ground truth (simtruth), for every scenario (all 11):
# - the summary sentence tells the course the truth scripted (a premature
#   loss at dural opening and its return after the true delay, a loss N s
#   after decompression with N from the true loss, persistence, a partial
#   loss, a stimulation failure), and the final call's facts;
# - the timeline lists the true marks in order, a loss at each true loss
#   (dated at the first stimulus after it, premature unless the true
#   Decompression mark precedes it) and a return after each true return;
# - what the call's decisions averaged, the channels indeterminate at it
#   and every indeterminate span are what the events said;
# - a snapshot exists for each moment the case has (baseline, before
#   decompression, at the loss, at the end) and none for one it has not;
#   each averages every valid trial of its stretch (the truth's count),
#   before decompression only trials before the mark, at the loss only the
#   loss's, at the end up to the last valid one; its panel on page 2 is
#   captioned with its time and trials, a missing one says why; each
#   snapshot's mean amplitude agrees with the true amplitudes of the
#   trials it averaged, and its average shows an LSR where the truth has
#   one and none where it has none;
# - no word runs past the page's margins (pdftotext -bbox);
# - with --case every field is on the PDF (pdftotext); without it the
#   report says "anonymous" and leaves the fields blank;
# - the report of the replayed recording equals the live one, case
#   details included.
set -u
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
fail=0
cat >"$dir/case.ini" <<'INI'
[case]
patient = MRN123 M 01-JAN-1970 Test_Patient
procedure = Microvascular decompression
side = left
surgeon = Dr A. Surgeon
neurophysiologist = B. Neuro
anaesthesia = TIVA, no relaxant
electrodes = needle, mentalis and orbicularis oculi
notes = Redo operation
INI
for scenario in classic premature persistent partial stim-failure noisy no-sync intensity blockade noise-rise no-lsr; do
	seed=21
	rm -f "$dir"/r.* "$dir"/p.*
	"$LSRMON" --headless --scenario "$scenario" --seed $seed --duration 120 --report "$dir/r" \
		--case "$dir/case.ini" --record "$dir/r.bdf" >"$dir/ev.jsonl" ||
		{ echo "$scenario: lsrmon exit $?"; fail=1; continue; }
	"$LSRMON" --headless --replay "$dir/r.bdf" --report "$dir/p" >/dev/null ||
		{ echo "$scenario: replay exit $?"; fail=1; continue; }
	simtruth --scenario "$scenario" --seed $seed --duration 120 >"$dir/truth.json" || { echo "simtruth failed"; exit 1; }
	pdftotext -layout "$dir/r.pdf" "$dir/r.pdf.txt" || { echo "$scenario: pdftotext"; fail=1; continue; }
	pdftotext -bbox "$dir/r.pdf" "$dir/r.bbox" || { echo "$scenario: pdftotext -bbox"; fail=1; continue; }
	/usr/bin/python3 - "$scenario" "$dir" <<'PY' || fail=1
import json, re, sys
scenario, d = sys.argv[1], sys.argv[2]
truth = json.load(open(d + "/truth.json"))
def kv_of(path):
    kv, lines = {}, open(path).read().splitlines()
    for line in lines:
        k, _, v = line.partition(': ')
        kv.setdefault(k, v)
    return kv, lines
kv, lines = kv_of(d + "/r.txt")
errors = []
summary = kv.get("summary", "")
marks = {m["label"]: m["t"] for m in truth["marks"]}
stims = [s["t"] for s in truth["stims"]]
def first_stim_after(t):
    after = [s for s in stims if s >= t - 1e-9]
    return after[0] if after else None
final = truth["expected_final"]
if final == "disappeared" and truth["expected_phase"] == "after_decompression":
    loss = first_stim_after(truth["loss_t"][-1])
    m = re.search(r"disappeared ([0-9.]+) s after decompression", summary)
    if not m or abs(float(m.group(1)) - (loss - marks["Decompression"])) > 0.06:
        errors.append(f"summary does not date the loss {loss - marks['Decompression']:.1f} s after decompression: {summary!r}")
    if f"judged absent on the last {kv.get('loss_confirm_trials')} valid trials" not in summary:
        errors.append(f"summary lacks the trials the call rests on: {summary!r}")
    if "not confirmed at raised intensity" not in summary:
        errors.append("summary: no Confirm mark, but it does not say 'not confirmed'")
if scenario == "premature":
    if "disappeared prematurely at dural opening" not in summary:
        errors.append(f"summary lacks the premature loss at dural opening: {summary!r}")
    m = re.search(r"returned after ([0-9]+) s", summary)
    true_delay = truth["return_t"][0] - truth["loss_t"][0]
    if not m or abs(int(m.group(1)) - true_delay) > 3:
        errors.append(f"summary lacks the return after {true_delay:.0f} s: {summary!r}")
if final == "persistent" and "persisted to the end of the case" not in summary:
    errors.append(f"persistent case, summary {summary!r}")
if final == "partial" and "reduced at the end of the case" not in summary:
    errors.append(f"partial case, summary {summary!r}")
if scenario == "stim-failure" and "stimulation failed at" not in summary:
    errors.append(f"stimulation failure not in the summary: {summary!r}")
# (None: the truth leaves the final open, e.g. a blockade whose LSR may
# or may not fall below reduced)
if final is not None and kv.get("final") != final:
    errors.append(f"final {kv.get('final')} != {final}")
# timeline: the true marks, in order
got = [re.search(r" t=([0-9.]+) .*label=(.*)$", l).groups() for l in lines if l.startswith("mark: ")]
want = [(f"{m['t']:.3f}", m["label"]) for m in truth["marks"]]
if got != want:
    errors.append(f"timeline marks {got} != {want}")
# timeline: a loss at each true loss (its first trial the first stimulus
# after it), premature unless the true Decompression mark precedes it, and
# between two losses a return no earlier than the true one
items = lambda l: dict(x.split("=", 1) for x in l.split(": ", 1)[1].split(" "))
states = [items(l) for l in lines if l.startswith("state: ")]
losses = [s for s in states if s["state"] == "disappeared" and s["prev"] != "disappeared"]
# (a case without a true loss must list none)
if len(losses) != len(truth["loss_t"]):
    errors.append(f"{len(losses)} losses in the timeline, the truth has {len(truth['loss_t'])}")
for s, lt in zip(losses, truth["loss_t"]):
    stim = first_stim_after(lt)
    if abs(float(s["since"]) - stim) > 0.01:
        errors.append(f"loss since {s['since']}, true loss {lt} (first stimulus {stim})")
    phase = "after_decompression" if marks.get("Decompression", 1e9) <= lt else "premature"
    if s["phase"] != phase:
        errors.append(f"loss at {s['since']}: phase {s['phase']}, truth {phase}")
for rt in truth["return_t"]:
    back = [s for s in states if s["state"] in ("present", "reduced") and s["prev"] != "acquiring"
            and float(s["since"]) >= first_stim_after(rt) - 0.01 and float(s["since"]) <= rt + 10]
    if not back:
        errors.append(f"no return in the timeline within 10 s of the true return at {rt}")
# what the call averaged and whom it could not see: as the events said
events = [json.loads(l) for l in open(d + "/ev.jsonl")]
if final == "disappeared":
    call = [e for e in events if e["type"] == "state" and e["state"] == "disappeared"][-1]
    avg = ",".join(f"{e['ch']}:{e['trials']}" for e in events if e["type"] == "response"
                   and e["role"] == "lsr" and abs(e["t"] - call["t"]) < 1e-6)
    if kv.get("loss_average_trials") != avg:
        errors.append(f"loss_average_trials {kv.get('loss_average_trials')} != the events' {avg}")
    ind = ",".join(str(c) for c in call["indeterminate_ch"]) or "none"
    if kv.get("loss_indeterminate_ch") != ind:
        errors.append(f"loss_indeterminate_ch {kv.get('loss_indeterminate_ch')} != {ind}")
    k = avg.split(",")[0].split(":")[1]
    pdf1 = open(d + "/r.pdf.txt").read()
    if f"valid trials (average of {k})" not in pdf1 and "averages of" not in pdf1:
        errors.append("the verdict box does not say what the call averaged")
open_at, spans = {}, []
for e in events:
    if e["type"] != "channel_state":
        continue
    if e["state"] == "indeterminate" and e["ch"] not in open_at:
        open_at[e["ch"]] = (e["t"], e["reason"])
    elif e["state"] != "indeterminate" and e["ch"] in open_at:
        t0, why = open_at.pop(e["ch"])
        spans.append((e["ch"], f"{t0:.3f}", f"{e['t']:.3f}", why))
spans += [(ch, f"{t0:.3f}", "none", why) for ch, (t0, why) in open_at.items()]
got_spans = [(int(f["ch"]), f["from_t"], f["to_t"], f["reason"])
             for f in (items(l) for l in lines if l.startswith("indeterminate: "))]
if sorted(got_spans) != sorted(spans):
    errors.append(f"indeterminate spans {got_spans} != the events' {spans}")
# snapshots
snaps = {}
for l in lines:
    if l.startswith("snapshot: "):
        f = dict(x.split("=", 1) for x in l[len("snapshot: "):].split(" "))
        snaps[(f["moment"], int(f["ch"]))] = f
moments = {m for m, _ in snaps}
expect = {"baseline", "end"}
if "Decompression" in marks:
    expect.add("before_decompression")
if final == "disappeared":
    expect.add("at_loss")
if moments != expect:
    errors.append(f"snapshot moments {sorted(moments)} != {sorted(expect)}")
# each snapshot averages every valid trial of its stretch, at its moment
# (the report prints stream times to the millisecond: eps is half of one)
eps = 0.0006
usable = [s["t"] for s in truth["stims"] if s["usable"] and s["t"] + 0.1 <= truth["duration"]]
pdf = open(d + "/r.pdf.txt").read()
for (moment, ch), f in snaps.items():
    t0, t1 = float(f["first_t"]), float(f["last_t"])
    n = sum(1 for t in usable if t0 - eps <= t <= t1 + eps)
    if int(f["trials"]) != n:
        errors.append(f"snapshot {moment} ch{ch}: {f['trials']} trials, the truth has {n} valid from {t0} to {t1}")
    if moment == "baseline" and f["trials"] != kv.get(f"baseline_ch{ch}_trials"):
        errors.append(f"baseline snapshot ch{ch}: {f['trials']} trials, the baseline took "
                      f"{kv.get(f'baseline_ch{ch}_trials')}")
    if moment == "before_decompression" and not (t1 < marks["Decompression"] and
            float(f["t"]) == marks["Decompression"] and [t for t in usable if t1 + eps < t < marks["Decompression"] - 0.1] == []):
        errors.append(f"snapshot before decompression ch{ch}: {t0}-{t1}, mark at {marks['Decompression']}")
    if moment == "at_loss" and t0 < first_stim_after(truth["loss_t"][-1]) - eps:
        errors.append(f"snapshot at the loss ch{ch} averages trials from {t0}, before the loss")
    if moment == "end" and abs(t1 - usable[-1]) > eps:
        errors.append(f"snapshot at the end ch{ch}: last trial {t1}, the last valid one is {usable[-1]}")
    # its panel on page 2: the time of day and the trials
    caption = f"{f['wall'][11:19]}, {f['trials']} trials"
    if caption not in pdf:
        errors.append(f"no panel captioned {caption!r} for {moment} ch{ch}")
for moment, why in (("before_decompression", "no Decompression mark"), ("at_loss", "no loss")):
    if moment not in moments and why not in pdf:
        errors.append(f"the {moment} panel does not say {why!r}")
for (moment, ch), f in snaps.items():
    if ch > 1:
        continue
    t0, t1 = float(f["first_t"]), float(f["last_t"])
    amps = [s["lsr_uv"][ch] for s in truth["stims"]
            if t0 - 1e-6 <= s["t"] <= t1 + 1e-6 and s["reaches_nerve"] and not s["contaminated"]]
    if not amps or f["mean_p2p_uv"] == "none":
        continue
    true_mean = sum(amps) / len(amps)
    got = float(f["mean_p2p_uv"])
    base = float(kv[f"baseline_ch{ch}_p2p_uv"])
    if true_mean >= 50 and abs(got - true_mean) > 0.12 * true_mean:
        errors.append(f"snapshot {moment} ch{ch}: mean {got} vs true {true_mean:.1f}")
    # A patient without an LSR has no LSR baseline to compare with: then
    # the single sweeps' p2p is their noise (about 4-5 x its RMS) and an
    # average of N of them about that over sqrt(N).
    rms = truth["patient"]["noise_uv"]
    no_lsr = final == "not_detected"
    if no_lsr and got > 6 * rms:
        errors.append(f"snapshot {moment} ch{ch}: mean {got} for no LSR in {rms} uV RMS of noise")
    if not no_lsr and true_mean < 5 and got > 0.15 * base:
        errors.append(f"snapshot {moment} ch{ch}: mean {got} for a true LSR of {true_mean:.1f} (baseline {base})")
    # The average of the trials: the latency jitter between them lowers
    # its peak-to-peak below their mean (to under half with the noisy
    # case's hum and wander), never raises it above; where the truth has
    # an LSR the average shows it, where it has none the average shows none.
    avg = float(f["average_p2p_uv"])
    if true_mean >= 50 and not 0.3 * true_mean <= avg <= 1.1 * true_mean:
        errors.append(f"snapshot {moment} ch{ch}: average p2p {avg} for a true mean of {true_mean:.1f}")
    if no_lsr and avg > 6 * rms / int(f["trials"]) ** 0.5:
        errors.append(f"snapshot {moment} ch{ch}: average p2p {avg} of {f['trials']} trials "
                      f"for no LSR in {rms} uV RMS of noise")
    if not no_lsr and true_mean < 5 and avg > 0.1 * base:
        errors.append(f"snapshot {moment} ch{ch}: average p2p {avg} for a true LSR of {true_mean:.1f}")
# every word inside the page's margins (half of them at most): nothing runs
# off the edge of the chart copy
for x0, x1, word in re.findall(r'<word xMin="([0-9.]+)" yMin="[0-9.]+" xMax="([0-9.]+)" [^>]*>([^<]*)<',
                               open(d + "/r.bbox").read()):
    if float(x0) < 20 or float(x1) > 595.28 - 20:
        errors.append(f"{word!r} runs past the page margin ({x0}-{x1} pt)")
# the PDF carries every case field
for v in ("MRN123 M 01-JAN-1970 Test_Patient", "Microvascular decompression", "left", "Dr A. Surgeon",
          "B. Neuro", "TIVA, no relaxant", "needle, mentalis and orbicularis oculi", "Redo operation"):
    if v not in pdf:
        errors.append(f"PDF lacks the case detail {v!r}")
for title in ("Baseline", "Before decompression" if "Decompression" in marks else "Baseline", "At the end",
              "Interpretation", "Signature"):
    if title not in pdf:
        errors.append(f"PDF lacks {title!r}")
# the replay's report equals the live one, but for where it came from
pkv, plines = kv_of(d + "/p.txt")
# Where it came from differs, and marks come back with origin=recording.
skip = ("source:", "device:", "driver:", "stats_")
norm = lambda l: re.sub(r" origin=[a-z]+ ", " origin=* ", l)
a = [norm(l) for l in lines if not l.startswith(skip)]
b = [norm(l) for l in plines if not l.startswith(skip)]
# The replay judges the recording's 24-bit samples, the live run the
# floats they were quantized from (edf_range_uv / 2^23 per step, under a
# thousandth of a microvolt): a number printed to one decimal may round
# the other way, nothing more.
num = re.compile(r"-?\d+(?:\.\d+)?")
def same(x, y):
    if num.sub("#", x) != num.sub("#", y):
        return False
    return all(abs(float(u) - float(v)) <= max(0.1001, 1e-4 * abs(float(u)))
               for u, v in zip(num.findall(x), num.findall(y)))
if len(a) != len(b) or not all(same(x, y) for x, y in zip(a, b)):
    diff = [(x, y) for x, y in zip(a, b) if not same(x, y)][:3]
    errors.append(f"replayed report differs from the live one: {diff or (len(a), len(b))}")
if errors:
    print(scenario + ": " + "; ".join(errors))
    sys.exit(1)
PY
done

# Without --case: anonymous, and the fields are there to fill in.
rm -f "$dir"/a.*
"$LSRMON" --headless --scenario classic --seed 4 --duration 60 --report "$dir/a" >/dev/null || { echo "anonymous run failed"; exit 1; }
pdftotext -layout "$dir/a.pdf" - >"$dir/a.pdf.txt"
grep -q 'Patient: *anonymous' "$dir/a.pdf.txt" || { echo "an anonymous case does not say anonymous"; fail=1; }
for f in Procedure Side Surgeon Neurophysiologist Anaesthesia Electrodes Notes; do
	grep -Eq "(^| )$f: *(\$|[A-Z][a-z]+:)" "$dir/a.pdf.txt" || { echo "blank field '$f' is not left to fill in"; fail=1; }
done
grep -q '^patient: anonymous$' "$dir/a.txt" || { echo "text report: patient not anonymous"; fail=1; }
grep -q '^case_surgeon: $' "$dir/a.txt" || { echo "text report: an empty case_surgeon line is missing"; fail=1; }
exit $fail
