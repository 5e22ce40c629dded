"""Shot cuts inside one clip, found on the sampled pictures and placed on their exact frame.

A cut changes which colours are where all at once, in every part of the picture, so the colour
histograms of all four quarters jump together; motion, even fast, mostly moves the same colours
around, and a car crossing the foreground changes only the quarters it covers. The
cut is then placed between the two decoded frames (of those between the samples) whose luma
thumbnails differ most, so the crop steps on the very frame the new shot starts.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from reelcut.reframe.sample import HIST_BINS, HIST_BLOCKS, Samples

CUT_DISTANCE = 0.18  # every quarter's histogram moved this far (0..1): a cut ...
_RELATIVE_RATIO = 2.5  # ... when that also stands this far above the neighbouring samples
_CERTAIN_DISTANCE = 0.45  # ... or however the neighbours look
_MIN_SHOT_S = 0.4


def histogram_distances(samples: Samples) -> np.ndarray:
    """Per sample, how far (0..1) the least changed quarter moved since the sample before."""
    n = len(samples.hists)
    if n < 2:
        return np.zeros(n)
    hists = samples.hists.reshape(n, HIST_BLOCKS, 3, HIST_BINS)
    per_block = np.abs(np.diff(hists, axis=0)).sum(axis=3).mean(axis=2) / 2.0
    return np.concatenate([[0.0], per_block.min(axis=1)])


def detect_cuts(samples: Samples) -> np.ndarray:
    """Cut times (seconds from the clip start) seen in ``samples``, sorted."""
    dist = histogram_distances(samples)
    cuts: list[float] = []
    for i in range(1, len(dist)):
        around = np.concatenate([dist[max(1, i - 3) : i], dist[i + 1 : i + 4]])
        local = float(np.median(around)) if len(around) else 0.0
        certain = dist[i] >= _CERTAIN_DISTANCE
        if certain or (dist[i] >= CUT_DISTANCE and dist[i] >= _RELATIVE_RATIO * local):
            t = _exact_cut_time(samples, samples.times_s[i - 1], samples.times_s[i])
            if not cuts or t - cuts[-1] >= _MIN_SHOT_S:
                cuts.append(t)
    return np.asarray(cuts)


def _exact_cut_time(samples: Samples, after_s: float, until_s: float) -> float:
    """Midway between the two consecutive frames in (after, until] that differ most."""
    ft = samples.frame_times_s
    idx = np.flatnonzero((ft > after_s + 1e-6) & (ft <= until_s + 1e-6))
    if len(idx) == 0 or idx[0] == 0:
        return float(until_s)
    thumbs = samples.frame_thumbs
    diffs = [float(np.abs(thumbs[k] - thumbs[k - 1]).mean()) for k in idx]
    k = int(idx[int(np.argmax(diffs))])
    return float((ft[k - 1] + ft[k]) / 2.0)


def merge_cuts(found_s: np.ndarray, known_s: Sequence[float], span_s: float) -> np.ndarray:
    """Found and caller-known cuts (clip time) in one sorted list; near-duplicates kept once.

    A known cut wins over a found one close to it: the caller may know better (an edit list).
    """
    known = sorted(float(t) for t in known_s if 0.0 < float(t) < span_s)
    merged = list(known)
    for t in sorted(float(t) for t in found_s):
        if all(abs(t - k) >= _MIN_SHOT_S for k in known):
            merged.append(t)
    return np.asarray(sorted(merged))
