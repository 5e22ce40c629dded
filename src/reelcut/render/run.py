"""Run a :class:`RenderPlan`: one FFmpeg process, progress from ``-progress``, atomic output.

FFmpeg writes to a hidden temporary file beside the target; only a finished render is renamed
into place, so a crash or a cancel never leaves a half-written reel under the asked-for name.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import os
import shutil
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from reelcut.errors import CancelledError, OutputNotWritableError, ReelcutError, RenderError
from reelcut.media.ffmpeg import die_with_parent, ffmpeg_exe
from reelcut.progress import ProgressFn, no_progress
from reelcut.render.types import RenderPlan


@dataclass(frozen=True, slots=True)
class RenderResult:
    output: Path
    duration_s: float
    render_s: float
    gain_db: float | None = None  # the loudness gain the render applied (drafts only)
    method: str = "encode"  # "smart" (source GOPs copied) or "encode", with why not smart


def check_writable(output: Path) -> None:
    """Fail early, before any work, when the output cannot be written.

    Permission bits are not enough: root passes ``os.access`` everywhere, and ``/proc`` or
    ``/sys`` or a read-only mount refuse files whatever the bits say. So a probe file is really
    created beside the output (as the render's temporary file will be) and removed again.
    """
    parent = output.parent if str(output.parent) else Path(".")
    if output.is_dir():
        raise OutputNotWritableError(f"{output} is a directory; give a file name such as reel.mp4")
    if not parent.is_dir():
        raise OutputNotWritableError(f"cannot write {output}: folder {parent} does not exist")
    if output.exists() and not os.access(output, os.W_OK):
        raise OutputNotWritableError(f"cannot write {output}: permission denied")
    try:
        fd, probe = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".probe", dir=parent)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise OutputNotWritableError(f"cannot write {output}: {reason} in {parent}") from None


def release_memory() -> None:
    """Hand memory this process freed back to the system before a long FFmpeg pass.

    Analysis frees most of what it decoded, but glibc keeps freed heap pages: ~90 MB of a
    90-minute ``make`` would otherwise stay resident for the whole render, on top of FFmpeg's.
    """
    gc.collect()
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name)
        trim = libc.malloc_trim
    except (OSError, AttributeError, TypeError):  # not glibc (musl, macOS): nothing to do
        return
    trim(0)


def run_plan(
    plan: RenderPlan, progress: ProgressFn = no_progress, cancel: threading.Event | None = None
) -> RenderResult:
    check_writable(plan.output)
    fd, tmp_name = tempfile.mkstemp(
        prefix=f".{plan.output.stem}.", suffix=".part.mp4", dir=plan.output.parent
    )
    os.close(fd)
    tmp = Path(tmp_name)
    args = list(plan.args)
    args[-1] = str(tmp)
    started = time.monotonic()
    try:
        plan.work_dir.mkdir(parents=True, exist_ok=True)
        for name, text in plan.files:
            (plan.work_dir / name).write_text(text, encoding="utf-8")
        release_memory()
        with tempfile.TemporaryFile() as err:
            proc = subprocess.Popen(
                [ffmpeg_exe(), *args],
                stdout=subprocess.PIPE,
                stderr=err,
                stdin=subprocess.DEVNULL,
                text=True,
                preexec_fn=die_with_parent,
            )
            assert proc.stdout is not None
            try:
                for line in proc.stdout:
                    if cancel is not None and cancel.is_set():
                        raise CancelledError("render cancelled")
                    key, _, value = line.strip().partition("=")
                    if key == "out_time_us" and value.isdigit():
                        progress("render", min(int(value) / 1e6, plan.duration_s), plan.duration_s)
            except BaseException:  # cancel, Ctrl-C, SIGTERM (raised by the CLI): FFmpeg stops too
                proc.kill()
                proc.wait()
                raise
            rc = proc.wait()
            if rc != 0:
                err.seek(0)
                tail = err.read().decode("utf-8", "replace").strip().splitlines()[-6:]
                raise RenderError("FFmpeg failed: " + (" | ".join(tail) or f"exit code {rc}"))
        umask = os.umask(0)
        os.umask(umask)
        tmp.chmod(0o666 & ~umask)  # mkstemp makes 0600; a reel is an ordinary file
        tmp.replace(plan.output)
    except ReelcutError:
        raise  # FFmpegNotFoundError is an OSError too, but says what is wrong itself
    except OSError as exc:
        raise OutputNotWritableError(f"cannot write {plan.output}: {exc.strerror or exc}") from exc
    finally:
        tmp.unlink(missing_ok=True)
        shutil.rmtree(plan.work_dir, ignore_errors=True)
    progress("render", plan.duration_s, plan.duration_s)
    return RenderResult(plan.output, plan.duration_s, time.monotonic() - started)


__all__ = ["RenderResult", "check_writable", "run_plan"]
