"""Did an analysis change move anything? Dump signals and selections, then compare two dumps.

    PYTHONPATH=src python bench/analysis_diff.py dump OUT.npz FILE...     # analyse (no cache)
    python bench/analysis_diff.py compare OLD.npz NEW.npz                  # per-signal differences

Run ``dump`` once with the old tree on PYTHONPATH and once with the new one, on the same files;
``compare`` prints, per file, the largest difference of every signal array, the shot cuts each
found, and whether the clips selected for 5/10/30/60/120 s reels are identical; it exits 1 when
any array is not bit for bit the same (dtype included) or any selection moved.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

LENGTHS_S = (5.0, 10.0, 30.0, 60.0, 120.0)


def dump(out: Path, files: list[str]) -> None:
    from reelcut.analysis import analyze
    from reelcut.media.probe import probe
    from reelcut.selection import SelectionParams, select

    arrays: dict[str, np.ndarray] = {}
    picks: dict[str, list] = {}
    for f in files:
        info = probe(f, max_mb=1e9)
        sig = analyze(info, use_cache=False)
        name = Path(f).name
        for field in sig.__dataclass_fields__:
            value = getattr(sig, field)
            if isinstance(value, np.ndarray):
                arrays[f"{name}|{field}"] = value
        for length in LENGTHS_S:
            if length < info.duration_s:
                sel = select([sig], SelectionParams(target_s=length))
                picks[f"{name}|{length:.0f}"] = [
                    (c.source_in_ms, c.source_out_ms) for c in sel.clips
                ]
    arrays["__picks__"] = np.frombuffer(json.dumps(picks).encode(), np.uint8)
    np.savez(out, **arrays)


def compare(old_path: Path, new_path: Path) -> int:
    old, new = np.load(old_path), np.load(new_path)
    changed = 0
    for key in sorted(set(old.files) - {"__picks__"}):
        a, b = old[key], new[key] if key in new.files else None
        if b is None or a.shape != b.shape:
            print(f"{key}: shape {a.shape} -> {None if b is None else b.shape}")
            changed += 1
            continue
        if a.size == 0 or (a.dtype == b.dtype and a.tobytes() == b.tobytes()):
            continue  # bit for bit (NaNs in the same places with the same bits included)
        changed += 1
        diff = np.abs(a.astype(np.float64) - b.astype(np.float64))
        scale = max(float(np.abs(a).max()), 1e-12)
        print(
            f"{key}: max abs diff {diff.max():.3g} (max |old| {scale:.3g}, {a.dtype} -> {b.dtype})"
        )
    picks_old = json.loads(old["__picks__"].tobytes())
    picks_new = json.loads(new["__picks__"].tobytes())
    for key in sorted(picks_old):
        same = picks_old[key] == picks_new.get(key)
        print(f"selection {key}: {'same' if same else 'DIFFERENT'}")
        if not same:
            print(f"   old {picks_old[key]}\n   new {picks_new.get(key)}")
            changed += 1
    print(f"{len(old.files) - 1} arrays, {len(picks_old)} selections: {changed} changed")
    return changed


if __name__ == "__main__":
    if sys.argv[1] == "dump":
        dump(Path(sys.argv[2]), sys.argv[3:])
    else:
        sys.exit(1 if compare(Path(sys.argv[2]), Path(sys.argv[3])) else 0)
