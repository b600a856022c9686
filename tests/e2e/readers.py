"""tests/e2e/readers.py — read a recording with MNE-Python, biosig
(save2gdf) and EDFlib (edfdump) and compare samples and annotations.

usage: /usr/bin/python3 readers.py FILE [--synth LOG] [--killed-at T]
                                         [--no-edflib] [--ref-edflib]
                                         [--ref-file FULL --min-samples N]
                                         [--events JSONL [--until T]]
--synth LOG   expected values are rec_synth's formula, expected annotations
              the "A" lines of LOG (all of them, or with --killed-at only
              those handed over at least 1 s before T, as the "P" lines say)
--ref-edflib  no formula: MNE and biosig must agree with EDFlib
--ref-file    MNE and biosig must hold at least the first N samples of
              what EDFlib reads in FULL (a complete run of the same case)
--events      lsrmon's JSON Lines: every start, mark and state (up to
              stream time T) must be an annotation at its t, as its label or
              as "lsrmon: Start segment <n>…", "lsrmon: State <state> (was
              <prev>)…"
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
                want.append((ev["t"], f"lsrmon: State {ev['state']} (was {ev['prev']})", False))
    for t, text, exact in want:
        if not any(abs(o - t) < 1e-4 and (a == text if exact else a.startswith(text))
                   for o, a in got["annots"]):
            fail(f"{name}: no annotation {text!r} at {t}")
    return len(want)


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
        labels = ["R Mentalis", "R Orb oris", "R Orb oculi"]
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
    if "--events" in args:
        until = float(args[args.index("--until") + 1]) if "--until" in args else float("inf")
        for name, got in readers.items():
            k = check_events(name, got, args[args.index("--events") + 1], until)
        print(f"{k} starts, marks and states found as annotations")
    print(f"ok: {', '.join(readers)} agree on {path}")


main()
