"""Load on the service's cheap requests: ``/healthz`` (the baseline: no auth, no database),
the credit balance and the session state, each at 50 concurrent connections on loopback.

Starts a real ``reelcut serve`` (its own data dir, rate limits set out of the way so every
request does the full work, including the limiter) with one token, one session and one upload
plus a made reel, then drives each endpoint with ``wrk`` (apt install wrk): requests per second
and latency percentiles from wrk's own histogram. The three rows come from the same run, so
the endpoints are compared on the same machine load. With ``--before DIR`` (a checkout of an
older commit: ``git worktree add /tmp/old COMMIT``) a second server runs that code from its own
data dir and each endpoint is measured on both, one right after the other, so the before and
after rows share the machine's load too.

    PYTHONPATH=src .venv/bin/python bench/service_load.py [--seconds 10] [--connections 50]
        [--before /tmp/old]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, replace
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True, slots=True)
class Row:
    name: str
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    errors: int
    cpu_ms: float = float("nan")  # server CPU time per request (user + system)


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def parse_wrk(name: str, text: str) -> Row:
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text)[1])  # type: ignore[index]
    pct = {
        p: _ms(v, u)
        for p, v, u in re.findall(r"^\s+(50|99)(?:\.000)?%\s+([\d.]+)(us|ms|s|m)\s*$", text, re.M)
    }
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    errs = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    errors = (int(bad[1]) if bad else 0) + (sum(int(g) for g in errs.groups()) if errs else 0)
    return Row(name, rps, pct.get("50", float("nan")), pct.get("99", float("nan")), errors)


def cpu_s(pid: int) -> float:
    """User + system CPU seconds of process ``pid`` and its threads (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _clip(path: Path) -> Path:
    from reelcut.media.ffmpeg import ffmpeg_exe

    subprocess.run(
        [ffmpeg_exe(), "-loglevel", "error", "-y", "-f", "lavfi",
         "-i", "testsrc2=size=320x180:rate=25:duration=6", "-f", "lavfi",
         "-i", "sine=frequency=440:duration=6", "-c:v", "libx264", "-preset", "ultrafast",
         "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", str(path)],
        check=True,
    )  # fmt: skip
    return path


def start_server(data: Path, port: int, code: Path = ROOT) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "PYTHONPATH": str(code / "src"),
        "REELCUT_RATE_LIMIT_PER_MINUTE": "100000000",
        "REELCUT_CACHE_DIR": str(data / "cache"),
        "REELCUT_DEFAULT_REEL_S": "5",
    }
    cmd = [sys.executable, "-m", "reelcut.service", "--port", str(port), "--data-dir", str(data)]
    log = (data.parent / "server.log").open("wb")
    proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 300  # a start takes over a minute on a loaded machine
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("the server did not start; see " + str(data.parent / "server.log"))


def prepare(base: str, scratch: Path) -> tuple[str, str]:
    """A token and a session holding one upload and a made reel (a realistic state answer)."""
    r = httpx.post(base + "/api/auth/anonymous-token", headers={"X-Client-Id": uuid.uuid4().hex})
    token = r.json()["data"]["token"]
    with httpx.Client(
        base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=300
    ) as c:
        sid = c.post("/api/tasks/me/with-session/nemo_agent", json={}).json()["data"]["session_id"]
        with _clip(scratch / "clip.mp4").open("rb") as fh:
            c.post(f"/api/upload-video/nemo_agent/me/{sid}", files=[("files", ("clip.mp4", fh))])
        body = {"session_id": sid, "new_message": {"parts": [{"text": "make a 5 second reel"}]}}
        with c.stream("POST", "/run_sse", json=body) as stream:
            for _ in stream.iter_lines():
                pass
        state = c.get(f"/api/state/nemo_agent/me/{sid}/latest").json()["data"]["state"]
        if state["draft"] is None:
            raise SystemExit("the session has no reel; the state answer would be a trivial one")
    return token, sid


PACED = """
local pause = tonumber(os.getenv("REELCUT_WRK_PAUSE_MS"))
function delay() return pause end
"""


def wrk(
    url: str, seconds: int, connections: int, token: str | None, rate: float | None = None
) -> str:
    """One wrk run. With ``rate``, every connection waits ``connections / rate`` seconds between
    its requests (a wrk Lua ``delay``), so the offered load is about ``rate`` requests/s and the
    latency is that of a service serving that rate, not of one pushed past saturation."""
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "5s"]
    env = dict(os.environ)
    if rate:
        script = Path(tempfile.mkstemp(suffix=".lua")[1])
        script.write_text(PACED)
        cmd += ["-s", str(script)]
        env["REELCUT_WRK_PAUSE_MS"] = str(round(1000 * connections / rate))
    if token:
        cmd += ["-H", f"Authorization: Bearer {token}"]
    return subprocess.run(cmd + [url], capture_output=True, text=True, check=True, env=env).stdout


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--before", type=Path, help="a checkout of an older commit to compare")
    parser.add_argument(
        "--rate",
        type=float,
        action="append",
        default=[],
        help="also measure at this offered rate (req/s, paced connections); repeatable",
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed: apt install wrk")
    scratch = Path(tempfile.mkdtemp(prefix="reelcut-load-"))
    codes = [("before ", args.before.resolve())] if args.before else []
    codes.append(("" if not args.before else "now ", ROOT))
    servers: list[tuple[str, subprocess.Popen[bytes], str, str, str]] = []
    rows = []
    try:
        for label, code in codes:
            port = _free_port()
            base = f"http://127.0.0.1:{port}"
            here = scratch / f"s{len(servers)}"
            here.mkdir()
            proc = start_server(here / "data", port, code)
            servers.append((label, proc, base, *prepare(base, here)))
        targets = [
            ("/healthz (baseline)", lambda sid: "/healthz", False),
            ("balance", lambda sid: "/api/credits/balance/simple", True),
            ("state", lambda sid: f"/api/state/nemo_agent/me/{sid}/latest", True),
        ]
        for name, path, auth in targets:
            for rate in [None, *args.rate]:
                for label, proc, base, token, sid in servers:
                    url = base + path(sid)
                    key = token if auth else None
                    wrk(url, 2, args.connections, key, rate)  # warm up
                    before = cpu_s(proc.pid)
                    out = wrk(url, args.seconds, args.connections, key, rate)
                    title = label + name + (f" @{rate:.0f}/s" if rate else " (flat out)")
                    row = parse_wrk(title, out)
                    used = cpu_s(proc.pid) - before
                    cpu_ms = 1000 * used / (row.requests_per_s * args.seconds)
                    rows.append(replace(row, cpu_ms=cpu_ms))
    finally:
        for _, proc, *_ in servers:
            proc.terminate()
            proc.wait(20)
        shutil.rmtree(scratch, ignore_errors=True)
    load = os.getloadavg()
    print(f"{args.connections} connections, {args.seconds} s each, {os.cpu_count()} CPUs, "
          f"load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}")  # fmt: skip
    print(f"{'endpoint':<40}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}{'CPU ms/req':>12}")
    for r in rows:
        print(
            f"{r.name:<40}{r.requests_per_s:>9.0f}{r.p50_ms:>9.1f}{r.p99_ms:>9.1f}{r.errors:>8}"
            f"{r.cpu_ms:>12.2f}"
        )


if __name__ == "__main__":
    main()
