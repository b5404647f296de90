"""``connect mastodon`` (token and OAuth code flow), the secrets file, Mastodon's length rules and rate limits —
through the real Mastodon.py client against the local replay server (tests/connect/mastodon_replay.py)."""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from signalboost.connect.accounts import connect_mastodon, disconnect, list_connections, open_connector
from signalboost.connect.compose import check_text, text_length
from signalboost.connect.mastodon import MAX_ATTEMPTS, MastodonConnector, normalize_instance
from signalboost.errors import ConnectError
from signalboost.store.workspace import Workspace
from tests.connect.mastodon_replay import ENTITY_KEYS, ReplayServer

ROOT = Path(__file__).resolve().parents[2]


def _ws(tmp_path: Path, name: str = "ws") -> Workspace:
    ws = Workspace.open(tmp_path / name, create=True)
    with ws.connect():
        pass
    return ws


def _cli(args: list[str], *, stdin: str = "", env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    full_env.pop("SIGNALBOOST_MASTODON_TOKEN", None)
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "signalboost.cli.main", *args], input=stdin, capture_output=True, text=True, env=full_env
    )


def _db_strings(ws: Workspace) -> str:
    """Every text value of every table (DuckDB compresses strings on disk: a byte grep alone could miss one)."""
    out = []
    with ws.connect() as con:
        tables = [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()]
        for table in tables:
            out.extend(str(r) for r in con.execute(f'SELECT * FROM "{table}"').fetchall())
    return "\n".join(out)


def test_replay_entities_have_the_keys_of_real_recorded_responses(shared_data: Path) -> None:
    folder = shared_data / "mastodon-api-responses-mastodonpy"
    account = json.loads((folder / "account.json").read_text())
    status = json.loads((folder / "account_statuses_page.json").read_text())[0]
    note = json.loads((folder / "notifications.json").read_text())[0]
    assert list(account) == ENTITY_KEYS["account"]
    # an account's own statuses also say whether they are pinned / in collections (not needed here)
    assert set(status) == set(ENTITY_KEYS["status"]) | {"pinned", "tagged_collections"}
    assert list(note) == ENTITY_KEYS["notification"]
    manifest = {m["file"]: m for m in json.loads((folder / "manifest.json").read_text())}
    assert 'rel="next"' in manifest["account_statuses_page.json"]["link_header"]  # the paging the server mimics


def test_instance_addresses_are_normalized_and_bad_ones_refused() -> None:
    assert normalize_instance("mastodon.social") == "https://mastodon.social"
    assert normalize_instance(" https://Fosstodon.org/ ") == "https://Fosstodon.org"
    for bad in ("", "ftp://x.example", "https://x.example/?a=1"):
        with pytest.raises(ConnectError):
            normalize_instance(bad)


def test_connect_with_a_token_keeps_it_in_the_private_secrets_file_only(tmp_path: Path, server: ReplayServer) -> None:
    ws = _ws(tmp_path)
    token = server.world.token
    connector = connect_mastodon(ws, server.url, token)
    assert (connector.account_id, connector.handle) == ("brand@social.example", "brand@social.example")
    secrets = ws.root / "secrets.json"
    assert stat.S_IMODE(secrets.stat().st_mode) == 0o600
    assert json.loads(secrets.read_text())["mastodon"]["access_token"] == token
    assert "/secrets.json" in (ws.root / ".gitignore").read_text().splitlines()
    (row,) = list_connections(ws)
    assert (row["platform"], row["handle"], row["service"], row["credential"]) == (
        "mastodon",
        "brand@social.example",
        server.url,
        "stored",
    )
    assert token not in _db_strings(ws)
    assert token.encode() not in ws.db_path.read_bytes()
    reopened = open_connector(ws, "mastodon")
    assert reopened.account_id == "brand@social.example"
    assert disconnect(ws, "mastodon") and list_connections(ws) == []
    assert "mastodon" not in json.loads(secrets.read_text())


def test_a_wrong_token_is_refused_without_echoing_it(tmp_path: Path, server: ReplayServer) -> None:
    ws = _ws(tmp_path)
    with pytest.raises(ConnectError) as info:
        connect_mastodon(ws, server.url, "wrong-token-98765")
    assert "refused the access token" in str(info.value) and "wrong-token-98765" not in str(info.value)
    assert not (ws.root / "secrets.json").exists() and list_connections(ws) == []
    with pytest.raises(ConnectError, match="no access token"):
        connect_mastodon(ws, server.url, "  ")


def test_cli_connects_with_the_token_from_the_environment(tmp_path: Path, server: ReplayServer) -> None:
    ws = _ws(tmp_path)
    token = server.world.token
    res = _cli(
        ["connect", "mastodon", "--instance", server.url, "-w", str(ws.root)], env={"SIGNALBOOST_MASTODON_TOKEN": token}
    )
    assert res.returncode == 0, res.stderr
    assert "Connected Mastodon account @brand@social.example" in res.stdout
    listed = _cli(["connections", "-w", str(ws.root), "--format", "json"])
    assert json.loads(listed.stdout)["rows"][0]["handle"] == "brand@social.example"
    assert token not in res.stdout + res.stderr + listed.stdout + listed.stderr


def test_cli_oauth_flow_prints_the_page_and_takes_the_code(tmp_path: Path, server: ReplayServer) -> None:
    ws = _ws(tmp_path)
    res = _cli(
        ["connect", "mastodon", "--instance", server.url, "--oauth", "-w", str(ws.root)],
        stdin=server.world.oauth_code + "\n",
    )
    assert res.returncode == 0, res.stderr
    assert f"{server.url}/oauth/authorize?client_id=cid-replay&response_type=code" in res.stdout
    assert "scope=read+write%3Astatuses+write%3Amedia" in res.stdout and "None" not in res.stdout
    stored = json.loads((ws.root / "secrets.json").read_text())["mastodon"]
    assert stored["access_token"] == server.world.token and stored["client_id"] == "cid-replay"
    for secret in (server.world.token, "csecret-replay-SECRET", server.world.oauth_code):
        assert secret not in res.stdout + res.stderr
    bad = _cli(["connect", "mastodon", "--instance", server.url, "--oauth", "-w", str(ws.root)], stdin="nope\n")
    assert bad.returncode == 1 and "refused the authorization code" in bad.stderr and "Traceback" not in bad.stderr


def test_mastodon_counts_length_as_the_server_does() -> None:
    # StatusLengthValidator: URLs count 23, @user@domain counts as @user, then grapheme clusters
    url = "https://example.com/a/very/long/path/that/is/much/longer/than/twenty-three"
    assert text_length(f"see {url}", "mastodon") == 4 + 23
    assert text_length("hi @alice@a-very-long-domain.example!", "mastodon") == len("hi @alice!")
    assert text_length("mail bob@example.com", "mastodon") == len("mail bob@example.com")  # not a mention
    assert text_length("👍🏽🇫🇷", "mastodon") == 2
    check_text("x" * 476 + " " + url, "mastodon")  # 476 + 1 + 23 = 500: allowed
    with pytest.raises(ConnectError, match="501 characters long; mastodon allows 500"):
        check_text("x" * 477 + " " + url, "mastodon")


class _Sleeps(list[float]):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def test_a_429_waits_until_the_servers_reset_then_succeeds(server: ReplayServer) -> None:
    sleeps = _Sleeps()
    connector = MastodonConnector(server.url, server.world.token, sleep=sleeps)
    server.fail_429 = {len(server.requests) + 1}
    page = connector.page("followers", None, limit=5, observed_at=dt.datetime.now(dt.UTC))
    assert len(page.keys) == 5
    assert len(sleeps) == 1 and 0.0 < sleeps[0] <= 1.5  # the 429's X-RateLimit-Reset is 1 s ahead (+0.5 margin)
    assert connector.stats.requests == 3  # login, the refused request, the retry


def test_the_last_requests_of_a_window_pause_until_its_reset(server: ReplayServer) -> None:
    server.rate_limit, server.window_seconds = 5, 120.0
    sleeps = _Sleeps()
    connector = MastodonConnector(server.url, server.world.token, sleep=sleeps)
    now = dt.datetime.now(dt.UTC)
    connector.page("followers", None, limit=5, observed_at=now)  # request 2: 3 remaining, no pause
    assert sleeps == []
    connector.page("follows", None, limit=5, observed_at=now)  # request 3: 2 remaining → wait for the window
    assert len(sleeps) == 1 and 100 < sleeps[0] <= 120


def test_a_server_that_keeps_refusing_gives_a_clear_error(server: ReplayServer) -> None:
    sleeps = _Sleeps()
    connector = MastodonConnector(server.url, server.world.token, sleep=sleeps)
    first = len(server.requests) + 1
    server.fail_429 = set(range(first, first + MAX_ATTEMPTS))
    with pytest.raises(ConnectError, match=f"kept refusing requests \\(rate limit\\) after {MAX_ATTEMPTS} attempts"):
        connector.page("posts", None, limit=5, observed_at=dt.datetime.now(dt.UTC))
    assert len(sleeps) == MAX_ATTEMPTS - 1  # no pause after the last refusal


def test_a_token_revoked_after_connecting_stops_the_sync_with_a_clear_error(
    tmp_path: Path, server: ReplayServer
) -> None:
    from signalboost.connect.sync import sync_account

    ws = _ws(tmp_path)
    token = server.world.token
    connect_mastodon(ws, server.url, token)
    connector = open_connector(ws, "mastodon")
    server.world.token = "a-new-token-the-workspace-does-not-have"  # revoked under Preferences → Development
    with pytest.raises(ConnectError) as info:
        sync_account(ws, connector, page_size=5)
    message = str(info.value)
    assert "refused the access token (HTTP 401)" in message and "signalboost connect mastodon" in message
    assert token not in message
    with ws.connect() as con:  # the run is left to resume once reconnected; nothing half-written is lost
        assert con.execute("SELECT status FROM imports").fetchone()[0] == "running"


def test_cli_refuses_an_address_that_is_no_server(tmp_path: Path) -> None:
    ws = _ws(tmp_path)
    res = _cli(
        ["connect", "mastodon", "--instance", "ftp://files.example", "-w", str(ws.root)],
        env={"SIGNALBOOST_MASTODON_TOKEN": "whatever"},
    )
    assert res.returncode == 1 and "Traceback" not in res.stderr
    assert "--instance: the instance is not a server address" in " ".join(res.stderr.split())
    assert not (ws.root / "secrets.json").exists()
