"""The parts of live accounts that need no network: rate-limit waits, text length and facets, the secrets file."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from signalboost.connect import ratelimit
from signalboost.connect.compose import check_text, facets_for, graphemes, text_length
from signalboost.connect.secrets import load_secrets, put_secret, remove_secret, save_secrets
from signalboost.errors import ConnectError

NOW = 1_800_000_000.0


def test_wait_after_success_only_when_the_window_is_nearly_used() -> None:
    assert ratelimit.wait_after_success({"ratelimit-remaining": "2999", "ratelimit-reset": str(NOW + 300)}, NOW) == 0
    # 2 left (the reserve): wait for the reset, 120 s away (epoch seconds, Bluesky's form)
    assert ratelimit.wait_after_success({"ratelimit-remaining": "2", "ratelimit-reset": str(NOW + 120)}, NOW) == 120
    # Mastodon's form: x-ratelimit-* with an ISO 8601 reset
    headers = {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "2027-01-15T08:00:30.000Z"}
    # 2027-01-15T08:00:30Z is epoch 1,800,000,030: 30 s after NOW
    assert ratelimit.wait_after_success(headers, NOW) == pytest.approx(30)
    assert ratelimit.wait_after_success({}, NOW) == 0  # no headers: no pause


def test_wait_after_429_prefers_retry_after_then_reset_then_exponential_backoff() -> None:
    assert ratelimit.wait_after_429({"retry-after": "7"}, NOW, 0) == 7
    assert ratelimit.wait_after_429({"ratelimit-reset": str(NOW + 10)}, NOW, 0) == 10.5
    assert [ratelimit.wait_after_429({}, NOW, a) for a in range(4)] == [1, 2, 4, 8]
    assert ratelimit.wait_after_429({}, NOW, 20) == 300  # capped
    assert ratelimit.wait_after_429({"retry-after": "junk"}, NOW, 1) == 2


def test_graphemes_count_user_perceived_characters() -> None:
    assert graphemes("abc") == 3
    assert graphemes("👍🏽") == 1  # emoji + skin tone modifier
    assert graphemes("🇫🇷") == 1  # a flag: two regional indicators
    assert graphemes("e\u0301") == 1  # e + combining acute accent
    text = "\U0001f44d\U0001f3fd\U0001f1eb\U0001f1f7e\u0301"  # the three above
    assert len(text) == 6 and graphemes(text) == 3


def test_text_limits_per_network() -> None:
    check_text("👍🏽" * 300, "bluesky")  # 300 graphemes (600 code points) fit
    with pytest.raises(ConnectError, match="301 characters long; bluesky allows 300"):
        check_text("a" * 301, "bluesky", where="plan p1")
    with pytest.raises(ConnectError, match="no text"):
        check_text("  ", "bluesky")
    # Mastodon: a URL counts 23 whatever its length
    url = "https://example.com/" + "x" * 100
    assert text_length(f"see {url}", "mastodon") == 4 + 23


def test_facets_use_utf8_byte_offsets() -> None:
    text = "Café 👋 @alice.test read https://example.com/a. #SlowFashion"
    facets = facets_for(text, lambda h: "did:plc:alice" if h == "alice.test" else None)
    raw = text.encode("utf-8")
    got = [(raw[f["index"]["byteStart"] : f["index"]["byteEnd"]].decode(), f["features"][0]) for f in facets]
    assert got == [
        ("@alice.test", {"$type": "app.bsky.richtext.facet#mention", "did": "did:plc:alice"}),
        ("https://example.com/a", {"$type": "app.bsky.richtext.facet#link", "uri": "https://example.com/a"}),
        ("#SlowFashion", {"$type": "app.bsky.richtext.facet#tag", "tag": "SlowFashion"}),
    ]
    # an unknown handle stays plain text
    assert facets_for("hi @nobody.test", lambda h: None) == []


def test_secrets_file_is_private_gitignored_and_refused_when_readable(tmp_path: Path) -> None:
    put_secret(tmp_path, "bluesky", {"handle": "a.test", "app_password": "s3cr3t"})
    path = tmp_path / "secrets.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert "/secrets.json" in (tmp_path / ".gitignore").read_text().splitlines()
    assert load_secrets(tmp_path)["bluesky"]["app_password"] == "s3cr3t"
    save_secrets(tmp_path, load_secrets(tmp_path))
    assert (tmp_path / ".gitignore").read_text().count("/secrets.json") == 1  # not added twice
    os.chmod(path, 0o644)
    with pytest.raises(ConnectError, match="chmod 600") as info:
        load_secrets(tmp_path)
    assert "s3cr3t" not in str(info.value)
    os.chmod(path, 0o600)
    assert remove_secret(tmp_path, "bluesky") and load_secrets(tmp_path) == {}
    assert not remove_secret(tmp_path, "bluesky")


def test_a_broken_secrets_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "secrets.json"
    path.write_text("{not json")
    os.chmod(path, 0o600)
    with pytest.raises(ConnectError, match="cannot read the secrets file"):
        load_secrets(tmp_path)


@pytest.mark.parametrize("command", ["sync", "publish"])
def test_sync_and_publish_without_a_connected_account_say_how_to_connect(
    tmp_path: Path, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from signalboost.cli.main import main

    ws = tmp_path / "ws"
    assert main(["init", str(ws), "--template", "blank"]) == 0
    capsys.readouterr()
    assert main([command, "-w", str(ws)]) != 0
    err = capsys.readouterr().err
    assert "no account is connected to this workspace" in err
    assert "signalboost connect bluesky" in err


def test_utc_time_reads_both_networks_times() -> None:
    import datetime as dt

    from signalboost.connect.base import utc_time

    want = dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    assert utc_time("2024-01-02T03:04:05Z") == want  # Bluesky / Mastodon JSON
    assert utc_time("2024-01-02T05:04:05+02:00") == want  # an offset is converted
    assert utc_time("2024-01-02T03:04:05") == want  # no offset: UTC
    assert utc_time(dt.datetime(2024, 1, 2, 3, 4, 5)) == want  # Mastodon.py gives datetimes
    eastern = dt.datetime(2024, 1, 1, 22, 4, 5, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    assert utc_time(eastern) == want and utc_time(eastern).tzinfo == dt.UTC  # type: ignore[union-attr]
    assert [utc_time(v) for v in (None, "", "yesterday", "2024-13-01")] == [None] * 4
