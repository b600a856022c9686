"""tests/e2e/readers.py — read a recording with MNE-Python, biosig
(save2gdf) and EDFlib (edfdump) and compare samples and annotations.

usage: /usr/bin/python3 readers.py FILE [--synth LOG] [--killed-at T]
                                         [--no-edflib] [--ref-edflib]
                                         [--ref-file FULL --min-samples N]
                                         [--events JSONL [--until T]]
                                         [--gaps LOG]
--synth LOG   expected values are rec_synth's formula, expected annotations
              the "A" lines of LOG (all of them, or with --killed-at only
              those handed over at least 1 s before T, as the "P" lines say)
--ref-edflib  no formula: MNE and biosig must agree with EDFlib
--ref-file    MNE and biosig must hold at least the first N samples of
              what EDFlib reads in FULL (a complete run of the same case)
--events      lsrmon's JSON Lines: every start, mark and state (up to
              stream time T) must be an annotation at its t, as its label or
              as "lsrmon: Start segment <n>…", "lsrmon: LSR disappeared after
              decompression (was <prev>;…" (the state in words)
--gaps LOG    rec_synth's gaps case (LOG: its S, B, G and E lines): on
              Trigger every reader finds exactly the stimuli and presses,
              MNE's find_events included; MNE drops as BAD the epochs of
              stimuli over a gap and keeps every other whole one; MNE's
              annotation list starts with the marks and state changes and
              ends with at most three settings notes
--no-edflib   the file is read as it lies after a crash: EDFlib may refuse it
Exit 0 when every reader agrees within one quantum; messages name the
reader, channel and sample otherwise."""
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

Q24 = 400000.0 / 8388608.0
RATE = 2000
NCH = 3


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def synth_value(c, i):
    k = ((i * 37 + c * 1000) % 4001 - 2000) * (c + 1)
    return k * Q24


def read_log(path, killed_at):
    annots, samples, n_annots = [], None, None
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("A "):
                _, onset, text = line.rstrip("\n").split(" ", 2)
                annots.append((float(onset), text))
            elif line.startswith("P ") and killed_at is not None:
                _, t, s, n = line.split()
                if float(t) <= killed_at - 1.0:
                    samples, n_annots = int(s), int(n)
    if killed_at is not None:
        if samples is None:
            fail("the writer had not run 1 s before the kill")
        annots = annots[:n_annots]
    return samples, annots


def edflib(path):
    out = subprocess.run(["edfdump", path], capture_output=True, text=True)
    if out.returncode != 0:
        return None, out.stderr.strip()
    labels, quanta, annots, data = {}, {}, [], {}
    for line in out.stdout.splitlines():
        kind, rest = line[0], line[2:]
        if kind == "L":
            s, label = rest.split(" ", 1)
            labels[int(s)] = label.strip()
        elif kind == "Q":
            s, q = rest.split()
            quanta[int(s)] = float(q)
        elif kind == "A":
            onset, text = rest.split(" ", 1)
            annots.append((float(onset), text))
        elif kind == "S":
            parts = rest.split()
            data[labels[int(parts[0])]] = np.array([float(v) for v in parts[1:]])
    return {"data": data, "annots": annots,
            "quantum": {labels[s]: q for s, q in quanta.items()}}, None


def mne_read(path):
    import mne
    reader = mne.io.read_raw_bdf if path.lower().endswith(".bdf") else mne.io.read_raw_edf
    raw = reader(path, preload=True, verbose="error")
    data = {}
    for i, name in enumerate(raw.ch_names):
        ch = raw.info["chs"][i]
        scale = 1e6 if ch["unit"] == 107 else 1.0  # FIFF_UNIT_V: back to µV
        data[name] = raw.get_data(picks=[i])[0] * scale
    annots = [(float(a["onset"]), a["description"]) for a in raw.annotations]
    return {"data": data, "annots": annots}


def biosig_read(path):
    js = subprocess.run(["save2gdf", "-JSON", path], capture_output=True, text=True)
    text = js.stdout[js.stdout.index("{"):]
    events = json.loads(text).get("EVENT", [])
    annots = [(float(e["POS"]), e.get("Description", "")) for e in events]
    data = {}
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "x")
        subprocess.run(["save2gdf", "-f=BIN", path, out], capture_output=True, check=True)
        chans, cur = [], None
        with open(out, encoding="utf-8", errors="replace") as f:
            for line in f:
                if "=" not in line:
                    continue
                key, val = [x.strip() for x in line.split("#")[0].split("=", 1)]
                if key == "Filename" and val != out:
                    cur = {"file": val}
                    chans.append(cur)
                elif cur is not None:
                    cur[key] = val
        for ch in chans:
            raw = open(ch["file"], "rb").read()
            if ch["GDFTYP"] == "bit24":
                b = np.frombuffer(raw, dtype=np.uint8).reshape(-1, 3).astype(np.int32)
                dig = b[:, 0] | (b[:, 1] << 8) | (b[:, 2] << 16)
                dig = np.where(dig >= 1 << 23, dig - (1 << 24), dig)
            elif ch["GDFTYP"] == "int16":
                dig = np.frombuffer(raw, dtype="<i2").astype(np.int32)
            else:
                fail("biosig: unexpected sample type " + ch["GDFTYP"])
            dmax, dmin = float(ch["DigMax"]), float(ch["DigMin"])
            pmax, pmin = float(ch["PhysMax"]), float(ch["PhysMin"])
            data[ch["Label"]] = pmin + (dig - dmin) * (pmax - pmin) / (dmax - dmin)
    return {"data": data, "annots": annots}


def compare(name, got, ref_data, ref_annots, quantum, n_samples, exact_count):
    for label, want in ref_data.items():
        if label not in got["data"]:
            fail(f"{name}: no channel {label!r} (has {sorted(got['data'])})")
        have = got["data"][label]
        n = len(want) if n_samples is None else n_samples
        if len(have) < n:
            fail(f"{name}: {label}: {len(have)} samples, expected at least {n}")
        diff = np.abs(have[:n] - want[:n])
        q = quantum[label]
        if diff.max(initial=0) > q * 1.0001:
            i = int(diff.argmax())
            fail(f"{name}: {label} sample {i}: {have[i]!r} vs {want[i]!r} (quantum {q})")
    got_annots = [(round(o, 4), t) for o, t in got["annots"] if t.strip()]
    for onset, text in ref_annots:
        if (round(onset, 4), text) not in got_annots:
            near = [a for a in got_annots if a[1] == text]
            fail(f"{name}: annotation {text!r} at {onset} missing (same text at: {near[:3]})")
    if exact_count and len(got_annots) != len(ref_annots):
        extra = set(got_annots) - set((round(o, 4), t) for o, t in ref_annots)
        fail(f"{name}: {len(got_annots)} annotations, expected {len(ref_annots)}; extra {sorted(extra)[:5]}")


def state_words(ev):
    """A state event in the plain words of lsrmon(1), RECORDINGS."""
    st = ev["state"]
    if st == "disappeared":
        return ("LSR disappeared before decompression" if ev["premature"] else
                "LSR disappeared after decompression" if ev["after_decompression"] else
                "LSR disappeared")
    return {"acquiring": "acquiring the baseline", "present": "LSR present",
            "reduced": "LSR reduced", "stimulation_failure": "stimulation failure",
            "no_stimulus": "no stimulus", "not_detected": "no LSR detected"}.get(st, st)


def check_events(name, got, jsonl, until):
    want = []
    with open(jsonl, encoding="utf-8") as f:
        for line in f:
            ev = json.loads(line)
            if ev["t"] > until:
                continue
            if ev["type"] == "mark":
                want.append((ev["t"], ev["label"], True))
            elif ev["type"] == "start":
                want.append((ev["t"], f"lsrmon: Start segment {ev['segment']}", False))
            elif ev["type"] == "state":
                want.append((ev["t"], f"lsrmon: {state_words(ev)} (was {ev['prev']};", False))
    for t, text, exact in want:
        if not any(abs(o - t) < 1e-4 and (a == text if exact else a.startswith(text))
                   for o, a in got["annots"]):
            fail(f"{name}: no annotation {text!r} at {t}")
    return len(want)


SETTINGS = ("lsrmon: params", "lsrmon: montage")


def check_gaps(path, log, readers):
    stims, presses, gaps, end = [], [], [], None
    for line in open(log, encoding="utf-8"):
        k, *v = line.split()
        if k == "S":
            stims.append(int(v[0]))
        elif k == "B":
            presses.append(int(v[0]))
        elif k == "G":
            gaps.append((int(v[0]), int(v[1])))
        elif k == "E":
            end = int(v[0])
    marks = sorted([(i, 1) for i in stims] + [(i, 2) for i in presses])
    # Trigger holds the marks and nothing else, in every reader.
    for name, got in readers.items():
        trig = np.rint(got["data"]["Trigger"]).astype(int)
        found = [(int(i), int(trig[i])) for i in np.flatnonzero(trig)]
        if found != marks:
            fail(f"{name}: Trigger holds {len(found)} marks, expected {len(marks)}: "
                 f"{sorted(set(found) ^ set(marks))[:5]}")
    import mne
    reader = mne.io.read_raw_bdf if path.lower().endswith(".bdf") else mne.io.read_raw_edf
    raw = reader(path, preload=True, verbose="error")
    # initial_event: the case starts with a stimulus at sample 0
    ev = mne.find_events(raw, stim_channel="Trigger", shortest_event=1, initial_event=True,
                         verbose="error")
    got = [(int(e[0]), int(e[2])) for e in ev]
    if got != marks:
        fail(f"MNE find_events: {len(got)} events, expected {len(marks)} stimuli + presses: "
             f"{sorted(set(got) ^ set(marks))[:5]}")
    # Epochs of -10 ... +100 ms: those over padding are not data.
    rate = raw.info["sfreq"]
    pre, post = round(0.01 * rate), round(0.1 * rate)
    pads = gaps + [(end, raw.n_times - end)]
    stim_ev = ev[ev[:, 2] == 1]
    epochs = mne.Epochs(raw, stim_ev, event_id=1, tmin=-0.01, tmax=0.1, baseline=None,
                        reject_by_annotation=True, preload=True, verbose="error")
    kept = set(int(e[0]) for e in epochs.events)
    over = lambda i, g: i - pre < g[0] + g[1] and i + post >= g[0]
    want_kept = set(i for i in stims if i - pre >= 0 and i + post < raw.n_times and
                    not any(over(i, g) for g in pads))
    if kept != want_kept:
        fail(f"MNE epochs: kept {sorted(kept ^ want_kept)[:5]} wrongly (kept {len(kept)}, "
             f"expected {len(want_kept)})")
    bad_gap = [i for i in stims if any(over(i, g) for g in gaps)]
    for i, reasons in zip(stim_ev[:, 0], epochs.drop_log):
        if int(i) in bad_gap and not any(r.startswith("BAD lsrmon gap") for r in reasons):
            fail(f"MNE epochs: the stimulus at {i} over a gap was dropped for {reasons}")
    if len(bad_gap) < len(gaps):
        fail("the case has no stimulus over each gap: nothing was tested")
    # The annotation list: the case first, the settings last (at most 3).
    texts = [a["description"] for a in raw.annotations if not a["description"].startswith("BAD")]
    settings = [t for t in texts if t.startswith(SETTINGS)]
    if not 1 <= len(settings) <= 3 or texts[-len(settings):] != settings:
        fail(f"MNE annotations: the settings are not the last at most three: {texts}")
    case = texts[:-len(settings)]
    if not case or case[0].startswith(SETTINGS) or "Decompression" not in case:
        fail(f"MNE annotations do not start with the case: {texts}")
    return len(marks), len(bad_gap)


def main():
    args = sys.argv[1:]
    path = args[0]
    log = args[args.index("--synth") + 1] if "--synth" in args else None
    killed = float(args[args.index("--killed-at") + 1]) if "--killed-at" in args else None
    ed, why = (None, None) if "--no-edflib" in args else edflib(path)
    if ed is None and "--no-edflib" not in args:
        fail("EDFlib: " + why)
    readers = {"MNE": mne_read(path), "biosig": biosig_read(path)}
    if ed is not None:
        readers["EDFlib"] = ed
    if log:
        n_samples, annots = read_log(log, killed)
        bdf = path.lower().endswith(".bdf")
        q = Q24 if bdf else 5000.0 / 32767
        # rec_synth's labels in EDF+'s "EMG <muscle>" form (lsrmon(1))
        labels = ["EMG R Mentalis", "EMG R Orb oris", "EMG R Orb oculi"]
        n_ref = n_samples if n_samples is not None else len(readers["MNE"]["data"][labels[0]])
        ref = {lab: np.array([synth_value(c, i) for i in range(n_ref)]) for c, lab in enumerate(labels)}
        quantum = {lab: q for lab in labels}
        # Only what the file holds as lsrmon's words or marks is compared:
        # the params/montage notes are checked by the unit tests.
        for name, got in readers.items():
            got["annots"] = [a for a in got["annots"]
                             if not a[1].startswith(("lsrmon: params", "lsrmon: montage"))]
            compare(name, got, ref, annots, quantum, n_samples, killed is None)
    elif "--ref-file" in args:
        full, why = edflib(args[args.index("--ref-file") + 1])
        if full is None:
            fail("EDFlib on the reference: " + why)
        n = int(args[args.index("--min-samples") + 1])
        ref = {k: v for k, v in full["data"].items() if k != "Trigger"}
        for name, got in readers.items():
            compare(name, got, ref, [], full["quantum"], n, False)
    elif "--ref-edflib" in args:
        if ed is None:
            fail("--ref-edflib needs a file EDFlib reads")
        ref = {k: v for k, v in ed["data"].items() if k != "Trigger"}
        for name in ("MNE", "biosig"):
            compare(name, readers[name], ref, ed["annots"], ed["quantum"], None, True)
    if "--gaps" in args:
        n, bad = check_gaps(path, args[args.index("--gaps") + 1], readers)
        print(f"{n} stimuli and presses on Trigger; {bad} epochs over gaps dropped as BAD")
    if "--events" in args:
        until = float(args[args.index("--until") + 1]) if "--until" in args else float("inf")
        for name, got in readers.items():
            k = check_events(name, got, args[args.index("--events") + 1], until)
        print(f"{k} starts, marks and states found as annotations")
    print(f"ok: {', '.join(readers)} agree on {path}")


main()
