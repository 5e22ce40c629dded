"""Service: from the last byte of a 10-minute 1080p upload to a downloadable 2-minute reel.

Starts a real ``reelcut serve`` on loopback (its own data dir and analysis cache) once with the
analysis after the upload (``REELCUT_EARLY_ANALYSES=0``: the behaviour before issue 20) and
once with the analysis starting while the bytes arrive (the default), and for each upload rate
sends the file as one multipart body paced to that rate (``http.client``, 256 KiB writes),
then does what a client does: chat "make a 2-minute reel", ask for the 1080p export, poll it,
download it. Prints, from the last byte sent: the upload's answer, the analysis job's end, the
chat's end, the render's end and the download's end. Each row starts a fresh server with an
empty cache, so nothing is reused between rows.

``--source`` is remuxed (stream copy) into /tmp/reelcut-bench/ with ``moov`` first
(``-movflags +faststart``, the layout that can be analysed as it arrives); ``--layout end``
sends it with ``moov`` last instead (then nothing can start early).

    PYTHONPATH=src python bench/upload_to_reel.py --source 10min_1080p.mp4 [--rates 80 20]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from reelcut.media.ffmpeg import ffmpeg_exe  # noqa: E402

CACHE = Path("/tmp/reelcut-bench")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def laid_out(source: Path, layout: str) -> Path:
    """``source`` remuxed (stream copy) with ``moov`` first (faststart) or last."""
    out = CACHE / f"{source.stem}-{layout}.mp4"
    if out.exists() and out.stat().st_mtime >= source.stat().st_mtime:
        return out
    CACHE.mkdir(parents=True, exist_ok=True)
    flags = ["-movflags", "+faststart"] if layout == "faststart" else []
    part = out.with_suffix(".part.mp4")
    subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-nostdin", "-y", "-loglevel", "error", "-i", str(source),
         "-c", "copy", *flags, str(part)],
        check=True,
    )  # fmt: skip
    part.replace(out)
    return out


@dataclass
class Row:
    mode: str
    rate_mb_s: float
    upload_s: float = 0.0
    answer_s: float = 0.0  # after the last byte
    analysed_s: float = 0.0
    chat_s: float = 0.0
    rendered_s: float = 0.0
    downloaded_s: float = 0.0
    reel_s: float = 0.0
    early: str = ""


class Serve:
    def __init__(self, work: Path, early: bool) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT / "src"),
            "REELCUT_CACHE_DIR": str(work / "cache"),
            "REELCUT_MAX_UPLOAD_MB": "4000",
            "REELCUT_RATE_LIMIT_PER_MINUTE": "0",
            "REELCUT_EARLY_ANALYSES": "2" if early else "0",
            "REELCUT_HEARTBEAT_S": "1",
        }
        self.log = (work / "server.log").open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "reelcut.service", "--port", str(self.port),
             "--data-dir", str(work / "data")],
            env=env, stdout=self.log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.2)
        raise SystemExit("the server did not start")

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(30)
        self.log.close()


def paced_upload(
    url: str, token: str, sid: str, source: Path, rate: float
) -> tuple[float, float, dict]:
    """POST ``source`` as multipart at ``rate`` bytes/s; (upload seconds, the answer's seconds
    after the last byte, the answer)."""
    boundary = uuid.uuid4().hex
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; '
        f'filename="{source.name}"\r\nContent-Type: video/mp4\r\n\r\n'
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    size = source.stat().st_size
    conn = http.client.HTTPConnection("127.0.0.1", int(url.rsplit(":", 1)[1]), timeout=900)
    conn.putrequest("POST", f"/api/upload-video/nemo_agent/me/{sid}")
    conn.putheader("Authorization", f"Bearer {token}")
    conn.putheader("Content-Type", f"multipart/form-data; boundary={boundary}")
    conn.putheader("Content-Length", str(len(head) + size + len(tail)))
    conn.endheaders()
    conn.send(head)
    started = time.perf_counter()
    sent = 0
    with source.open("rb") as fh:
        while chunk := fh.read(256 * 1024):
            conn.send(chunk)
            sent += len(chunk)
            ahead = sent / rate - (time.perf_counter() - started)
            if ahead > 0:
                time.sleep(ahead)
    conn.send(tail)
    last = time.perf_counter()
    answer = json.loads(conn.getresponse().read())
    conn.close()
    return last - started, time.perf_counter() - last, answer


def one_row(source: Path, rate_mb_s: float, early: bool, until: str = "downloaded") -> Row:
    row = Row("while uploading" if early else "after upload", rate_mb_s)
    with tempfile.TemporaryDirectory(prefix="reelcut-upload-bench-") as tmp:
        serve = Serve(Path(tmp), early)
        try:
            r = httpx.post(
                serve.url + "/api/auth/anonymous-token", headers={"X-Client-Id": uuid.uuid4().hex}
            )
            token = r.json()["data"]["token"]
            c = httpx.Client(
                base_url=serve.url, headers={"Authorization": f"Bearer {token}"}, timeout=900
            )
            sid = c.post(
                "/api/tasks/me/with-session/nemo_agent",
                json={"task_name": "project", "language": "en"},
            ).json()["data"]["session_id"]
            row.upload_s, row.answer_s, answer = paced_upload(
                serve.url, token, sid, source, rate_mb_s * 2**20
            )
            last = time.perf_counter() - row.answer_s
            assert answer["code"] == 0, answer
            [media] = answer["data"]["files"]
            job = media["analysis_job_id"]
            while True:
                state = c.get(f"/api/state/nemo_agent/me/{sid}/latest").json()["data"]["state"]
                info = next(v for v in state["video_infos"] if v["id"] == media["id"])
                if info["analysis_status"] in ("completed", "failed"):
                    assert info["analysis_status"] == "completed", info
                    break
                time.sleep(0.1)
            row.analysed_s = time.perf_counter() - last
            if until == "analysed":
                row.early = _early_outcome(Path(tmp))
                c.close()
                return row
            body = {
                "app_name": "nemo_agent",
                "user_id": "me",
                "session_id": sid,
                "new_message": {"parts": [{"text": "make a 2-minute reel"}]},
            }
            with c.stream("POST", "/run_sse", json=body) as s:
                for _ in s.iter_lines():
                    pass
            row.chat_s = time.perf_counter() - last
            render_id = f"render_{uuid.uuid4().hex[:8]}"
            r = c.post(
                "/api/render/proxy/lambda",
                json={"id": render_id, "sessionId": sid, "draft": None,
                      "output": {"format": "mp4", "quality": "high"}},
            )  # fmt: skip
            assert r.status_code == 200, r.text
            while True:
                data = c.get(f"/api/render/proxy/lambda/{render_id}").json()["data"]
                if data["status"] == "completed":
                    break
                assert data["status"] != "failed", data
                time.sleep(0.2)
            row.rendered_s = time.perf_counter() - last
            reel = httpx.get(data["output"]["url"], timeout=300)
            assert reel.status_code == 200
            row.downloaded_s = time.perf_counter() - last
            out = Path(tmp) / "reel.mp4"
            out.write_bytes(reel.content)
            from reelcut.media.probe import probe

            row.reel_s = probe(out).duration_s
            row.early = _early_outcome(Path(tmp))
            assert job
            c.close()
        finally:
            serve.stop()
    return row


def _early_outcome(work: Path) -> str:
    """The early analysis's last word in the server's log ("" when it had none)."""
    log = (work / "server.log").read_text(errors="replace")
    said = [ln.split(": ", 2)[-1] for ln in log.splitlines() if "early analysis of" in ln]
    return said[-1] if said else ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rates", type=float, nargs="+", default=[80.0, 20.0], help="MB/s")
    parser.add_argument("--source", type=Path, required=True, help="a 10-minute 1080p MP4")
    parser.add_argument(
        "--until",
        choices=["downloaded", "analysed"],
        default="downloaded",
        help="stop each row when the analysis job is done (no chat, render or download)",
    )
    parser.add_argument("--layout", choices=["faststart", "end"], default="faststart")
    args = parser.parse_args(argv)
    source = laid_out(args.source, args.layout)
    print(f"source: {source} ({source.stat().st_size / 2**20:.0f} MB)", flush=True)
    print(f"load before: {os.getloadavg()}", flush=True)
    rows = []
    for rate in args.rates:
        for early in (False, True):
            row = one_row(source, rate, early, args.until)
            rows.append(row)
            print(json.dumps(row.__dict__), flush=True)
    print(f"load after: {os.getloadavg()}")
    print()
    print("| upload rate | analysis | upload s | from the last byte: answer | analysed | "
          "reel drafted | rendered | downloaded | reel s |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r.rate_mb_s:g} MB/s | {r.mode} | {r.upload_s:.1f} | {r.answer_s:.1f} | "
            f"{r.analysed_s:.1f} | {r.chat_s:.1f} | {r.rendered_s:.1f} | "
            f"**{r.downloaded_s:.1f}** | {r.reel_s:.1f} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
