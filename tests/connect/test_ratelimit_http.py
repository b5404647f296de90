"""Rate limits through the real atproto SDK against a real local HTTP server that answers 429 with the headers
Bluesky sends (``ratelimit-*`` with an epoch reset, ``retry-after``). Only the pause itself is recorded
instead of slept."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from signalboost.connect.base import Stats
from signalboost.connect.bluesky import MAX_ATTEMPTS, _RateLimitedClient
from signalboost.errors import ConnectError


class _Server:
    def __init__(self, script: list[tuple[int, dict[str, str]]]) -> None:
        self.script = script  # (status, headers) per request, in order; the last one repeats
        self.calls = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                status, headers = outer.script[min(outer.calls, len(outer.script) - 1)]
                outer.calls += 1
                body = (
                    {"did": "did:plc:abc", "handle": "a.test", "followersCount": 3}
                    if status == 200
                    else {"error": "RateLimitExceeded", "message": "Rate Limit Exceeded"}
                )
                raw = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(raw)))
                for k, v in headers.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(raw)

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()


@pytest.fixture
def serve() -> Iterator[Any]:
    servers: list[_Server] = []

    def start(script: list[tuple[int, dict[str, str]]]) -> _Server:
        servers.append(_Server(script))
        return servers[-1]

    yield start
    for s in servers:
        s.httpd.shutdown()


def _client(url: str) -> tuple[_RateLimitedClient, list[float], Stats]:
    slept: list[float] = []
    stats = Stats()
    return _RateLimitedClient(url, stats, slept.append), slept, stats


def test_429_waits_as_the_server_says_then_succeeds(serve: Any) -> None:
    reset = int(time.time()) + 30
    server = serve(
        [
            (429, {"retry-after": "4"}),
            (429, {"ratelimit-limit": "3000", "ratelimit-remaining": "0", "ratelimit-reset": str(reset)}),
            (200, {"ratelimit-limit": "3000", "ratelimit-remaining": "2999", "ratelimit-reset": str(reset)}),
        ]
    )
    client, slept, stats = _client(server.url)
    profile = client.app.bsky.actor.get_profile({"actor": "did:plc:abc"})
    assert profile.handle == "a.test" and profile.followers_count == 3
    assert server.calls == 3 and stats.requests == 3
    assert slept[0] == 4  # retry-after
    assert 29 <= slept[1] <= 31.5  # until the reset (+0.5 s), from the epoch header
    assert len(slept) == 2  # the 200 had room left: no pause


def test_an_almost_used_window_pauses_until_its_reset(serve: Any) -> None:
    reset = int(time.time()) + 60
    server = serve([(200, {"ratelimit-remaining": "1", "ratelimit-reset": str(reset)})])
    client, slept, _ = _client(server.url)
    client.app.bsky.actor.get_profile({"actor": "did:plc:abc"})
    assert len(slept) == 1 and 58 <= slept[0] <= 60


def test_backoff_without_headers_then_a_clear_error(serve: Any) -> None:
    server = serve([(429, {})])
    client, slept, _ = _client(server.url)
    with pytest.raises(ConnectError, match="kept refusing requests"):
        client.app.bsky.actor.get_profile({"actor": "did:plc:abc"})
    assert server.calls == MAX_ATTEMPTS
    assert slept == [1, 2, 4, 8, 16][: MAX_ATTEMPTS - 1]  # no pause after the last refusal
