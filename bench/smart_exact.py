"""Is a smart render of a long file frame-exact? Every reel frame against the source's own.

Cuts four 30-s clips of FILE (at 10, 33, 55 and 90% of it, three of them off the keyframes),
smart-renders them (the normal `render_draft`), then decodes the reel and, for every planned
piece, the source from the piece's first frame: a copied frame must be bit-identical to the
source's, a re-encoded one within 40 dB PSNR.

    PYTHONPATH=src python bench/smart_exact.py bench/out/speed/broadcast-dda7e908f0a0-joined60.mp4
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import av
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reelcut.editor.assets import prepare_assets, render_draft  # noqa: E402
from reelcut.editor.build import draft_from_clips  # noqa: E402
from reelcut.media.probe import probe  # noqa: E402
from reelcut.render import RenderSettings  # noqa: E402
from reelcut.render.smart import plan_smart  # noqa: E402
from reelcut.selection import Clip  # noqa: E402


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    mse = float(np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2))
    return 99.0 if mse == 0 else 10 * np.log10(255**2 / mse)


def main() -> None:
    source = Path(sys.argv[1])
    info = probe(source, max_mb=1e9)
    span_ms = int(info.duration_s * 1000)
    starts = [int(span_ms * f) + 517 * k for k, f in enumerate((0.1, 0.33, 0.55, 0.9))]
    cuts = [(a, min(a + 30_000, span_ms - 100)) for a in starts]
    clips = [Clip(0, a, b, a, 1.0, "bench") for a, b in cuts]
    draft = draft_from_clips([info], clips, sum(b - a for a, b in cuts) / 1000)
    assets = prepare_assets(draft, use_cache=False, max_mb=1e9)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "smart.mp4"
        plan = plan_smart(draft, assets, out)
        result = render_draft(draft, out, RenderSettings(), use_cache=False, max_mb=1e9)
        assert result.method == "smart", result.method
        copied = encoded = copied_bad = encoded_bad = 0
        worst = 99.0
        with av.open(str(out)) as reel, av.open(str(source)) as box:
            reel.streams.video[0].thread_type = "AUTO"
            vs = box.streams.video[0]
            vs.thread_type = "AUTO"
            ours = reel.decode(video=0)
            for piece in plan.pieces:
                box.seek(piece.start_pts, stream=vs, backward=True)
                got = 0
                for frame in box.decode(vs):
                    if frame.pts is None or frame.pts < piece.start_pts:
                        continue
                    mine = next(ours).to_ndarray(format="yuv420p")
                    theirs = frame.to_ndarray(format="yuv420p")
                    if piece.copy:
                        copied += 1
                        copied_bad += not np.array_equal(mine, theirs)
                    else:
                        encoded += 1
                        q = psnr(mine, theirs)
                        worst = min(worst, q)
                        encoded_bad += q < 40
                    got += 1
                    if got == piece.frames:
                        break
    print(
        f"{source.name}: cuts {cuts} ms; {len(plan.pieces)} pieces; copied frames {copied}, "
        f"{copied_bad} not bit-identical; re-encoded frames {encoded}, {encoded_bad} under 40 dB "
        f"(worst {worst:.1f} dB); reel {sum(p.frames for p in plan.pieces)} frames"
    )


if __name__ == "__main__":
    main()
