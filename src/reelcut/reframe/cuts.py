"""Shot cuts inside one clip, found on the sampled pictures and placed on their exact frame.

A cut changes which colours are where all at once, so the distance between the grid colour
histograms of two samples jumps; motion, even fast, mostly moves the same colours around. The
cut is then placed between the two decoded frames (of those between the samples) whose luma
thumbnails differ most, so the crop steps on the very frame the new shot starts.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from reelcut.reframe.sample import Samples

CUT_DISTANCE = 0.45  # histogram distance (0..1) that is a cut whatever the neighbours do
_RELATIVE_DISTANCE = 0.22  # ... or this much, when it also stands far above its neighbours
_RELATIVE_RATIO = 3.0
_MIN_SHOT_S = 0.4


def histogram_distances(samples: Samples) -> np.ndarray:
    """Distance (0..1) between each sample and the one before; the first is 0."""
    hists = samples.hists
    if len(hists) < 2:
        return np.zeros(len(hists))
    blocks = hists.shape[1] // 8
    diff = np.abs(np.diff(hists, axis=0)).sum(axis=1) / (2.0 * blocks)
    return np.concatenate([[0.0], diff])


def detect_cuts(samples: Samples) -> np.ndarray:
    """Cut times (seconds from the clip start) seen in ``samples``, sorted."""
    dist = histogram_distances(samples)
    cuts: list[float] = []
    for i in range(1, len(dist)):
        around = np.concatenate([dist[max(1, i - 3) : i], dist[i + 1 : i + 4]])
        local = float(np.median(around)) if len(around) else 0.0
        strong = dist[i] >= CUT_DISTANCE
        relative = dist[i] >= _RELATIVE_DISTANCE and dist[i] >= _RELATIVE_RATIO * local
        if strong or relative:
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
