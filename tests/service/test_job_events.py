"""``GET /api/jobs/{id}/events`` and ``POST /api/jobs/{id}/cancel`` on a plain ``reelcut serve``
(no broker: in-process workers): a job is followed to its end, ended jobs are left alone, and
another account's job is not found. The broker side is in ``test_scale.py``."""

from __future__ import annotations

from pathlib import Path

from tests.service.conftest import Server, anonymous_token, follow, new_session, upload


def test_a_job_is_followed_to_its_end_and_only_by_its_account(server: Server, clip: Path):
    token = anonymous_token(server)
    with server.client(token) as c:
        sid = new_session(c)
        r = upload(c, sid, clip)
        assert r.status_code == 200, r.text
        job_id = r.json()["data"]["files"][0]["analysis_job_id"]
        frames = follow(c, job_id)
        assert [e for _, e, _, _ in frames][-1] == "status"
        last = frames[-1][2]
        assert (last["kind"], last["status"], last["progress"]) == ("analysis", "completed", 1.0)
        # a Last-Event-ID a browser never sends ('²' as latin-1, 5000 digits): from the start
        for bad in (b"\xb2", b"9" * 5000, b"12\xb2"):
            headers = [(b"Accept", b"text/event-stream"), (b"Last-Event-ID", bad)]
            r = c.get(f"/api/jobs/{job_id}/events", headers=headers)
            assert r.status_code == 200 and "event: status" in r.text, (bad[:8], r.text[:300])
        r = c.post(f"/api/jobs/{job_id}/cancel")  # ended: left as it was
        assert r.status_code == 200 and r.json()["data"]["status"] == "completed", r.text
    with server.client(anonymous_token(server)) as other:
        for r in (
            other.get(f"/api/jobs/{job_id}/events"),
            other.post(f"/api/jobs/{job_id}/cancel"),
        ):
            assert r.status_code == 404, r.text
