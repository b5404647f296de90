"""Pure parts of the fixes for exports of other accounts, tools and years (issue 12, real exports): edited and long
X posts, authors of other servers' status URIs, Instagram labels in the account's language. Expected values are
written by hand from the fixtures; the corpus (test_corpus.py) loads the whole files."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from signalboost.errors import IngestError
from signalboost.ingest import import_files
from signalboost.ingest.formats.instagram import _field, parse_comments, parse_liked
from signalboost.ingest.formats.mastodon import parse_outbox, status_author
from signalboost.ingest.formats.tiktok import parse_people, parse_videos, video_id
from signalboost.ingest.formats.x_archive import expand_long_posts, fold_edits
from signalboost.ingest.textio import parse_x_date
from signalboost.store.workspace import Workspace

WHEN = "Mon Jan 02 10:00:00 +0000 2023"


def _tweet(tid: str, text: str, when: str = WHEN, fav: str | None = "1", rt: str | None = "0", **kw: Any) -> dict:
    return {"id_str": tid, "created_at": when, "full_text": text, "favorite_count": fav, "retweet_count": rt, **kw}


def _edited(tid: str, ids: list[str], first: bool, **kw: Any) -> dict:
    control = {"editTweetIds": ids, "editableUntil": "2023-01-02T11:00:00.000Z", "editsRemaining": "3"}
    info = {"initial": control} if first else {"edit": {"initialTweetId": ids[0], "editControlInitial": control}}
    return _tweet(tid, edit_info=info, **kw)


def test_three_versions_fold_into_the_first_id_with_the_last_text_and_summed_counts() -> None:
    ids = ["1", "2", "3"]
    tweets = [
        ("tweets.js", _edited("3", ids, False, text="v3", when="Mon Jan 02 10:09:00 +0000 2023", fav="2", rt=None)),
        ("tweets.js", _edited("1", ids, True, text="v1", fav="5", rt="1")),
        ("tweets.js", _edited("2", ids, False, text="v2", when="Mon Jan 02 10:04:00 +0000 2023", fav=None, rt="2")),
        ("tweets.js", _tweet("9", "alone")),
    ]
    out, folded = fold_edits(tweets)
    assert folded == 2
    assert [t["id_str"] for _, t in out] == ["1", "9"]
    merged = out[0][1]
    assert merged["full_text"] == "v3"
    assert merged["created_at"] == WHEN  # the first version's time
    assert (merged["favorite_count"], merged["retweet_count"]) == ("7", "3")  # 5+2 (None unreported), 1+2


def test_an_unedited_post_with_edit_info_and_a_lone_version_are_kept_as_they_are() -> None:
    lone_edit = _edited("5", ["4", "5"], False, text="only the edit is in the archive")
    plain = _edited("6", ["6"], True, text="never edited")
    out, folded = fold_edits([("t", lone_edit), ("t", plain)])
    assert folded == 0
    assert [t["id_str"] for _, t in out] == ["5", "6"]


def test_versions_whose_counts_are_not_counts_stay_apart() -> None:
    ids = ["1", "2"]
    out, folded = fold_edits(
        [("t", _edited("1", ids, True, text="a", fav="x")), ("t", _edited("2", ids, False, text="b"))]
    )
    assert folded == 0 and len(out) == 2


def test_a_long_post_takes_the_note_text_posted_in_the_same_second_that_it_begins_with() -> None:
    whole = "Tom & Jerry " + "long " * 70
    cut = "Tom &amp; Jerry " + "long " * 50 + "… https://t.co/xyz"
    tweets = [
        ("t", _tweet("1", cut)),
        ("t", _tweet("2", "Tom &amp; Jerry short", when="Mon Jan 02 11:00:00 +0000 2023")),
    ]
    notes = [
        {"createdAt": "2023-01-02T10:00:00.000Z", "core": {"text": whole}},
        {"createdAt": "2023-01-02T10:00:00.000Z", "core": {"text": "another post of that second"}},
    ]
    assert expand_long_posts(tweets, notes) == 1
    assert tweets[0][1]["full_text"] == "Tom &amp; Jerry " + "long " * 70  # escaped like the rest of tweets.js
    assert tweets[1][1]["full_text"] == "Tom &amp; Jerry short"  # another second: untouched


def test_a_note_of_another_second_is_not_taken() -> None:
    tweets = [("t", _tweet("1", "Hello… https://t.co/x"))]
    assert expand_long_posts(tweets, [{"createdAt": "2023-01-02T10:00:01Z", "core": {"text": "Hello world"}}]) == 0


def test_grailbird_dates_are_read() -> None:
    assert parse_x_date("2014-01-02 10:00:00 +0100").isoformat() == "2014-01-02T09:00:00+00:00"
    assert parse_x_date(WHEN).isoformat() == "2023-01-02T10:00:00+00:00"


def test_status_author_names_only_uris_that_name_it() -> None:
    assert status_author("https://Mastodon.Social/users/Gargron/statuses/1") == "gargron@mastodon.social"
    assert status_author("https://mastodon.social/@Gargron/109") == "gargron@mastodon.social"
    assert status_author("https://gts.example/users/anna/statuses/01HABC") == "anna@gts.example"
    assert status_author("https://pleroma.example/objects/0b3e-uuid") is None
    assert status_author("https://misskey.example/notes/9xyz") is None
    assert status_author("https://mastodon.social/users/gargron") is None  # an actor, not a status


def test_a_boost_of_a_post_without_an_author_in_its_uri_takes_the_author_from_cc() -> None:
    me = "anna@social.example"
    boost = {
        "type": "Announce",
        "id": "https://social.example/users/anna/statuses/9/activity",
        "published": "2023-03-01T12:00:00Z",
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
        "cc": ["https://pleroma.example/users/bob", "https://social.example/users/anna/followers"],
        "object": "https://pleroma.example/objects/77",
    }
    both = dict(boost, cc=[*boost["cc"], "https://misskey.example/users/9c"], id="x2")
    rows = parse_outbox([boost, both], me=me)
    targets = [i["target_account_id"] for i in rows["interactions"]]
    assert targets == ["bob@pleroma.example", ""]  # two candidates: unknown, never a guess or the post's URI


def test_instagram_labels_in_the_accounts_language() -> None:
    german = {"Benutzername": {"value": "acme_de"}, "Name": {"value": "BÃ¤ckerei"}, "Steckbrief": {"value": "Brot"}}
    assert _field(german, "username") == "acme_de"
    assert _field(german, "name") == "Bäckerei"  # Meta's double-encoded UTF-8 repaired
    assert _field({"Nom d'utilisateur": {"value": "boulangerie"}}, "username") == "boulangerie"
    assert _field({"Email": {"value": "a@b.c"}}, "username") is None


def test_tiktok_video_ids_come_from_the_link() -> None:
    assert video_id("https://www.tiktokv.com/share/video/7198000000000000001/") == "7198000000000000001"
    assert video_id("https://www.tiktok.com/@acme/video/7198000000000000001?lang=en") == "7198000000000000001"
    assert video_id("https://www.tiktok.com/@acme") is None


def test_tiktok_records_without_an_id_or_a_readable_date_are_rejects_naming_the_record() -> None:
    records = [
        {"Date": "2023-02-10 17:45:00", "Link": "https://www.tiktokv.com/share/video/1234567/", "Likes": "1,204"},
        {"Date": "10/02/2023", "Link": "https://www.tiktokv.com/share/video/1234568/", "Likes": "1"},
        {"Date": "2023-02-10 17:45:00", "Link": "https://www.tiktok.com/@acme", "Likes": "1"},
        {"Date": "2023-02-10 17:45:00", "Link": "https://www.tiktokv.com/share/video/1234569/", "Likes": "1,5"},
        "not a record",
    ]
    posts, metrics, rejects = parse_videos(records, me="acme", where="user_data.json")
    assert [p["post_id"] for p in posts] == ["1234567"]
    assert metrics == [{"platform": "tiktok", "post_id": "1234567", "likes": 1204}]
    assert [r.line for r in rejects] == [2, 3, 4, 5]
    assert "'1,5'" in rejects[2].reason


def test_tiktok_follows_point_the_right_way() -> None:
    fans, _ = parse_people([{"Date": "2023-01-05 10:00:00", "UserName": "Fan"}], me="acme", side="followers", where="f")
    idols, _ = parse_people([{"UserName": "idol"}], me="acme", side="following", where="f")
    assert (fans[0]["follower_id"], fans[0]["followee_id"]) == ("fan", "acme")
    assert (idols[0]["follower_id"], idols[0]["followee_id"], idols[0]["observed_at"]) == ("acme", "idol", None)


@pytest.mark.parametrize("name", ["content.xlsx", "content.xls", "renamed.csv", "sheet.numbers"])
def test_a_workbook_that_cannot_be_read_is_refused_with_what_to_do(name: str, tmp_path: Path) -> None:
    """Damaged workbooks (an .xlsx zip without sheets, a truncated .xls) and Apple Numbers files: refused with
    what to do (readable workbooks are read: tests/ingest/test_workbooks.py)."""
    import zipfile

    path = tmp_path / name
    if name.endswith((".xls", ".numbers")):
        path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)  # Excel 97-2003
    else:
        with zipfile.ZipFile(path, "w") as zf:
            zf.writestr("[Content_Types].xml", "<Types/>")
            zf.writestr("xl/workbook.xml", "<workbook/>")
    ws = Workspace.open(tmp_path / "ws", create=True)
    with pytest.raises(IngestError, match="spreadsheet workbook") as info:
        import_files(ws, [path], progress=False)
    assert "CSV UTF-8" in str(info.value)
    assert len(ws.table("posts")) == 0


@pytest.mark.parametrize(
    "doc",
    [
        [],
        {"Video": {"Videos": {"VideoList": 5}}, "Profile": {"Profile Information": {"ProfileMap": {"userName": "a"}}}},
        {"Activity": {"Follower List": {"FansList": ["x", None, 3]}}, "Profile": {"Profile Information": "x"}},
        {"Post": {"Posts": {"VideoList": [{"Date": None, "Link": 7, "Likes": "-5"}]}}, "ProfileMap": {}},
    ],
)
def test_a_tiktok_export_of_the_wrong_shape_is_refused_or_rejected_never_a_crash(doc: Any, tmp_path: Path) -> None:
    import json

    path = tmp_path / "user_data.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    ws = Workspace.open(tmp_path / "ws", create=True)
    try:
        [res] = import_files(ws, [path], progress=False)
    except IngestError:
        assert len(ws.table("posts")) == 0
        return
    assert res.rows_loaded == len(ws.table("accounts"))  # nothing but the profile could be loaded


def test_instagram_liked_posts_of_the_wrong_shape_are_rejects_never_a_crash() -> None:
    records = [
        {"title": "Owner", "string_list_data": [{"href": "https://www.instagram.com/p/X1/", "timestamp": 1704200000}]},
        {"title": "a", "string_list_data": 5},
        {"title": "b", "string_list_data": ["x"]},
        "not a record",
        {"title": "c", "string_list_data": [{"timestamp": "soon"}]},
    ]
    rows, rejects = parse_liked(records, me="acme", member="liked_posts.json")
    assert [(r["target_account_id"], r["target_post_id"]) for r in rows] == [
        ("owner", "https://www.instagram.com/p/X1/")
    ]
    assert rows[0]["occurred_at"].isoformat() == "2024-01-02T12:53:20+00:00"
    assert [r.line for r in rejects] == [2, 3, 4, 5]


BUFFER = "Date,Time,Post Text,Likes\n"


def test_posts_without_an_id_column_get_ids_that_survive_overlapping_exports(tmp_path: Path) -> None:
    """Buffer/Later: the id is auto: + the UTC time to the second + md5(text)[:16] (hand-computed here), so a
    re-import adds nothing and a second export overlapping the first adds only its new post."""
    import hashlib

    first = tmp_path / "first.csv"
    first.write_text(BUFFER + '"May 8, 2024",2:30 PM,Hello,4\n"May 9, 2024",9:05 AM,Again,2\n', encoding="utf-8")
    second = tmp_path / "second.csv"  # the same 9:05 post (written 24-hour here), then a new one
    second.write_text(BUFFER + "2024-05-09,09:05,Again,3\n2024-05-10,11:00,New,1\n", encoding="utf-8")
    ws = Workspace.open(tmp_path / "ws", create=True)
    [res] = import_files(ws, [first], platform="x", progress=False)
    assert any("derived from its time" in n for n in res.notes)
    expected = "auto:20240508T143000Z:" + hashlib.md5(b"Hello").hexdigest()[:16]
    assert expected in ws.query("SELECT post_id FROM posts").to_series().to_list()
    [again] = import_files(ws, [first], platform="x", progress=False)
    assert again.per_table["posts"] == (0, 2, 0)
    [more] = import_files(ws, [second], platform="x", progress=False)
    assert more.per_table["posts"] == (1, 1, 0)
    assert ws.query("SELECT count(*) FROM posts").item() == 3


def test_a_derived_id_needs_the_time_so_an_undated_row_is_a_reject(tmp_path: Path) -> None:
    path = tmp_path / "later.csv"
    path.write_text("Date Posted,Caption\n2024-05-08 14:30,Dated\n,Undated\n", encoding="utf-8")
    ws = Workspace.open(tmp_path / "ws", create=True)
    [res] = import_files(ws, [path], platform="instagram", progress=False)
    assert (res.per_table["posts"][0], res.rows_rejected) == (1, 1)
    assert "created_at" in ws.table("rejects").to_dicts()[0]["reason"]


def _md5_16(text: str) -> str:
    import hashlib

    return hashlib.md5(text.encode("utf-8")).hexdigest()[:16]


def _post_ids(ws: Workspace) -> list[str]:
    return sorted(ws.query("SELECT post_id FROM posts").to_series().to_list())


def test_a_derived_id_is_the_utc_second_and_the_md5_of_author_bar_text(tmp_path: Path) -> None:
    """docs/INGEST.md: ``auto:`` + the UTC time to the second + ``:`` + md5(``author|text``)[:16] when an author
    column is mapped. 16:30:59+02:00 is 14:30:59 UTC; an empty text hashes as ``author|``."""
    path = tmp_path / "profiles.csv"
    path.write_text(
        "Date Posted,Caption,author_id\n2024-05-08T16:30:59+02:00,Hello,alice\n2024-05-08T16:30:59+02:00,,bob\n",
        encoding="utf-8",
    )
    ws = Workspace.open(tmp_path / "ws", create=True)
    [res] = import_files(ws, [path], platform="instagram", progress=False)
    assert any("author_id + text" in n for n in res.notes), res.notes
    assert _post_ids(ws) == sorted(
        ["auto:20240508T143059Z:" + _md5_16("alice|Hello"), "auto:20240508T143059Z:" + _md5_16("bob|")]
    )
    assert sorted(ws.query("SELECT author_id FROM posts").to_series().to_list()) == ["alice", "bob"]


def test_a_derived_id_without_an_author_hashes_the_text_alone_in_the_import_time_zone(tmp_path: Path) -> None:
    # a naive time is read in --timezone: 09:05:07 in Oslo (CEST, +02:00) on 9 May is 07:05:07 UTC
    path = tmp_path / "later.csv"
    path.write_text("Date Posted,Caption\n2024-05-09 09:05:07,Æ ø å\n", encoding="utf-8")
    ws = Workspace.open(tmp_path / "ws", create=True)
    [res] = import_files(ws, [path], platform="instagram", progress=False, timezone="Europe/Oslo")
    assert any("derived from its time" in n and "hash of text" in n for n in res.notes), res.notes
    assert _post_ids(ws) == ["auto:20240509T070507Z:" + _md5_16("Æ ø å")]


def test_a_posts_file_with_an_id_column_keeps_its_ids(tmp_path: Path) -> None:
    path = tmp_path / "own.csv"
    path.write_text("post_id,Date Posted,Caption\np-1,2024-05-08 14:30,Hello\n", encoding="utf-8")
    ws = Workspace.open(tmp_path / "ws", create=True)
    [res] = import_files(ws, [path], platform="instagram", progress=False)
    assert not any("derived" in n for n in res.notes)
    assert _post_ids(ws) == ["p-1"]


def test_a_date_column_that_holds_times_is_not_joined_with_the_time_column(tmp_path: Path) -> None:
    # the Date cells have their own times: the Time column (09:00) is not added to them
    path = tmp_path / "buffer.csv"
    path.write_text("Date,Time,Post Text\n2024-05-08 14:30,09:00,Hello\n", encoding="utf-8")
    ws = Workspace.open(tmp_path / "ws", create=True)
    [res] = import_files(ws, [path], platform="x", progress=False)
    assert not any("one time" in n for n in res.notes), res.notes
    assert _post_ids(ws) == ["auto:20240508T143000Z:" + _md5_16("Hello")]


def test_a_date_column_where_some_cells_hold_times_is_not_joined_either(tmp_path: Path) -> None:
    # one cell with a time of its own is enough: the column holds times, so 10:00 is not added to 9 May
    path = tmp_path / "buffer.csv"
    path.write_text("Date,Time,Post Text\n2024-05-08 14:30,09:00,A\n2024-05-09,10:00,B\n", encoding="utf-8")
    ws = Workspace.open(tmp_path / "ws", create=True)
    [res] = import_files(ws, [path], platform="x", progress=False)
    assert not any("one time" in n for n in res.notes), res.notes
    assert _post_ids(ws) == ["auto:20240508T143000Z:" + _md5_16("A"), "auto:20240509T000000Z:" + _md5_16("B")]


def test_a_date_and_a_time_column_are_one_time_and_map_overrides_it(tmp_path: Path) -> None:
    path = tmp_path / "buffer.csv"
    path.write_text("Date,Time,Post Text\n2024-05-08,14:30,Hello\n", encoding="utf-8")
    ws = Workspace.open(tmp_path / "ws", create=True)
    [res] = import_files(ws, [path], platform="x", progress=False)
    assert any("Date and Time: one time" in n for n in res.notes), res.notes
    assert _post_ids(ws) == ["auto:20240508T143000Z:" + _md5_16("Hello")]
    # --map created_at=Date: the person chose the date column alone, so the time of day is not added
    other = Workspace.open(tmp_path / "ws2", create=True)
    [res] = import_files(other, [path], platform="x", progress=False, mapping={"created_at": "Date"})
    assert not any("one time" in n for n in res.notes), res.notes
    assert _post_ids(other) == ["auto:20240508T000000Z:" + _md5_16("Hello")]


@pytest.mark.parametrize(
    ("fields", "derived"),
    [
        ({"created_at": "Date", "text": "Caption"}, ("created_at", "text")),
        ({"created_at": "Date", "text": "Caption", "author_id": "Profile"}, ("created_at", "author_id", "text")),
        ({"created_at": "Date", "text": "Caption", "post_id": "Link"}, ()),  # the file has ids
        ({"created_at": "Date"}, ()),  # no text: nothing identifies the post
        ({"text": "Caption"}, ()),  # no time
        ({"created_at": "Date", "text": "Caption", "actor_id": "User"}, ()),  # interactions
        ({"created_at": "Date", "text": "Caption", "follower_id": "A"}, ()),  # follows
        ({"created_at": "Date", "text": "Caption", "followee_id": "B"}, ()),
    ],
)
def test_which_fields_a_post_id_is_derived_from(fields: dict[str, str], derived: tuple[str, ...]) -> None:
    from signalboost.ingest.formats.generic import derived_id_fields

    assert derived_id_fields(fields) == derived


def _create(summary: Any, content: str = "<p>The butler did it</p>", sid: str = "2") -> dict[str, Any]:
    return {
        "type": "Create",
        "id": f"https://social.example/users/anna/statuses/{sid}/activity",
        "published": "2023-03-01T12:00:00Z",
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
        "cc": [],
        "object": {
            "id": f"https://social.example/users/anna/statuses/{sid}",
            "type": "Note",
            "published": "2023-03-01T12:00:00Z",
            "summary": summary,
            "sensitive": bool(summary),
            "content": content,
            "to": ["https://www.w3.org/ns/activitystreams#Public"],
            "cc": [],
        },
    }


def test_a_mastodon_content_warning_is_kept_apart_from_the_text() -> None:
    """The CW (``summary``) is stored in posts.content_warning; the text stays the body (its length, pillars)."""
    rows = parse_outbox(
        [
            _create("Spoiler: film"),
            _create(None, "<p>No warning</p>", "3"),
            _create("", "<p>Empty warning</p>", "4"),
            _create("<p>food &amp; drink</p>", "<p>Soup</p>", "5"),  # HTML in a summary (some servers)
            _create(["not", "text"], "<p>Odd type</p>", "6"),  # a hostile type: no CW, never a crash
        ],
        me="anna@social.example",
    )
    got = {p["post_id"].rsplit("/", 1)[1]: (p["text"], p["content_warning"]) for p in rows["posts"]}
    assert got == {
        "2": ("The butler did it", "Spoiler: film"),
        "3": ("No warning", None),
        "4": ("Empty warning", None),
        "5": ("Soup", "food & drink"),
        "6": ("Odd type", None),
    }


def test_reimporting_an_export_fills_in_a_content_warning_stored_without_it(tmp_path: Path) -> None:
    """Posts imported before migration 110 have no CW: the same export imported again fills it in."""
    export = Path(__file__).resolve().parents[1] / "data/ingest/corpus/real/mastodon_mixed_servers.zip"
    ws = Workspace.open(tmp_path / "ws", create=True)
    import_files(ws, [export], progress=False)
    with ws.connect() as con:
        con.execute("UPDATE posts SET content_warning = NULL")  # as an older version stored it
    import_files(ws, [export], progress=False)
    assert ws.query("SELECT content_warning FROM posts WHERE content_warning IS NOT NULL").item() == "Spoiler: film"


def test_instagram_comments_with_translated_labels_keep_their_time_and_an_unknown_owner() -> None:
    """Labels of post_comments are translated in other languages' exports: the time is the one field with a
    timestamp; the owner cannot be told from the comment, so it is '' (unknown), never the comment's words."""
    odd = {"string_map_data": {"A": {"value": "hei"}, "B": {"value": "eier"}, "C": {"timestamp": 1704200000}}}
    english = {
        "string_map_data": {"Comment": {"value": "hi"}, "Media Owner": {"value": "Ann"}, "Time": {"timestamp": 1}}
    }
    rows, rejects, known = parse_comments([odd, english, {"string_map_data": []}, "x"], me="acme", member="m")
    assert [(r["target_account_id"], r["occurred_at"].isoformat()) for r in rows] == [
        ("", "2024-01-02T12:53:20+00:00"),
        ("ann", "1970-01-01T00:00:01+00:00"),  # loaded here; the pipeline's plausible window rejects it
    ]
    assert (len(rejects), known) == (2, False)
    assert all(r["kind"] == "reply" and r["actor_id"] == "acme" for r in rows)


def _comment(owner: str | None, stamp: Any, **labels: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {"Comment": {"value": "nice"}, "Time": {"timestamp": stamp}} if stamp is not None else {}
    if owner is not None:
        fields["Media Owner"] = {"value": owner}
    fields.update(labels)
    return {"media_list_data": [{"uri": ""}], "string_map_data": fields}


def test_instagram_comment_times_owners_and_rejects_by_hand() -> None:
    # 1704200000 s = 19,725 days (2024-01-02) + 46,400 s (12:53:20) after 1970-01-01
    records = [
        _comment("Bakery_Friend", 1704200000),  # 1
        _comment("idol", "1704200000"),  # 2: a time written as text is the same time
        _comment(None, 1704200060),  # 3: an English record without an owner (a deleted account): owner unknown
        _comment("x", "soon"),  # 4: not a time: a reject
        _comment("y", None),  # 5: no time at all: a reject
        # 6: translated labels with two timestamps: which one is the comment's time cannot be told: a reject
        {"string_map_data": {"Kommentar": {"value": "fin"}, "A": {"timestamp": 1}, "B": {"timestamp": 2}}},
        # 7: an English record with a second timestamp (an edit): the one labelled Time is the comment's
        _comment("cid", 1704200000, Edited={"timestamp": 1704300000}),
        _comment("", 1704200000),  # 8: an owner left empty: unknown, ''
    ]
    rows, rejects, known = parse_comments(records, me="acme", member="post_comments_1.json")
    assert [(r["target_account_id"], r["occurred_at"].isoformat()) for r in rows] == [
        ("bakery_friend", "2024-01-02T12:53:20+00:00"),
        ("idol", "2024-01-02T12:53:20+00:00"),
        ("", "2024-01-02T12:54:20+00:00"),
        ("cid", "2024-01-02T12:53:20+00:00"),
        ("", "2024-01-02T12:53:20+00:00"),
    ]
    assert known  # every label was English: no owner was lost to a translation
    assert all(
        (r["platform"], r["actor_id"], r["kind"], r["target_post_id"], r["weight"])
        == ("instagram", "acme", "reply", "", 1.0)
        for r in rows
    )
    assert [(r.line, r.reason, r.member) for r in rejects] == [
        (4, "record 4: no comment time", "post_comments_1.json"),
        (5, "record 5: no comment time", "post_comments_1.json"),
        (6, "record 6: no comment time", "post_comments_1.json"),
    ]
    assert parse_comments({"not": "a list"}, me="acme", member="m") == ([], [], True)
    # a reject keeps the first 500 characters of the record (a long comment without a time)
    _, [long], _ = parse_comments([{"string_map_data": {"Comment": {"value": "x" * 900}}}], me="acme", member="m")
    assert len(long.raw) == 500 and long.raw.startswith("{'string_map_data': {'Comment': {'value': 'xxx")


def _instagram_zip(path: Path, comments: dict[str, Any]) -> Path:
    import json
    import zipfile

    me = {"profile_user": [{"string_map_data": {"Username": {"href": "", "value": "acme_shop", "timestamp": 0}}}]}
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("personal_information/personal_information/personal_information.json", json.dumps(me))
        posts = [{"media": [{"uri": "media/posts/1_n.jpg", "creation_timestamp": 1704100000, "title": "hi"}]}]
        zf.writestr("your_instagram_activity/media/posts_1.json", json.dumps(posts))
        for name, data in comments.items():
            zf.writestr(f"your_instagram_activity/comments/{name}", json.dumps(data))
    return path


def test_every_post_comments_file_of_an_instagram_export_is_read(tmp_path: Path) -> None:
    """A long history is split over post_comments_1.json, _2 … (2023+); the 2021-2022 post_comments.json wraps
    its list under comments_media_comments. Each comment is a reply of the account to the post's owner."""
    export = _instagram_zip(
        tmp_path / "ig.zip",
        {
            "post_comments_1.json": [_comment("ann", 1704200000)],
            "post_comments_2.json": [_comment("bob", 1704300000), _comment("eve", None)],
            "post_comments_12.json": [_comment("cid", 1704400000)],
            "post_comments.json": {"comments_media_comments": [_comment("dan", 1704500000)], "other": 1},
        },
    )
    ws = Workspace.open(tmp_path / "ws", create=True)
    [res] = import_files(ws, [export], platform="instagram-brand", progress=False)
    got = ws.query("SELECT platform, actor_id, kind, target_account_id FROM interactions ORDER BY 4").rows()
    assert got == [("instagram-brand", "acme_shop", "reply", who) for who in ("ann", "bob", "cid", "dan")]
    assert not any("labels are not in English" in w for w in res.warnings), res.warnings
    # records read: the post, the 4 comments stored and the one without a time (a reject)
    assert (res.rows_read, res.rows_rejected) == (6, 1), res
    # the comment without a time is a reject that names its file inside the export and its record number
    [(file, line)] = ws.query("SELECT file, line FROM rejects").rows()
    assert file.endswith("your_instagram_activity/comments/post_comments_2.json") and line == 2, file


def test_instagram_comments_with_translated_labels_warn_that_the_owners_are_unknown(tmp_path: Path) -> None:
    translated = {
        "string_map_data": {"Kommentar": {"value": "fin"}, "Eier": {"value": "ann"}, "Tid": {"timestamp": 1704200000}}
    }
    export = _instagram_zip(tmp_path / "ig.zip", {"post_comments_1.json": [translated]})
    ws = Workspace.open(tmp_path / "ws", create=True)
    [res] = import_files(ws, [export], progress=False)
    assert ws.query("SELECT target_account_id FROM interactions WHERE kind = 'reply'").rows() == [("",)]
    assert any("post_comments_1.json: the labels are not in English" in w for w in res.warnings), res.warnings
    # an export that does not say whose it is (no personal_information.json, a plain zip name): the comments are
    # the account's own all the same, as "me"
    import zipfile

    anonymous = tmp_path / "anonymous.zip"
    with zipfile.ZipFile(export) as src, zipfile.ZipFile(anonymous, "w") as dst:
        for info in src.infolist():
            if "personal_information" not in info.filename:
                dst.writestr(info, src.read(info))
    import_files(Workspace.open(tmp_path / "ws3", create=True), [anonymous], progress=False)
    assert Workspace.open(tmp_path / "ws3").query("SELECT actor_id FROM interactions").rows() == [("me",)]
    # a wrapper without a comments list holds no comment
    empty = _instagram_zip(tmp_path / "ig2.zip", {"post_comments.json": {"something_else": [1]}})
    [res] = import_files(Workspace.open(tmp_path / "ws2", create=True), [empty], progress=False)
    assert res.per_table.get("interactions", (0, 0, 0))[0] == 0 and res.rows_rejected == 0


def test_tiktok_photo_posts_list_their_images_and_are_keyed_by_their_time() -> None:
    from signalboost.ingest.formats.tiktok import slideshow_images

    two = "https://p16-sign.tiktokcdn-eu.com/obj/a1.jpeg?x=1\nhttps://p16-sign.tiktokcdn-eu.com/obj/a2.webp"
    assert len(slideshow_images(two)) == 2
    assert slideshow_images("https://www.tiktok.com/@acme") == []  # a profile link is no photo post
    assert slideshow_images("https://a.example/x.jpeg\nnot a link") == []
    records = [
        {"Date": "2025-01-03 12:00:00", "Link": two, "Likes": "88", "Title": "tour"},
        {"Date": "2025-01-04 08:00:00", "Link": "https://p16.tiktokcdn.com/obj/b.jpg", "Likes": ""},
        {"Date": "someday", "Link": "https://p16.tiktokcdn.com/obj/c.jpg", "Likes": "1"},
    ]
    posts, metrics, rejects = parse_videos(records, me="acme", where="user_data_tiktok.json")
    assert [(p["post_id"], p["format"], p["url"]) for p in posts] == [
        ("slideshow:2025-01-03T12:00:00", "carousel", None),  # signed image links expire: not the post's url
        ("slideshow:2025-01-04T08:00:00", "photo", None),
    ]
    assert metrics == [{"platform": "tiktok", "post_id": "slideshow:2025-01-03T12:00:00", "likes": 88}]
    assert [r.line for r in rejects] == [3]


def test_tiktok_times_are_utc_whatever_the_import_zone_and_the_summary_says_so(tmp_path: Path) -> None:
    ws = Workspace.open(tmp_path / "ws", create=True)
    export = Path(__file__).resolve().parents[1] / "data/ingest/corpus/real/tiktok_2025/user_data_tiktok.json"
    [res] = import_files(ws, [export], progress=False, timezone="Europe/Oslo")
    assert not any("read as Europe/Oslo" in n for n in res.notes)  # it said so, and stored UTC
    assert any("TikTok's times are read as UTC" in n for n in res.notes)
    # "2025-01-02 18:30:00" in the file: 18:30 UTC (not 17:30, as an Oslo wall time would give)
    assert ws.query("SELECT created_at FROM posts WHERE post_id = '7455000000000000001'").item() == datetime(
        2025, 1, 2, 18, 30, tzinfo=UTC
    )


_ZONED_EXPORTS = [
    "real/x_2024_parts.zip",  # "Wed Oct 10 20:19:24 +0000 2018"
    "real/mastodon_mixed_servers.zip",  # ActivityPub "2024-01-02T10:00:00Z"
    "real/pleroma_csv/following_accounts.csv",  # no times at all
    "bluesky/bluesky_repo_export.car",  # AT Protocol datetimes with their zone
    "misskey/notes-2024-05-12-18-00-00.json",  # createdAt in UTC (Z)
]


@pytest.mark.parametrize("member", _ZONED_EXPORTS)
def test_exports_whose_times_carry_their_zone_do_not_claim_the_import_zone_was_applied(
    tmp_path: Path, member: str
) -> None:
    ws = Workspace.open(tmp_path / "ws", create=True)
    export = Path(__file__).resolve().parents[1] / "data/ingest/corpus" / member
    [res] = import_files(ws, [export], progress=False, timezone="Europe/Oslo")
    assert res.rows_loaded > 0
    assert not any("times without a zone" in n for n in res.notes), res.notes


def test_a_csv_of_naive_times_still_says_which_zone_it_used(tmp_path: Path) -> None:
    ws = Workspace.open(tmp_path / "ws", create=True)
    posts = tmp_path / "posts.csv"
    posts.write_text("post_id,created_at,text\np1,2024-03-01 10:00,hello\n", encoding="utf-8")
    [res] = import_files(ws, [posts], platform="x", progress=False, timezone="Europe/Oslo")
    assert any("times without a zone read as Europe/Oslo" in n for n in res.notes), res.notes
    # 10:00 in Oslo (UTC+1 in March) is 09:00 UTC
    assert ws.query("SELECT created_at FROM posts").item() == datetime(2024, 3, 1, 9, 0, tzinfo=UTC)
