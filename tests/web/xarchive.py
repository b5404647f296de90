"""A small synthetic X archive (the real one's layout), with hostile text, for when ../shared/data is absent."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from tests.web.conftest import XSS_ATTR, XSS_SCRIPT

ME = "112769581"


def _js(name: str, records: list[dict[str, object]]) -> str:
    return f"window.YTD.{name}.part0 = " + json.dumps(records, indent=2)


def _tweet(i: int, text: str, *, reply_to: str | None = None, mention: str | None = None) -> dict[str, object]:
    t: dict[str, object] = {
        "id_str": str(1000 + i),
        "created_at": f"Thu Nov 0{1 + i % 8} 0{8 + i % 2}:50:26 +0000 2022",
        "full_text": text,
        "favorite_count": str(3 * i),
        "retweet_count": str(i),
        "lang": "en",
        "entities": {
            "hashtags": [{"text": "webdev"}],
            "user_mentions": [{"screen_name": mention, "id_str": "42"}] if mention else [],
            "urls": [],
        },
    }
    if reply_to:
        t["in_reply_to_status_id_str"] = reply_to
        t["in_reply_to_user_id_str"] = "42"
    return {"tweet": t}


def write_mini_archive(folder: Path) -> Path:
    """Write ``folder/x-archive-mini.zip`` (account, profile with a hostile bio, tweets, followers, likes)."""
    data = {
        "account.js": _js(
            "account",
            [
                {
                    "account": {
                        "accountId": ME,
                        "username": "andreruffert",
                        "accountDisplayName": XSS_SCRIPT,
                        "createdAt": "2010-02-09T17:10:05.000Z",
                    }
                }
            ],
        ),
        "profile.js": _js("profile", [{"profile": {"description": {"bio": XSS_ATTR, "location": "Berlin"}}}]),
        "tweets.js": _js(
            "tweets",
            [
                _tweet(1, f"hello {XSS_SCRIPT}"),
                _tweet(2, f"look {XSS_ATTR}", mention="someone"),
                _tweet(3, "a reply", reply_to="999"),
                _tweet(4, "plain post #webdev"),
                _tweet(5, "another one"),
            ],
        ),
        "follower.js": _js("follower", [{"follower": {"accountId": str(500 + i)}} for i in range(12)]),
        "following.js": _js("following", [{"following": {"accountId": str(600 + i)}} for i in range(5)]),
        "like.js": _js("like", [{"like": {"tweetId": str(7000 + i), "fullText": XSS_SCRIPT}} for i in range(3)]),
    }
    target = folder / "x-archive-mini.zip"
    with zipfile.ZipFile(target, "w") as z:
        for name, text in data.items():
            z.writestr(f"data/{name}", text)
    return target


def zip_folder(src: Path, target: Path) -> Path:
    """Zip an archive folder (``src`` holds ``data/``) the way X delivers it."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
        for path in sorted(src.rglob("*")):
            if path.is_file() and path.name != "SOURCE.md":
                z.write(path, path.relative_to(src).as_posix())
    return target
