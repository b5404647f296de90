"""X archive and Mastodon export: hand-written fixtures with hand-derived expectations, and the real samples."""

from __future__ import annotations

import json
import shutil
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from signalboost.ingest import import_files
from signalboost.ingest.formats.mastodon import account_id, visibility
from signalboost.store.workspace import Workspace

from .conftest import snapshot

EXPORT_TIME = datetime(2024, 5, 1, 12, tzinfo=UTC)


def _zip_folder(folder: Path, out: Path) -> Path:
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for p in sorted(folder.rglob("*")):
            if p.is_file():
                zf.write(p, p.relative_to(folder).as_posix())
    return out


def _check_x(ws: Workspace) -> None:
    posts = {p["post_id"]: p for p in ws.posts().to_dicts()}
    assert set(posts) == {"11", "12", "14", "15"}
    p11 = posts["11"]
    assert p11["created_at"] == datetime(2018, 10, 10, 20, 19, 24, tzinfo=UTC)
    assert (p11["hashtags"], p11["mentions"], p11["format"]) == (["sneakers", "ss24"], ["alice"], "carousel")
    assert p11["url"] == "https://x.com/brandco/status/11" and p11["author_id"] == "1000"
    assert posts["12"]["reply_to"] == "900" and posts["12"]["format"] == "text"
    assert posts["14"]["repost_of"] == "" and posts["11"]["repost_of"] is None
    assert (posts["15"]["format"], posts["15"]["language"]) == ("link", "de")
    metrics = {m["post_id"]: m for m in ws.post_metrics().to_dicts()}
    assert (metrics["11"]["likes"], metrics["11"]["shares"]) == (12, 3)
    assert (metrics["14"]["likes"], metrics["14"]["shares"]) == (None, None)  # a retweet's counts are not ours
    assert {m["observed_at"] for m in metrics.values()} == {EXPORT_TIME}
    inter = {(i["kind"], i["target_post_id"], i["target_account_id"]) for i in ws.interactions().to_dicts()}
    assert inter == {
        ("mention", "", "2001"),
        ("reply", "900", "2002"),
        ("repost", "", "2003"),
        ("like", "5001", ""),
        ("like", "5002", ""),
    }
    follows = {(f["follower_id"], f["followee_id"]) for f in ws.follows().to_dicts()}
    assert follows == {("2001", "1000"), ("2002", "1000"), ("2004", "1000"), ("1000", "2001")}
    [acct] = ws.accounts().to_dicts()
    assert (acct["handle"], acct["bio"], acct["followers"], acct["following"]) == (
        "brandco",
        "Shoes & café culture",
        3,
        1,
    )
    assert acct["is_brand"] is True  # the archive owner is the workspace's brand
    [rej] = ws.table("rejects").to_dicts()
    assert rej["file"].endswith("tweets.js") and rej["line"] == 3 and "created_at" in rej["reason"]


def test_x_archive_folder(workspace: Workspace, ingest_data: Path) -> None:
    [res] = import_files(workspace, [ingest_data / "x-archive"], progress=False)
    assert res.format == "x-archive"
    assert (res.rows_read, res.rows_rejected) == (11, 1)
    _check_x(workspace)


def test_x_archive_zip_same_as_folder_and_idempotent(workspace: Workspace, ingest_data: Path, tmp_path: Path) -> None:
    archive = _zip_folder(ingest_data / "x-archive", tmp_path / "twitter-2024.zip")
    import_files(workspace, [archive], progress=False)
    _check_x(workspace)
    before = snapshot(workspace)
    [again] = import_files(workspace, [archive], progress=False)
    assert again.rows_loaded == 0
    assert snapshot(workspace) == before


def test_x_unfollow_between_archives(workspace: Workspace, ingest_data: Path, tmp_path: Path) -> None:
    later = tmp_path / "later"
    shutil.copytree(ingest_data / "x-archive", later)
    manifest = later / "data" / "manifest.js"
    manifest.write_text(manifest.read_text().replace("2024-05-01", "2024-06-01"))
    followers = later / "data" / "follower.js"
    lines = [ln for ln in followers.read_text().splitlines() if "2004" not in ln]
    followers.write_text("\n".join(lines).replace('2002"}},\n]', '2002"}}\n]') + "\n")
    followers.write_text(followers.read_text().replace('2002"}},\n]', '2002"}}\n]'))
    import_files(workspace, [ingest_data / "x-archive"], progress=False)
    import_files(workspace, [later], progress=False)
    rows = {(f["follower_id"], f["followee_id"]): f for f in workspace.follows().to_dicts()}
    assert rows[("2004", "1000")]["active"] is False
    kept = rows[("2001", "1000")]
    assert kept["active"] is True
    assert (kept["first_seen"], kept["last_seen"]) == (EXPORT_TIME, datetime(2024, 6, 1, 12, tzinfo=UTC))


def test_x_archive_files_without_a_table_are_named_not_dropped_silently(
    workspace: Workspace, ingest_data: Path, tmp_path: Path
) -> None:
    archive = tmp_path / "archive"
    shutil.copytree(ingest_data / "x-archive", archive)
    [plain] = import_files(workspace, [archive], progress=False)  # the fixture holds direct messages
    assert [w for w in plain.warnings if "not loaded" in w] == [
        "not loaded (no canonical table holds them): direct-messages.js"
    ]
    for name in ("block.js", "mute.js", *(f"ad-part{i}.js" for i in range(6))):
        (archive / "data" / name).write_text("window.YTD.x.part0 = []\n", encoding="utf-8")
    [res] = import_files(workspace, [archive], progress=False)
    assert (
        "not loaded (no canonical table holds them): ad-part0.js, ad-part1.js, ad-part2.js, ad-part3.js, "
        "ad-part4.js, ad-part5.js and 3 more" in res.warnings
    )
    assert (plain.rows_read, res.rows_read) == (11, 11)  # the tables it does hold are loaded as before


def test_mastodon_parts_without_a_table_are_named_not_dropped_silently(
    workspace: Workspace, ingest_data: Path, tmp_path: Path
) -> None:
    import shutil

    export = tmp_path / "export"
    shutil.copytree(ingest_data / "mastodon", export)
    (export / "bookmarks.json").write_text('{"orderedItems": ["https://x.example/1"]}', encoding="utf-8")
    (export / "blocked_accounts.csv").write_text("troll@bad.example\n", encoding="utf-8")
    [res] = import_files(workspace, [export], progress=False)
    assert "not loaded (no canonical table holds them): blocked_accounts.csv, bookmarks.json" in res.warnings
    [plain] = import_files(workspace, [ingest_data / "mastodon"], progress=False)
    assert not any("not loaded" in w for w in plain.warnings)


def test_mastodon_helpers() -> None:
    assert account_id("https://Social.Example/users/Ann/statuses/1") == "ann@social.example"
    assert account_id("https://x.example/@bo/100") == "bo@x.example"
    assert account_id("https://x.example/objects/abc") == "https://x.example/objects/abc"
    public = "https://www.w3.org/ns/activitystreams#Public"
    assert visibility([public], []) == "public"
    assert visibility(["https://a/users/b/followers"], [public]) == "unlisted"
    assert visibility(["https://a/users/b/followers"], []) == "followers"
    assert visibility(["https://a/users/c"], []) == "direct"


def test_mastodon_export_folder(workspace: Workspace, ingest_data: Path) -> None:
    [res] = import_files(workspace, [ingest_data / "mastodon"], progress=False)
    assert res.format == "mastodon-export" and res.rows_rejected == 1
    base = "https://social.example/users/brand/statuses/"
    posts = {p["post_id"]: p for p in workspace.posts().to_dicts()}
    assert set(posts) == {base + "1", base + "2", base + "3/activity", base + "4"}
    p1 = posts[base + "1"]
    assert p1["text"] == "Hello #Shoes\n\nline two\nline three"
    assert (p1["visibility"], p1["format"], p1["hashtags"], p1["language"]) == ("public", "photo", ["shoes"], "en")
    p2 = posts[base + "2"]
    assert (p2["visibility"], p2["reply_to"], p2["mentions"]) == (
        "followers",
        "https://other.example/users/ann/statuses/77",
        ["ann@other.example"],
    )
    assert posts[base + "3/activity"]["repost_of"] == "https://other.example/users/ann/statuses/88"
    assert posts[base + "4"]["visibility"] == "unlisted"
    assert {p["author_id"] for p in posts.values()} == {"brand@social.example"}
    inter = {(i["kind"], i["target_post_id"], i["target_account_id"]) for i in workspace.interactions().to_dicts()}
    assert inter == {
        ("reply", "https://other.example/users/ann/statuses/77", "ann@other.example"),
        ("repost", "https://other.example/users/ann/statuses/88", "ann@other.example"),
        ("like", "https://other.example/users/ann/statuses/99", "ann@other.example"),
        ("like", "https://third.example/@bo/100", "bo@third.example"),
    }
    follows = workspace.follows().to_dicts()
    assert {f["followee_id"] for f in follows} == {"ann@other.example", "bo@third.example"}
    assert {f["observed_at"] for f in follows} == {datetime(2024, 1, 4, 10, tzinfo=UTC)}
    [acct] = workspace.accounts().to_dicts()
    assert (acct["handle"], acct["bio"]) == ("brand", "We make shoes & more")
    assert acct["is_brand"] is True
    [rej] = workspace.table("rejects").to_dicts()
    assert rej["line"] == 4 and rej["file"].endswith("following_accounts.csv")


@pytest.mark.shared
def test_real_x_archive(workspace: Workspace, shared_data: Path) -> None:
    [res] = import_files(workspace, [shared_data / "x-archive-andreruffert" / "data"], progress=False)
    assert res.rows_rejected == 0
    n = dict(workspace.query("SELECT 'posts', count(*) FROM posts").rows())
    assert n["posts"] == 1986  # SOURCE.md / manifest.js
    followers = workspace.query("SELECT count(*) FROM follows WHERE followee_id = '112769581'").item()
    following = workspace.query("SELECT count(*) FROM follows WHERE follower_id = '112769581'").item()
    assert (followers, following) == (420, 295)
    retweets = workspace.query("SELECT count(*) FROM posts WHERE repost_of = ''").item()
    assert retweets == 643  # SOURCE.md: 643 retweets
    assert workspace.query("SELECT count(*) FROM posts WHERE reply_to IS NOT NULL").item() == 485
    likes = workspace.query("SELECT count(DISTINCT target_post_id) FROM interactions WHERE kind = 'like'").item()
    assert likes == 1359


@pytest.mark.shared
def test_real_mastodon_export(workspace: Workspace, shared_data: Path) -> None:
    [res] = import_files(workspace, [shared_data / "mastodon-export-dealingwith"], progress=False)
    assert res.rows_rejected == 0
    assert workspace.query("SELECT count(*) FROM posts").item() == 1551  # 1,225 Create + 326 Announce
    assert workspace.query("SELECT count(*) FROM posts WHERE repost_of IS NOT NULL").item() == 326
    # Peer count with the standard library (json keeps the last of the two orderedItems keys, the full one).
    items = json.loads((shared_data / "mastodon-export-dealingwith" / "outbox.json").read_text())["orderedItems"]
    replies = sum(1 for i in items if i["type"] == "Create" and i["object"].get("inReplyTo"))
    assert workspace.query("SELECT count(*) FROM posts WHERE reply_to IS NOT NULL").item() == replies
    visibilities = set(workspace.query("SELECT DISTINCT visibility FROM posts")["visibility"])
    assert "direct" not in visibilities  # DMs were removed from the sample
    texts = workspace.query("SELECT text FROM posts WHERE text IS NOT NULL")["text"]
    assert not any("<p>" in t for t in texts)


def test_instagram_export_folder_and_zip(workspace: Workspace, ingest_data: Path, tmp_path: Path) -> None:
    folder = ingest_data / "instagram"
    [res] = import_files(workspace, [folder], progress=False)
    assert res.format == "instagram-export" and res.rows_rejected == 1
    posts = {p["post_id"]: p for p in workspace.posts().to_dicts()}
    assert set(posts) == {
        "ig:17912345678901234",
        "ig:17900000000000001",
        "ig:17955555555555555",
        "ig:17966666666666666",
    }
    first = posts["ig:17912345678901234"]
    assert first["text"] == "Café au lait 😀 #Coffee #Morning with @barista_ann"  # mojibake repaired
    assert (first["hashtags"], first["mentions"], first["format"]) == (["coffee", "morning"], ["barista_ann"], "photo")
    assert first["created_at"] == datetime(2024, 1, 1, 12, tzinfo=UTC)  # 1704110400
    assert posts["ig:17900000000000001"]["format"] == "carousel"
    assert posts["ig:17955555555555555"]["format"] == "story"
    reel = posts["ig:17966666666666666"]
    assert (reel["format"], reel["text"]) == ("reel", "How we make it — fast")
    follows = {(f["follower_id"], f["followee_id"]) for f in workspace.follows().to_dicts()}
    assert follows == {("ann", "brandco"), ("bob", "brandco"), ("brandco", "ann"), ("brandco", "cleo")}
    [acct] = workspace.accounts().to_dicts()
    assert (acct["handle"], acct["name"]) == ("brandco", "Brand Co – Shoes")
    assert acct["is_brand"] is True
    [rej] = workspace.table("rejects").to_dicts()
    assert rej["file"] == f"{folder}/your_instagram_activity/content/posts_1.json" and rej["line"] == 3
    before = snapshot(workspace)
    [again] = import_files(workspace, [_zip_folder(folder, tmp_path / "instagram.zip")], progress=False)
    assert again.rows_loaded == 0
    assert snapshot(workspace) == before


def test_instagram_lists_split_into_many_parts_are_all_read(
    workspace: Workspace, ingest_data: Path, tmp_path: Path
) -> None:
    """A large account's export splits its followers into as many numbered files as it needs: every part is read,
    ``followers_50.json`` and ``followers_123.json`` as much as ``followers_2.json`` (parts from 50 on were
    skipped without a word)."""
    folder = tmp_path / "instagram"
    shutil.copytree(ingest_data / "instagram", folder)
    lists = folder / "connections" / "followers_and_following"
    for part in (2, 10, 49, 50, 123):
        entry = {
            "title": "",
            "media_list_data": [],
            "string_list_data": [{"value": f"fan{part}", "timestamp": 1700000000}],
        }
        (lists / f"followers_{part}.json").write_text(json.dumps([entry]), encoding="utf-8")
    import_files(workspace, [folder], progress=False)
    followers = {f["follower_id"] for f in workspace.follows().to_dicts() if f["followee_id"] == "brandco"}
    assert followers == {"ann", "bob", "fan2", "fan10", "fan49", "fan50", "fan123"}


def test_mastodon_outbox_alone(workspace: Workspace, ingest_data: Path, tmp_path: Path) -> None:
    lone = tmp_path / "outbox.json"
    lone.write_bytes((ingest_data / "mastodon" / "outbox.json").read_bytes())
    (tmp_path / "unrelated").mkdir()
    [res] = import_files(workspace, [lone], progress=False)
    assert res.format == "mastodon-export"
    authors = set(workspace.posts()["author_id"])
    assert authors == {"brand@social.example"}  # from the activities' actor, without actor.json
    assert workspace.query("SELECT count(*) FROM posts").item() == 4
