"""Rate limits count what a client cannot make up: its address (through a trusted proxy only)
and its verified account. Junk tokens, header spellings and client ids buy no new budget."""

from __future__ import annotations

import uuid
from pathlib import Path

import httpx

from reelcut.service.limits import client_address
from reelcut.service.settings import Settings
from tests.service.conftest import Server


def _allowed(responses: list[httpx.Response]) -> int:
    return sum(r.status_code != 429 for r in responses)


def test_junk_tokens_and_spellings_share_the_address_budget(tmp_path: Path):
    srv = Server(tmp_path / "rl", rate_limit_per_minute=12).start()
    try:
        spellings = ["Bearer {}", "bearer {}", "Bearer  {}", "BEARER {}", "Bearer {}  x"]
        answers = []
        for n in range(30):
            auth = spellings[n % len(spellings)].format(uuid.uuid4().hex)
            answers.append(
                httpx.get(srv.url + "/api/credits/balance/simple", headers={"Authorization": auth})
            )
        assert _allowed(answers) <= 12
        last = answers[-1]
        assert last.status_code == 429 and last.json()["code"] == 429
        assert int(last.headers["retry-after"]) >= 1
    finally:
        srv.stop()


def test_forwarded_for_counts_only_from_a_trusted_proxy(tmp_path: Path):
    direct = Server(tmp_path / "direct", rate_limit_per_minute=8).start()
    try:  # no proxy configured: a made-up X-Forwarded-For is ignored
        answers = [
            httpx.get(direct.url + "/healthz", headers={"X-Forwarded-For": f"198.51.100.{n}"})
            for n in range(15)
        ]
        assert _allowed(answers) <= 8
    finally:
        direct.stop()

    proxied = Server(
        tmp_path / "proxied",
        rate_limit_per_minute=8,
        trusted_proxies="127.0.0.1",
        anonymous_tokens_per_hour=3,
    ).start()
    try:
        one = {"X-Forwarded-For": "203.0.113.5"}
        answers = [httpx.get(proxied.url + "/healthz", headers=one) for _ in range(10)]
        assert [r.status_code for r in answers[:8]] == [200] * 8
        assert answers[9].status_code == 429
        other = {"X-Forwarded-For": "203.0.113.5, 203.0.113.6"}  # the proxy appended .6
        assert httpx.get(proxied.url + "/healthz", headers=other).status_code == 200

        # anonymous tokens: 3 an hour per address, whatever the client id
        tokens = [
            httpx.post(
                proxied.url + "/api/auth/anonymous-token",
                headers={"X-Client-Id": uuid.uuid4().hex, "X-Forwarded-For": "192.0.2.7"},
            )
            for _ in range(4)
        ]
        assert [r.status_code for r in tokens] == [200, 200, 200, 429]
        assert tokens[3].json()["code"] == 429
        token = tokens[0].json()["data"]["token"]

        # one verified account, many addresses: the account's own budget runs out
        codes = [
            httpx.get(
                proxied.url + "/api/credits/balance/simple",
                headers={"Authorization": f"Bearer {token}", "X-Forwarded-For": f"192.0.2.{n}"},
            ).status_code
            for n in range(20, 32)
        ]
        assert codes[:8] == [200] * 8 and codes[-1] == 429
    finally:
        proxied.stop()


def test_client_address_walks_forwarded_for_from_the_right():
    proxies = Settings(trusted_proxies="10.0.0.0/8, 127.0.0.1").proxy_networks
    assert client_address("127.0.0.1", "1.2.3.4, 10.0.0.2", proxies) == "1.2.3.4"
    assert client_address("127.0.0.1", "9.9.9.9, 1.2.3.4", proxies) == "1.2.3.4"
    assert client_address("127.0.0.1", "junk, 1.2.3.4", proxies) == "1.2.3.4"
    assert client_address("127.0.0.1", "1.2.3.4, junk", proxies) == "127.0.0.1"
    assert client_address("8.8.8.8", "1.2.3.4", proxies) == "8.8.8.8"
    assert client_address("127.0.0.1", "", []) == "127.0.0.1"


def test_a_token_ended_in_the_database_is_refused_on_the_next_request(tmp_path: Path):
    """Tokens are checked against the database on every request (no memory of verified tokens
    that would keep an ended one working): an account whose expiry an operator moves into the
    past, or whose row is gone, is 1001 at once, on every door that checks tokens."""
    import sqlite3

    from reelcut.service.auth import hash_token

    srv = Server(tmp_path / "ended").start()
    try:
        token = httpx.post(
            srv.url + "/api/auth/anonymous-token", headers={"X-Client-Id": uuid.uuid4().hex}
        ).json()["data"]["token"]
        auth = {"Authorization": f"Bearer {token}"}
        sid = httpx.post(
            srv.url + "/api/tasks/me/with-session/nemo_agent", headers=auth, json={}
        ).json()["data"]["session_id"]
        state = f"{srv.url}/api/state/nemo_agent/me/{sid}/latest"
        for _ in range(3):  # verified and answered a few times first
            assert (
                httpx.get(srv.url + "/api/credits/balance/simple", headers=auth).json()["code"] == 0
            )
            assert httpx.get(state, headers=auth).json()["code"] == 0
        with sqlite3.connect(srv.data_dir / "reelcut.db") as db:
            db.execute(
                "UPDATE accounts SET expires_at = '2000-01-01 00:00:00.000000' "
                "WHERE token_hash = ?",
                (hash_token(token),),
            )
        for url in (srv.url + "/api/credits/balance/simple", state):
            r = httpx.get(url, headers=auth)
            assert r.status_code == 401 and r.json()["code"] == 1001, r.text
            assert "expired" in r.json()["message"]
        with sqlite3.connect(srv.data_dir / "reelcut.db") as db:
            db.execute("PRAGMA foreign_keys=OFF")
            db.execute("DELETE FROM accounts WHERE token_hash = ?", (hash_token(token),))
        r = httpx.get(srv.url + "/api/credits/balance/simple", headers=auth)
        assert r.status_code == 401 and "unknown token" in r.json()["message"]
    finally:
        srv.stop()
