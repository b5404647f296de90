"""The dashboard shows the library's errors with where and what to do, like the command line."""

from __future__ import annotations

import html

from fastapi.testclient import TestClient

from tests.web.conftest import csrf


def test_moving_an_unknown_post_names_the_id_and_where_to_find_ids(client: TestClient) -> None:
    token = csrf(client)
    r = client.post("/calendar/move", data={"csrf_token": token, "post_id": "nope", "when": "2030-01-12T10:30"})
    assert r.status_code == 400
    text = html.unescape(r.text)
    assert "post id: no planned post with id 'nope'. List the ids with `signalboost calendar show`" in text
