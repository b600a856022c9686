#!/usr/bin/python3
"""tests/bench/mne_peer.py — the peer benchmark: MNE-Python doing the
console's work on a BDF+ recording: read it, band-pass 30-3000 Hz, find the
stimuli (bit 0 rising edges of the Trigger channel), cut -10..+100 ms
epochs, and take the peak-to-peak amplitude in the LSR (6-20 ms) and direct
(2-8 ms) windows of every epoch and channel.  Prints how many epochs and the
median p2p so a run that did nothing cannot pass for a fast one.

    mne_peer.py FILE.bdf
"""
import sys

import mne
import numpy as np


def main():
    mne.set_log_level("ERROR")
    raw = mne.io.read_raw_bdf(sys.argv[1], stim_channel="Trigger", preload=True)
    events = mne.find_events(raw, stim_channel="Trigger", mask=1,
                             mask_type="and", consecutive=False,
                             shortest_event=1)
    picks = mne.pick_types(raw.info, eeg=True, stim=False)
    raw.filter(30.0, 3000.0, picks=picks)
    epochs = mne.Epochs(raw, events, tmin=-0.010, tmax=0.100, baseline=None,
                        picks=picks, preload=True, reject=None, flat=None)
    data = epochs.get_data()  # epochs x channels x samples, volts
    t = epochs.times

    def p2p(lo, hi):
        w = (t >= lo) & (t <= hi)
        return data[:, :, w].max(axis=2) - data[:, :, w].min(axis=2)

    lsr, direct = p2p(0.006, 0.020), p2p(0.002, 0.008)
    print("epochs=%d channels=%d lsr_median_uv=%.1f direct_median_uv=%.1f"
          % (data.shape[0], data.shape[1], np.median(lsr) * 1e6,
             np.median(direct) * 1e6))


if __name__ == "__main__":
    main()
