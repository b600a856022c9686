#!/usr/bin/env bash
# tests/e2e/report_chart.sh — the case report as a chart document, against
# the simulator's ground truth (simtruth), for every scenario:
# - the summary sentence tells the course the truth scripted (a premature
#   loss at dural opening and its return after the true delay, a loss N s
#   after decompression with N from the true loss, persistence, a partial
#   loss, a stimulation failure), and the final call's facts;
# - the timeline lists the true marks in order;
# - a snapshot exists for each moment the case has (baseline, before
#   decompression, at the loss, at the end) and none for one it has not;
#   each snapshot's mean amplitude agrees with the true amplitudes of the
#   trials it averaged;
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
for scenario in classic premature persistent partial stim-failure noisy no-sync; do
	seed=21
	rm -f "$dir"/r.* "$dir"/p.*
	"$LSRMON" --headless --scenario "$scenario" --seed $seed --duration 120 --report "$dir/r" \
		--case "$dir/case.ini" --record "$dir/r.bdf" >/dev/null ||
		{ echo "$scenario: lsrmon exit $?"; fail=1; continue; }
	"$LSRMON" --headless --replay "$dir/r.bdf" --report "$dir/p" >/dev/null ||
		{ echo "$scenario: replay exit $?"; fail=1; continue; }
	simtruth --scenario "$scenario" --seed $seed --duration 120 >"$dir/truth.json" || { echo "simtruth failed"; exit 1; }
	pdftotext -layout "$dir/r.pdf" "$dir/r.pdf.txt" || { echo "$scenario: pdftotext"; fail=1; continue; }
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
if kv.get("final") != final:
    errors.append(f"final {kv.get('final')} != {final}")
# timeline: the true marks, in order
got = [re.search(r" t=([0-9.]+) .*label=(.*)$", l).groups() for l in lines if l.startswith("mark: ")]
want = [(f"{m['t']:.3f}", m["label"]) for m in truth["marks"]]
if got != want:
    errors.append(f"timeline marks {got} != {want}")
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
    if true_mean < 5 and got > 0.15 * base:
        errors.append(f"snapshot {moment} ch{ch}: mean {got} for a true LSR of {true_mean:.1f} (baseline {base})")
# the PDF carries every case field
pdf = open(d + "/r.pdf.txt").read()
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
