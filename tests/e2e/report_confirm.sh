#!/usr/bin/env bash
# tests/e2e/report_confirm.sh — the verdict's facts that come from the
# operator's marks, against the case as scripted: the simulated classic case
# (its Decompression mark and loss from simtruth) with marks given on the
# command line — the intensity before the baseline and raised after the
# loss, a second Decompression (ignored), a custom mark and its
# cancellation, and a Confirm after the loss.  With disappear_trials=5 the
# loss is called on fewer trials than a snapshot holds: the snapshot at the
# loss must still show only the loss's own trials.
set -u
: "${LSRMON:?}"
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
cli=("1:Intensity 1.5" "180:Decompression" "190:Intensity 2.5" "195:Facial nerve check"
	"196:Cancel 5" "200:Confirm")
args=(); for m in "${cli[@]}"; do args+=(--mark "$m"); done
"$LSRMON" --headless --scenario classic --seed 5 --set disappear_trials=5 "${args[@]}" \
	--report "$dir/r" >/dev/null || { echo "FAIL: exit $?"; exit 1; }
simtruth --scenario classic --seed 5 >"$dir/truth.json" || { echo "FAIL: simtruth"; exit 1; }
pdftotext -layout "$dir/r.pdf" "$dir/r.pdf.txt" || { echo "FAIL: pdftotext"; exit 1; }
/usr/bin/python3 - "$dir" "${cli[@]}" <<'PY'
import json, re, sys
d, cli = sys.argv[1], sys.argv[2:]
truth = json.load(open(d + "/truth.json"))
lines = open(d + "/r.txt").read().splitlines()
kv = {}
for l in lines:
    k, _, v = l.partition(": ")
    kv.setdefault(k, v)
items = lambda l: dict(x.split("=", 1) for x in l.split(": ", 1)[1].split(" ", 6)[:6])
pdf = open(d + "/r.pdf.txt").read()
errors = []
def want(key, value):
    if kv.get(key) != value:
        errors.append(f"{key}: {kv.get(key)!r}, want {value!r}")
# Ids run in time order over the simulator's and the command line's marks.
marks = sorted([(m["t"], m["label"]) for m in truth["marks"]] +
               [(float(c.split(":", 1)[0]), c.split(":", 1)[1]) for c in cli])
ids = {}
for i, (_, label) in enumerate(marks, 1):
    ids.setdefault(label, i)  # the first of a label: the Decompression that counts
got = {}
for l in lines:
    if l.startswith("mark: "):
        f = items(l)
        got[int(f["id"])] = (float(f["t"]), l.split("label=", 1)[1], f)
for i, (t, label) in enumerate(marks, 1):
    if i not in got or got[i][:2] != (t, label):
        errors.append(f"mark {i}: {got.get(i, (None, None))[:2]}, want {(t, label)}")
dec = [t for t, l in marks if l == "Decompression"]
second = [i for i, (t, l) in enumerate(marks, 1) if l == "Decompression"][1]
custom = ids["Facial nerve check"]
if got.get(second, (0, 0, {}))[2].get("ignored") != "yes":
    errors.append(f"the second Decompression (id {second}) is not ignored")
if got.get(custom, (0, 0, {}))[2].get("cancelled") != "yes":
    errors.append(f"the custom mark (id {custom}) is not cancelled")
if not re.search(rf"mark {second}: Decompression \(cli\)\s+\[IGNORED", pdf):
    errors.append("the PDF timeline does not say the second Decompression was ignored")
if not re.search(rf"mark {custom}: Facial nerve check \(cli\)\s+\[CANCELLED\]", pdf):
    errors.append("the PDF timeline does not say the custom mark was cancelled")
# The loss and what the verdict says of it.
want("final", "disappeared")
want("final_phase", "after_decompression")
want("decompression_t", f"{dec[0]:.3f}")
loss = [s["t"] for s in truth["stims"] if s["t"] >= truth["loss_t"][-1] - 1e-9][0]
if abs(float(kv["loss_t"]) - loss) > 0.01:
    errors.append(f"loss_t {kv['loss_t']}, truth {loss}")
want("loss_after_decompression_s", f"{float(kv['loss_t']) - dec[0]:.1f}")
want("intensity_at_baseline_ma", "1.5")
want("intensity_at_loss_ma", "1.5")
want("stim_intensity_ma", "2.5")
want("confirmed_at_raised_intensity", "yes")
want("confirm_t", "200.000")
confirm = got[ids["Confirm"]][2]["wall"][11:19]
if not kv.get("summary", "").endswith(f"; confirmed at raised intensity at {confirm}."):
    errors.append(f"summary: {kv.get('summary')!r}")
for text in ("Intensity at baseline: 1.5 mA; at the loss: 1.5 mA.",
             f"Confirmed at raised intensity: yes (Confirm mark {ids['Confirm']} at {confirm}).",
             f"Decompression mark {ids['Decompression']} at"):
    if text not in pdf:
        errors.append(f"the verdict box lacks {text!r}")
# The loss was called on 5 trials: its snapshot holds those, not the 10
# before them.
want("loss_confirm_trials", "5")
for l in lines:
    if l.startswith("snapshot: moment=at_loss"):
        f = dict(x.split("=", 1) for x in l[len("snapshot: "):].split(" "))
        if abs(float(f["first_t"]) - loss) > 0.0006 or f["trials"] != "5":
            errors.append(f"at-loss snapshot ch{f['ch']}: from {f['first_t']}, {f['trials']} trials; "
                          f"the loss began at {loss} and was called on 5")
if errors:
    print("FAIL: " + "; ".join(errors))
    sys.exit(1)
print(f"ok: marks {len(marks)}, loss {kv['loss_t']}, {kv['summary']}")
PY
