"""A metronome for cadence retraining: a minute of clicks at the runner's target, as a WAV file.

Why generated audio: `st.audio` plays it in every browser with no component to install or trust,
on a phone in a pocket as on a projector; looped, it clicks on. A minute holds exactly `bpm`
clicks, one beat apart to the sample, so the loop's seam falls on the beat (the browser's loop
seam is the only irregularity, once a minute). One click is one footstep (steps per minute).
"""

from __future__ import annotations

import io
import wave

import numpy as np

RATE = 8000
"""Samples a second: plenty for a 2 kHz click, and a minute stays under a megabyte (16-bit mono)."""
SECONDS = 60
CLICK_HZ = 2000.0
CLICK_S = 0.02
"""A short tone burst, dying away within 20 ms: heard over traffic, never confused with the next."""
MIN_BPM, MAX_BPM = 120, 230
"""The step rates a runner's cadence can have (protocols §1, `cadence_spm`)."""


def beat_samples(bpm: int) -> np.ndarray:
    """Where each click starts, in samples: `bpm` beats over the minute, evenly spaced."""
    return np.round(np.arange(bpm) * (RATE * SECONDS / bpm)).astype(int)


def wav(bpm: int) -> bytes:
    """A minute of clicks at `bpm` beats a minute (16-bit mono WAV at `RATE`)."""
    if not MIN_BPM <= bpm <= MAX_BPM:
        raise ValueError(f"a metronome for running plays {MIN_BPM}–{MAX_BPM} beats a minute")
    length = RATE * SECONDS
    t = np.arange(int(RATE * CLICK_S)) / RATE
    click = np.sin(2 * np.pi * CLICK_HZ * t) * np.exp(-t / (CLICK_S / 5))
    signal = np.zeros(length)
    for start in beat_samples(bpm):
        end = min(start + click.size, length)
        signal[start:end] += click[: end - start]
    pcm = np.clip(signal * 0.8 * 32767, -32768, 32767).astype("<i2")
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(pcm.tobytes())
    return out.getvalue()
