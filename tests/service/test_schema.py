"""Schemathesis over the OpenAPI schema: generated requests never get a 5xx, and every JSON
answer is the envelope."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings

from tests.service.conftest import Server, anonymous_token, new_session

OPERATIONS = [
    ("/api/tasks/me/with-session/nemo_agent", "POST"),
    ("/run_sse", "POST"),
    ("/api/render/proxy/lambda", "POST"),
    ("/api/render/proxy/lambda/{render_id}", "GET"),
    ("/api/state/nemo_agent/me/{sid}/latest", "GET"),
    ("/api/credits/balance/simple", "GET"),
    ("/api/auth/anonymous-token", "POST"),
]


def test_openapi_is_served_with_docs(server: Server):
    import httpx

    spec = httpx.get(server.url + "/openapi.json").json()
    for path, method in OPERATIONS:
        assert method.lower() in spec["paths"][path]
    assert httpx.get(server.url + "/docs").status_code == 200


@pytest.mark.slow
@pytest.mark.parametrize(("path", "method"), OPERATIONS)
def test_generated_requests_get_no_5xx_and_the_envelope(server: Server, path: str, method: str):
    schema = schemathesis.openapi.from_url(server.url + "/openapi.json")
    token = anonymous_token(server)
    with server.client(token) as c:
        sid = new_session(c)
    operation = schema[path][method]

    @given(case=operation.as_strategy())
    @settings(
        max_examples=30,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def check(case: schemathesis.Case) -> None:
        if (
            case.path_parameters
            and "sid" in case.path_parameters
            and len(str(case.path_parameters["sid"])) % 2
        ):
            case.path_parameters["sid"] = sid  # half the time a real session
        response = case.call(base_url=server.url, headers={"Authorization": f"Bearer {token}"})
        assert response.status_code < 500, response.text
        content_type = response.headers.get("content-type") or [""]
        if content_type[0].startswith("application/json"):
            body = response.json()
            assert {"code", "message", "data"} <= set(body), body
            assert isinstance(body["code"], int) and isinstance(body["message"], str)
            assert (body["code"] == 0) == (response.status_code < 400)

    check()
