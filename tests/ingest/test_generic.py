"""Generic CSV / JSON Lines / Parquet: mapping, date inference, typed rejects, encodings, merges."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import polars as pl
import pytest

from signalboost.errors import IngestError, UsageError
from signalboost.ingest import import_files
from signalboost.ingest.dates import Evidence, infer_plan, shape_of
from signalboost.ingest.formats.generic import load_mapping_file, resolve_mapping
from signalboost.ingest.textio import detect_encoding, fix_mojibake
from signalboost.store.workspace import Workspace

from .conftest import snapshot

POSTS = (
    'Post ID,Date,Caption,Likes,Comments\np1,03/05/2024,Hello #World,"1,200",5\np2,04/05/2024,Second,,7\n'
    "p3,13/05/2024,Third,abc,1\n"
)
INTERACTIONS = (
    "actor,target,type,when\n"
    "a1,b1,RT,2024-05-01 10:00:00\n"
    "a2,b1,favorite,2024-05-01 11:00:00\n"
    "a3,b2,bogus,2024-05-01 12:00:00\n"
    "a4,b2,reply,not a date\n"
    "a1,b1,RT,2024-05-01 10:00:00\n"
)
INTER_MAP = {"actor_id": "actor", "target_account_id": "target", "kind": "type", "occurred_at": "when"}


def test_date_plan_from_evidence() -> None:
    """Day-first vs month-first from the values above 12; no evidence: '/' month-first, '.' day-first, stated."""
    day = infer_plan("Date", {"numeric": 2}, Evidence.of(["13/05/2024", "03/05/2024"]), timezone="UTC")
    assert day.orders["/"] == "dmy" and "day-first (1 of 2" in day.statement
    month = infer_plan("Date", {"numeric": 2}, Evidence.of(["05/13/2024 10:30", "05/03/2024"]), timezone="UTC")
    assert month.orders["/"] == "mdy"
    unsure = infer_plan("Date", {"numeric": 2}, Evidence.of(["03/05/2024", "04/05/2024"]), timezone="UTC")
    assert unsure.orders["/"] == "mdy" and "could be day-first or month-first" in unsure.statement
    dots = infer_plan("Date", {"numeric": 1}, Evidence.of(["03.05.2024"]), timezone="UTC")
    assert dots.orders["."] == "dmy"
    mixed = infer_plan("Date", {"numeric": 2}, Evidence.of(["13/05/2024", "05/13/2024"]), timezone="UTC")
    assert mixed.orders["/"] == "mixed"
    assert [shape_of(v) for v in ("2024-05-01T10:00:00Z", "1341100972", "1714557600000", "Mar 5, 2024")] == [
        "iso",
        "epoch_s",
        "epoch_ms",
        "named",
    ]
    assert shape_of("soon") is None


def test_detect_encoding() -> None:
    assert detect_encoding("café".encode()) == ("utf-8", None)
    assert detect_encoding(b"\xef\xbb\xbfcaf\xc3\xa9")[0] == "utf-8-sig"
    assert detect_encoding("café".encode("utf-16"))[0] == "utf-16"
    enc, warning = detect_encoding("café crème".encode("cp1252"))
    assert enc == "cp1252" and warning is not None
    enc, warning = detect_encoding("café crème déjà".encode("mac_roman"))
    assert enc == "mac_roman" and warning is not None


def test_fix_mojibake() -> None:
    assert fix_mojibake("caf\u00c3\u00a9") == "café"
    assert fix_mojibake("\u00f0\u009f\u0098\u0080") == "😀"
    assert fix_mojibake("café") == "café"  # already right: Latin-1 bytes that are not UTF-8 are left alone
    assert fix_mojibake("plain") == "plain"
    assert fix_mojibake(None) is None


def test_posts_csv_with_auto_mapping(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "posts.csv"
    path.write_text(POSTS)
    [res] = import_files(workspace, [path], platform="instagram", progress=False)
    assert res.format == "generic"
    assert (res.rows_read, res.rows_rejected) == (3, 1)
    posts = {p["post_id"]: p for p in workspace.posts().to_dicts()}
    assert set(posts) == {"p1", "p2"}
    assert posts["p1"]["created_at"] == datetime(2024, 5, 3, tzinfo=UTC)  # 13/05 makes the file day-first
    assert (posts["p1"]["text"], posts["p1"]["hashtags"]) == ("Hello #World", ["world"])
    metrics = {m["post_id"]: m for m in workspace.post_metrics().to_dicts()}
    assert (metrics["p1"]["likes"], metrics["p1"]["comments"]) == (1200, 5)
    assert metrics["p2"]["likes"] is None  # empty cell: NULL, never 0
    # No observation time given: the newest date in the file (13 May, on the row rejected for its likes);
    # content-derived, so re-imports agree.
    assert {m["observed_at"] for m in metrics.values()} == {datetime(2024, 5, 13, tzinfo=UTC)}
    [rej] = workspace.table("rejects").to_dicts()
    assert rej["line"] == 4 and rej["reason"] == "likes (Likes): 'abc' is not a count (a whole number from 0)"


def test_interactions_csv_mapping_rejects_and_duplicates(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "interactions.csv"
    path.write_text(INTERACTIONS)
    [res] = import_files(workspace, [path], platform="x", mapping=INTER_MAP, progress=False)
    assert (res.rows_read, res.rows_loaded, res.rows_duplicate, res.rows_merged, res.rows_rejected) == (5, 2, 0, 1, 2)
    rows = {(r["actor_id"], r["kind"]) for r in workspace.interactions().to_dicts()}
    assert rows == {("a1", "repost"), ("a2", "like")}
    reasons = {r["line"]: r["reason"] for r in workspace.table("rejects").to_dicts()}
    assert set(reasons) == {4, 5}
    assert "bogus" in reasons[4] and "not a date" in reasons[5]
    before = snapshot(workspace)
    [again] = import_files(workspace, [path], platform="x", mapping=INTER_MAP, progress=False)
    assert (again.rows_loaded, again.rows_duplicate, again.rows_merged) == (0, 2, 1)  # 2 keys there, 1 repeat
    assert snapshot(workspace) == before


def test_one_unreadable_date_is_a_reject_not_a_failed_file(workspace: Workspace, tmp_path: Path) -> None:
    # 2 readable of 3 sampled values was below the 80 % share: the whole file failed on "cannot recognise"
    path = tmp_path / "posts.csv"
    path.write_text("post_id,created_at\np1,21/11/2026 19:02\np2,someday\np3,22/11/2026 08:30\n")
    [res] = import_files(workspace, [path], platform="x", progress=False)
    assert (res.rows_read, res.rows_rejected) == (3, 1)
    assert workspace.posts().sort("post_id")["created_at"].to_list() == [
        datetime(2026, 11, 21, 19, 2, tzinfo=UTC),
        datetime(2026, 11, 22, 8, 30, tzinfo=UTC),
    ]
    [rej] = workspace.table("rejects").to_dicts()
    assert rej["line"] == 3 and "someday" in rej["reason"]


def test_date_format_override(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "posts.csv"
    path.write_text("post_id,created_at\np1,03/05/2024\n")
    import_files(workspace, [path], platform="x", date_format="%m/%d/%Y", progress=False)
    assert workspace.posts()["created_at"][0] == datetime(2024, 3, 5, tzinfo=UTC)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "cp1252", "mac_roman"])
def test_encodings(workspace: Workspace, tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "posts.csv"
    path.write_bytes("post_id,text\np1,Crème brûlée à café\n".encode(encoding))
    [res] = import_files(workspace, [path], platform="x", progress=False)
    assert workspace.posts()["text"][0] == "Crème brûlée à café"
    legacy = encoding in ("cp1252", "mac_roman")
    assert any("not UTF-8" in w for w in res.warnings) == legacy


def test_jsonl_and_parquet(workspace: Workspace, tmp_path: Path) -> None:
    jsonl = tmp_path / "follows.jsonl"
    jsonl.write_text("\n".join(json.dumps({"src": s, "dst": d}) for s, d in [("a", "b"), ("b", "c")]) + "\n")
    import_files(
        workspace, [jsonl], platform="mastodon", mapping={"follower_id": "src", "followee_id": "dst"}, progress=False
    )
    parquet = tmp_path / "posts.parquet"
    pl.DataFrame(
        {"post_id": ["q1"], "created_at": [datetime(2024, 1, 2, 3, 4, tzinfo=UTC)], "views": [10]}
    ).write_parquet(parquet)
    import_files(workspace, [parquet], platform="youtube", progress=False)
    assert {(f["follower_id"], f["followee_id"]) for f in workspace.follows().to_dicts()} == {("a", "b"), ("b", "c")}
    assert workspace.posts()["created_at"][0] == datetime(2024, 1, 2, 3, 4, tzinfo=UTC)
    assert workspace.post_metrics()["views"][0] == 10


def test_json_array_of_interactions(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "events.json"
    events = [
        {"who": "a", "what": "retweet", "post": "p1", "at": 1341100972},
        {"who": "b", "what": "favourite", "post": "p1", "at": 1341100980},
    ]
    path.write_text(json.dumps(events))
    mapping = {"actor_id": "who", "kind": "what", "target_post_id": "post", "occurred_at": "at"}
    [res] = import_files(workspace, [path], platform="x", mapping=mapping, progress=False)
    assert (res.rows_read, res.rows_loaded) == (2, 2)
    rows = {
        (r["actor_id"], r["kind"], r["target_post_id"], r["target_account_id"])
        for r in workspace.interactions().to_dicts()
    }
    assert rows == {("a", "repost", "p1", ""), ("b", "like", "p1", "")}
    assert min(workspace.interactions()["occurred_at"]) == datetime(2012, 7, 1, 0, 2, 52, tzinfo=UTC)


def test_overlapping_exports_merge_by_id(workspace: Workspace, tmp_path: Path) -> None:
    first = tmp_path / "a.csv"
    first.write_text("post_id,created_at\np1,2024-05-01 10:00\n")
    second = tmp_path / "b.csv"
    second.write_text("post_id,created_at,text\np1,2024-05-01 10:00,now with text\np2,2024-05-02 10:00,new\n")
    import_files(workspace, [first], platform="x", progress=False)
    [res] = import_files(workspace, [second], platform="x", progress=False)
    assert (res.rows_loaded, res.rows_duplicate) == (1, 1)
    posts = {p["post_id"]: p["text"] for p in workspace.posts().to_dicts()}
    assert posts == {"p1": "now with text", "p2": "new"}


def test_mapping_errors(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n")
    with pytest.raises(UsageError, match="unknown field 'likez'"):
        import_files(workspace, [path], platform="x", mapping={"likez": "a"}, progress=False)
    with pytest.raises(IngestError, match="does not have"):
        import_files(workspace, [path], platform="x", mapping={"post_id": "nope"}, progress=False)
    with pytest.raises(IngestError, match="cannot tell what the file holds") as info:  # the file, not the command
        import_files(workspace, [path], platform="x", progress=False)
    assert info.value.where == f"{path} (--map)" and "Columns in the file: 'a', 'b'" in (info.value.hint or "")
    with pytest.raises(UsageError, match="cannot tell what the file holds"):  # a --map that maps no table
        import_files(workspace, [path], platform="x", mapping={"likes": "a"}, progress=False)
    with pytest.raises(UsageError, match="which network"):
        import_files(workspace, [path], mapping={"post_id": "a"}, progress=False)
    assert workspace.query("SELECT count(*) FROM imports").item() == 0


def test_mapping_file_forms(tmp_path: Path) -> None:
    yaml_file = tmp_path / "map.yaml"
    yaml_file.write_text("created_at: Date\nlikes: Likes\n")
    lines = tmp_path / "map.txt"
    lines.write_text("# comment\ncreated_at=Date\nlikes=Likes\n")
    js = tmp_path / "map.json"
    js.write_text('{"created_at": "Date", "likes": "Likes"}')
    expected = {"created_at": "Date", "likes": "Likes"}
    assert load_mapping_file(yaml_file) == load_mapping_file(lines) == load_mapping_file(js) == expected
    assert resolve_mapping(["Date", "Likes", "Post ID"], expected) == {**expected, "post_id": "Post ID"}


def test_malformed_csv_row_is_one_reject(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("post_id,created_at,likes\np1,2024-01-01,5\np2,2024-01-02,6,extra,cols\np3,2024-01-03,7\n")
    [res] = import_files(workspace, [path], platform="x", progress=False)
    assert (res.rows_read, res.rows_rejected) == (3, 1)
    [rej] = workspace.table("rejects").to_dicts()
    assert rej["line"] == 3 and rej["raw"] == "p2,2024-01-02,6,extra,cols" and "malformed CSV row" in rej["reason"]
    assert sorted(workspace.posts()["post_id"]) == ["p1", "p3"]


# ------------------------------------------------------------------ rules a careless edit would break (issue #19)
def test_nine_digit_unix_times_before_2001_are_recognised() -> None:
    # 999999999 = 2001-09-09 01:46:39 UTC, the last 9-digit second; 100000000 = 1973-03-03 (then refused by the
    # plausible-date window, with a reason: tests/ingest/test_dates.py)
    assert [shape_of(v) for v in ("999999999", "100000000")] == ["epoch_s", "epoch_s"]
    assert shape_of("99999999") is None  # 8 digits: not a Unix time we read


def test_a_column_half_readable_as_dates_is_accepted_its_other_half_rejected(
    workspace: Workspace, tmp_path: Path
) -> None:
    # exactly half the sampled values readable: enough (the unreadable ones become rejects with their line)
    path = tmp_path / "half.csv"
    path.write_text("post_id,created_at\np1,2024-03-05\np2,someday\n")
    [res] = import_files(workspace, [path], platform="x", progress=False)
    assert (res.rows_loaded, res.rows_rejected) == (1, 1)
    # less than half: the column is not dates
    worse = tmp_path / "worse.csv"
    worse.write_text("post_id,created_at\np1,2024-03-05\np2,someday\np3,never\n")
    with pytest.raises(IngestError, match="cannot recognise the dates"):
        import_files(workspace, [worse], platform="x", progress=False)


def test_an_ambiguous_date_is_read_month_first_with_a_warning() -> None:
    # "03/05/2024" reads both ways and nothing in the column decides: month-first (US), and the summary says so
    plan = infer_plan("Date", {"numeric": 1}, Evidence.of(["03/05/2024"]), timezone="UTC")
    assert plan.orders["/"] == "mdy"
    assert "read month-first as M/D/YYYY" in plan.statement and "--date-format" in plan.statement


def test_a_column_mapped_to_one_field_is_not_also_auto_mapped_to_another() -> None:
    # --map text=Date: the column "Date" is the text; it must not also become created_at by its name
    assert resolve_mapping(["post_id", "Date"], {"text": "Date"}) == {"text": "Date", "post_id": "post_id"}
    # and a column named like a field is taken once: "Likes" and "like" both name likes, the first wins
    assert resolve_mapping(["post_id", "Likes", "like"], None) == {"post_id": "post_id", "likes": "Likes"}


def test_a_platform_column_does_not_make_a_metrics_file_a_posts_file(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "metrics.csv"
    path.write_text("platform,post_id,likes,observed_at\nx,p1,5,2024-05-01 10:00\n")
    [res] = import_files(workspace, [path], progress=False)
    assert res.rows_loaded == 1
    assert workspace.posts().height == 0
    [m] = workspace.post_metrics().to_dicts()
    assert (m["platform"], m["post_id"], m["likes"]) == ("x", "p1", 5)
    assert m["observed_at"] == datetime(2024, 5, 1, 10, tzinfo=UTC)


def test_the_file_kind_comes_from_the_name_or_the_parquet_magic() -> None:
    from signalboost.ingest.formats.generic import file_kind, sniff

    assert file_kind(Path("a.parquet"), b"") == "parquet"
    assert file_kind(Path("export"), b"PAR1....") == "parquet"  # the magic bytes, whatever the name
    assert file_kind(Path("a.JSONL.gz"), b"{") == "jsonl" and file_kind(Path("a.ndjson"), b"{") == "jsonl"
    assert file_kind(Path("a.json"), b"  [{") == "json" and file_kind(Path("a.json"), b'{"a": 1}') == "jsonl"
    assert file_kind(Path("a.tsv"), b"a\tb") == "csv"
    # how sure the generic reader is that it can read a file (the specific formats score higher)
    assert sniff(b"PAR1", Path("a.parquet")) == 0.6
    assert sniff(b"[{}]", Path("a.json")) == 0.3
    assert sniff(b"a;b\n1;2", Path("a.csv")) == 0.3 and sniff(b"a\tb\n", Path("a.txt")) == 0.3
    assert sniff(b"just words\nand, more", Path("a.txt")) == 0.0  # no separator on the first line
    assert sniff(b"PK\x03\x04", Path("a.csv")) == 0.0  # a zip is never generic


def test_the_mapped_fields_decide_the_table() -> None:
    from signalboost.ingest.formats.generic import table_for

    assert table_for({"actor_id": "a", "kind": "k", "post_id": "p"}) == "interactions"  # actor_id first
    assert table_for({"follower_id": "a", "followee_id": "b"}) == "follows"
    assert table_for({"follower_id": "a", "post_id": "p"}) == "posts"  # half an edge is not a follows file
    assert table_for({"post_id": "p", "likes": "l", "observed_at": "o"}) == "post_metrics"
    assert table_for({"post_id": "p", "likes": "l", "text": "t"}) == "posts"
    with pytest.raises(UsageError, match="cannot tell"):
        table_for({"likes": "l"})


def test_column_names_are_normalised_and_synonyms_resolved() -> None:
    from signalboost.ingest.formats.generic import normalise

    assert normalise("  Post ID ") == "post_id" and normalise("Created-At (UTC)") == "created_at_utc"
    got = resolve_mapping(["ID", "Published", "Message", "Share", "Comment"], None)
    assert got == {
        "post_id": "ID",
        "created_at": "Published",
        "text": "Message",
        "shares": "Share",
        "comments": "Comment",
    }


# ------------------------------------------------------------------ mapping files, errors and samples (mutmut, #19)
def test_a_mapping_file_that_cannot_be_read_says_which_and_why(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    with pytest.raises(UsageError, match=r"cannot read the mapping file \(No such file or directory\)") as info:
        load_mapping_file(missing)
    assert info.value.where == f"--mapping {missing}"


def test_invalid_json_in_a_mapping_file_names_its_line_and_column(tmp_path: Path) -> None:
    # line 3 (after a blank line: JSON is recognised by its first non-blank character), column 11: the second
    # string where a ':' belongs
    path = tmp_path / "map.json"
    path.write_text('\n{"created_at": "Date",\n  "likes" "Likes"}\n')
    with pytest.raises(UsageError, match="invalid JSON: Expecting ':' delimiter") as info:
        load_mapping_file(path)
    assert info.value.where == f"{path}:3:11"


def test_invalid_yaml_in_a_mapping_file_names_its_line_and_column(tmp_path: Path) -> None:
    # the second ':' of line 2 (column 13) starts a mapping where a value is
    path = tmp_path / "map.yaml"
    path.write_text("created_at: Date\nlikes: Likes: x\n")
    with pytest.raises(UsageError) as info:
        load_mapping_file(path)
    assert info.value.what == "invalid YAML mapping (mapping values are not allowed here)"
    assert info.value.where == f"{path}:2:13"


def test_a_mapping_file_with_a_python_tag_is_refused_never_run(tmp_path: Path) -> None:
    path = tmp_path / "map.yaml"
    path.write_text('likes: !!python/object/apply:os.system ["echo hi"]\n')
    with pytest.raises(UsageError, match="invalid YAML mapping"):
        load_mapping_file(path)


def test_a_mapping_file_that_is_not_a_mapping_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "map.yaml"
    path.write_text("- created_at\n- likes\n")
    with pytest.raises(UsageError) as info:
        load_mapping_file(path)
    assert info.value.what == "a mapping file maps fields to columns (field: Column)"
    assert info.value.where == str(path) and "created_at, engaged_users" in (info.value.hint or "")


def test_mapping_file_lines_keep_bom_comments_and_equals_signs_in_the_column(tmp_path: Path) -> None:
    """A spreadsheet's BOM is not part of the first field; indented '#' lines are comments; a column name may hold
    '=' (only the first one separates)."""
    path = tmp_path / "map.txt"
    path.write_bytes("\ufeffcreated_at=Date\n  # the likes column\nlikes=Likes=Total\n".encode())
    assert load_mapping_file(path) == {"created_at": "Date", "likes": "Likes=Total"}


def test_a_parser_message_is_cut_to_its_first_line_and_a_yaml_position_is_one_based(tmp_path: Path) -> None:
    from signalboost.ingest.formats.generic import _one_line, _yaml_where

    assert _one_line("  found a tab\n  in 'map.yaml', line 2\n") == "found a tab"
    assert _one_line(" \n ") == "syntax error"

    class Mark:
        line, column = 0, 4

    class Positioned(Exception):
        problem_mark = Mark()

    assert _yaml_where(tmp_path / "m.yaml", Positioned()) == f"{tmp_path / 'm.yaml'}:1:5"
    assert _yaml_where(tmp_path / "m.yaml", ValueError("no mark")) == str(tmp_path / "m.yaml")


def _columns_error(workspace: Workspace, tmp_path: Path, n: int) -> IngestError:
    path = tmp_path / f"c{n}.csv"
    path.write_text(",".join(f"c{i}" for i in range(1, n + 1)) + "\n" + ",".join("1" * n) + "\n")
    with pytest.raises(IngestError) as info:
        import_files(workspace, [path], platform="x", progress=False)
    return info.value


def test_a_file_of_unknown_columns_lists_the_first_twelve(workspace: Workspace, tmp_path: Path) -> None:
    twelve = _columns_error(workspace, tmp_path, 12)
    assert twelve.hint == (
        "Map post_id (posts), follower_id+followee_id (follows), actor_id+kind (interactions) or account_id+followers "
        "(an account list), e.g. "
        "--map post_id=ID,created_at=Date. Columns in the file: " + ", ".join(f"'c{i}'" for i in range(1, 13))
    )
    thirteen = _columns_error(workspace, tmp_path, 13)
    assert (thirteen.hint or "").endswith("Columns in the file: " + ", ".join(f"'c{i}'" for i in range(1, 13)) + ", …")


def test_a_mapping_error_that_lists_the_columns_already_is_not_given_them_twice(
    workspace: Workspace, tmp_path: Path
) -> None:
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n")
    with pytest.raises(IngestError, match="names column 'nope'") as info:
        import_files(workspace, [path], platform="x", mapping={"post_id": "nope"}, progress=False)
    assert info.value.hint == "Columns in the file: a, b" and info.value.where == f"{path} (--map)"


def test_at_me_without_a_platform_asks_for_the_account_on_the_platform(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "accounts.csv"
    path.write_text("Account\nbob@other.org\n")
    mapping = {"follower_id": "=@me", "followee_id": "Account"}
    with pytest.raises(UsageError) as info:
        import_files(workspace, [path], mapping=mapping, progress=False)
    assert info.value.what == "follower_id==@me needs the brand's own account on the platform"


def test_a_date_format_given_is_stated_for_the_column(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "posts.csv"
    path.write_text("post_id,Published\np1,03/05/2024\n")
    [res] = import_files(workspace, [path], platform="x", date_format="%m/%d/%Y", progress=False)
    assert "Published: dates read with --date-format %m/%d/%Y" in res.notes


def test_dates_are_recognised_from_the_first_2000_values(workspace: Workspace, tmp_path: Path) -> None:
    """1,000 unreadable values, then 1,000 dates, then one more unreadable value: of the first 2,000 exactly
    half are dates, which is enough (a sample of 500 would see none, and 2,001 values fewer than half)."""
    rows = [f"u{i},someday" for i in range(1000)] + [f"d{i},2024-03-05" for i in range(1000)] + ["z,never"]
    path = tmp_path / "posts.csv"
    path.write_text("post_id,created_at\n" + "\n".join(rows) + "\n")
    [res] = import_files(workspace, [path], platform="x", progress=False)
    assert (res.rows_read, res.rows_loaded, res.rows_rejected) == (2001, 1000, 1001)


def test_a_file_read_as_it_is_reports_its_size_as_progress(tmp_path: Path) -> None:
    from signalboost.ingest.base import ReadOptions
    from signalboost.ingest.formats.generic import _as_is

    path = tmp_path / "a.jsonl"
    path.write_text('{"post_id": "p1"}\n')  # 18 bytes
    seen: list[int] = []
    with _as_is(path, ReadOptions(progress=seen.append)) as plain:
        assert plain == path
    assert seen == [18]


def test_headers_lose_invisible_characters_and_quotes_but_not_their_letters() -> None:
    from signalboost.ingest.formats.generic import clean_header

    assert clean_header('\ufeff "Post\u00adID"\u200b ') == "PostID"
    assert clean_header("Xbox views") == "Xbox views"  # an X at either end is a letter, not something to strip
    assert clean_header("XX") == "XX"


def test_what_the_generic_reader_claims_from_a_files_name_and_first_line(tmp_path: Path) -> None:
    from signalboost.ingest.formats.generic import sniff

    folder = tmp_path / "exports.csv"
    folder.mkdir()
    assert sniff(b"", folder) == 0.0  # a folder is never one generic file, whatever its name
    assert sniff(b"123\n456\n", Path("IDS.CSV.GZ")) == 0.3  # one column of ids, compressed, upper-case name
    assert sniff(b"123\n456\n", Path("ids.tsv")) == 0.3
    assert sniff(b"123\n456\n", Path("ids.txt")) == 0.0  # one column and no CSV name: not claimed
    assert sniff(b"a,b\n1,2\n", Path("a.txt")) == 0.3  # a comma on the first line
    assert sniff(b'{"a": 1}\n', Path("a.jsonl")) == 0.3  # JSON Lines by name, no separator needed


def _posts_file(tmp_path: Path, text: str, name: str = "posts.csv") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_a_date_without_a_time_is_marked_date_only(workspace: Workspace, tmp_path: Path) -> None:
    path = _posts_file(tmp_path, "post_id,created_at\np1,2024-03-05\np2,2024-03-05 10:30\n")
    import_files(workspace, [path], platform="x", progress=False)
    assert workspace.posts().sort("post_id").select("post_id", "date_only").rows() == [("p1", True), ("p2", False)]
    events = _posts_file(tmp_path, "actor_id,kind,target_post_id,occurred_at\na,like,p1,2024-03-05\n", "events.csv")
    import_files(workspace, [events], platform="x", progress=False)
    assert workspace.interactions().select("actor_id", "date_only").rows() == [("a", True)]


def test_metrics_are_observed_at_the_time_given_without_a_warning(workspace: Workspace, tmp_path: Path) -> None:
    path = _posts_file(tmp_path, "post_id,created_at,likes\np1,2024-03-05 10:00,4\n")
    when = datetime(2024, 4, 1, 12, tzinfo=UTC)
    [res] = import_files(workspace, [path], platform="x", observed_at=when, progress=False)
    assert workspace.post_metrics().select("post_id", "observed_at", "likes").rows() == [("p1", when, 4)]
    assert not any("observation time" in w for w in res.warnings)


def test_metrics_without_an_observation_time_take_the_newest_post_time_and_say_so(
    workspace: Workspace, tmp_path: Path
) -> None:
    path = _posts_file(tmp_path, "post_id,created_at,likes\np1,2024-03-05 10:00,4\np2,2024-03-07 09:00,1\n")
    [res] = import_files(workspace, [path], platform="x", progress=False)
    assert res.warnings == ["no observation time for the metrics: using the newest post time (pass --observed-at)"]
    assert set(workspace.post_metrics()["observed_at"]) == {datetime(2024, 3, 7, 9, tzinfo=UTC)}


def test_a_metrics_file_without_any_time_is_refused(workspace: Workspace, tmp_path: Path) -> None:
    path = _posts_file(tmp_path, "post_id,likes\np1,4\n", "metrics.csv")
    with pytest.raises(UsageError) as info:
        import_files(workspace, [path], platform="x", progress=False)
    assert (info.value.what, info.value.where) == ("metrics need the time they were read", str(path))
    assert "--observed-at" in (info.value.hint or "")


def test_a_metrics_file_with_an_observed_at_column_is_metrics_only(workspace: Workspace, tmp_path: Path) -> None:
    path = _posts_file(tmp_path, "post_id,observed_at,likes\np1,2024-04-01 12:00,4\n", "metrics.csv")
    [res] = import_files(workspace, [path], platform="x", progress=False)
    assert workspace.posts().height == 0 and res.warnings == []
    assert workspace.post_metrics().select("observed_at", "likes").rows() == [(datetime(2024, 4, 1, 12, tzinfo=UTC), 4)]


def test_a_posts_file_with_an_observed_at_column_keeps_it_for_its_metrics(workspace: Workspace, tmp_path: Path) -> None:
    text = "post_id,created_at,observed_at,likes\np1,2024-03-05 10:00,2024-04-01 12:00,4\n"
    [res] = import_files(workspace, [_posts_file(tmp_path, text)], platform="x", progress=False)
    assert res.warnings == []
    assert workspace.posts().select("post_id", "created_at").rows() == [("p1", datetime(2024, 3, 5, 10, tzinfo=UTC))]
    assert workspace.post_metrics().select("observed_at", "likes").rows() == [(datetime(2024, 4, 1, 12, tzinfo=UTC), 4)]


def test_a_hashtags_column_is_kept_rather_than_read_from_the_text(workspace: Workspace, tmp_path: Path) -> None:
    text = "post_id,text,hashtags\np1,Hello #world,spring;sale\n"
    import_files(workspace, [_posts_file(tmp_path, text)], platform="x", progress=False)
    assert workspace.posts().select("text", "hashtags").rows() == [("Hello #world", ["spring", "sale"])]


def test_a_post_dated_in_the_future_is_a_reject(workspace: Workspace, tmp_path: Path) -> None:
    soon = datetime.now(UTC).replace(microsecond=0) + timedelta(days=3)
    path = _posts_file(tmp_path, f"post_id,created_at\np1,2024-03-05 10:00\np2,{soon:%Y-%m-%d %H:%M}\n")
    [res] = import_files(workspace, [path], platform="x", progress=False)
    assert (res.rows_loaded, res.rows_rejected) == (1, 1)
    [rej] = workspace.table("rejects").to_dicts()
    assert rej["line"] == 3 and "is in the future" in rej["reason"]


def test_kind_on_an_edge_list_says_what_every_row_is(workspace: Workspace, tmp_path: Path) -> None:
    """``--kind`` names the table (follows, interactions) or the kind of every interaction, in any case and
    spacing; a mapped kind column is then not needed."""
    replies = _posts_file(tmp_path, "actor_id,target_post_id\nu1,v1\n", "replies.csv")
    import_files(workspace, [replies], platform="youtube", kind=" Reply ", progress=False)
    assert workspace.interactions().select("actor_id", "kind").rows() == [("u1", "reply")]
    edges = _posts_file(tmp_path, "follower_id,followee_id\na,b\n", "edges.csv")
    import_files(workspace, [edges], platform="x", kind="Follows", progress=False)
    assert workspace.follows().select("follower_id", "followee_id").rows() == [("a", "b")]
    events = _posts_file(tmp_path, "actor_id,kind,target_post_id\nu2,like,v1\n", "events.csv")
    import_files(workspace, [events], platform="youtube", kind="interactions", progress=False)
    assert workspace.interactions().height == 2


def test_kind_that_does_not_fit_the_columns_is_refused_with_what_to_map(workspace: Workspace, tmp_path: Path) -> None:
    edges = _posts_file(tmp_path, "follower_id,followee_id\na,b\n", "edges.csv")
    with pytest.raises(UsageError) as info:
        import_files(workspace, [edges], platform="x", kind="like", progress=False)
    assert info.value.what == "--kind like asks for interactions, but the mapped columns make this a follows file"
    assert info.value.hint == (
        "Map actor_id (who acted) and target_post_id or target_account_id, e.g. --map "
        "actor_id=Author,target_post_id=Video; or leave --kind out"
    )
    events = _posts_file(tmp_path, "actor_id,kind,target_post_id\nu2,like,v1\n", "events.csv")
    with pytest.raises(UsageError) as info:
        import_files(workspace, [events], platform="x", kind="follows", progress=False)
    assert info.value.hint is not None and info.value.hint.startswith("Map follower_id and followee_id, e.g.")
    with pytest.raises(UsageError, match="unknown kind 'bogus'") as info:
        import_files(workspace, [events], platform="x", kind="bogus", progress=False)
    assert info.value.where == "--kind"


@pytest.mark.parametrize(
    ("shape", "value", "stated"),
    [
        ("iso", "2024-03-05 10:00", "ISO 8601 (2,000)"),
        ("epoch_s", "1714557600", "Unix seconds (2,000)"),
        ("epoch_ms", "1714557600000", "Unix milliseconds (2,000)"),
        ("xdate", "Wed Oct 10 20:19:24 +0000 2018", "X API dates (Wed Oct 10 20:19:24 +0000 2018) (2,000)"),
    ],
)
def test_a_column_of_self_evident_dates_is_planned_from_its_first_2000_values(
    workspace: Workspace, tmp_path: Path, shape: str, value: str, stated: str
) -> None:
    """ISO, Unix and X API dates need no evidence, so the column is not scanned again: the shapes of the first
    2,000 values are the plan, and a value of another shape after them is a reject (module docstring of
    ingest/formats/generic.py, ``_date_plan``)."""
    other = "1714557600" if shape == "iso" else "2024-03-05 10:00"
    path = tmp_path / "posts.csv"
    path.write_text("post_id,created_at\n" + "".join(f"p{i},{value}\n" for i in range(2000)) + f"z,{other}\n")
    [res] = import_files(workspace, [path], platform="x", progress=False)
    assert (res.rows_loaded, res.rows_rejected) == (2000, 1)
    assert f"created_at: {stated}" in res.notes


def test_unrecognised_dates_are_quoted_by_the_first_value(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "posts.csv"
    path.write_text("post_id,Posted\np1,someday\np2,never\np3,2024-03-05\n")
    with pytest.raises(IngestError) as info:
        import_files(workspace, [path], platform="x", mapping={"created_at": "Posted"}, progress=False)
    assert info.value.what == "cannot recognise the dates in column 'Posted' (e.g. 'someday')"
    assert info.value.where == str(path)


def test_rows_take_the_platform_given(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "posts.csv"
    path.write_text("post_id,created_at\np1,2024-03-05\n")
    import_files(workspace, [path], platform="mastodon", progress=False)
    assert workspace.posts().select("platform", "post_id").rows() == [("mastodon", "p1")]


def test_the_import_notes_the_table_and_columns_and_which_fields_came_from_the_file(
    workspace: Workspace, tmp_path: Path
) -> None:
    path = tmp_path / "replies.csv"
    path.write_text("author,video\nu1,v1\n")
    mapping = {"actor_id": "author", "target_post_id": "video"}
    [res] = import_files(workspace, [path], platform="youtube", kind="reply", mapping=mapping, progress=False)
    assert "interactions from columns: actor_id=author, target_post_id=video, kind==--kind reply" in res.notes
    assert res.mapped == {"actor_id", "target_post_id"}  # the kind is a constant, not a column of the file


def test_a_file_duckdb_cannot_read_is_refused_with_its_reason(tmp_path: Path) -> None:
    from signalboost.ingest.base import ReadOptions
    from signalboost.ingest.formats.generic import read_generic

    path = tmp_path / "posts.parquet"
    path.write_text("not parquet")
    with pytest.raises(IngestError) as info:
        list(read_generic(path, ReadOptions(platform="x")))
    assert info.value.what.startswith("cannot read the file: Invalid Input Error: ")
    assert "too small to be a Parquet file" in info.value.what and info.value.where == str(path)


def test_a_preset_sees_the_columns_and_its_constants_fill_unmapped_fields(tmp_path: Path) -> None:
    """The CSV formats built on the generic reader (tweet CSVs, comments CSVs) get the file's columns first, and
    their SQL constants fill the fields the file does not map (a mapped column wins)."""
    from signalboost.ingest.base import ReadOptions, SqlStage
    from signalboost.ingest.formats.generic import read_generic

    path = tmp_path / "posts.csv"
    path.write_text("post_id,author_id\np1,a1\n")
    seen: list[list[str]] = []
    options = ReadOptions(platform="x", preset=seen.append, sql_constants={"author_id": "'me'", "language": "'nb'"})
    [stage] = list(read_generic(path, options))
    assert seen == [["post_id", "author_id"]]
    assert isinstance(stage, SqlStage) and stage.table == "posts"
    import duckdb

    got = duckdb.sql(f"SELECT post_id, author_id, language FROM ({stage.sql})").fetchall()
    assert got == [("p1", "a1", "nb")]


def test_parts_of_a_column_split_at_a_separator_of_several_characters(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "page.csv"
    path.write_text("status_id,when\n111__222,2020-05-08 10:00\n")
    mapping = {"post_id": "status_id|after:__", "author_id": "status_id|before:__", "created_at": "when"}
    import_files(workspace, [path], platform="facebook", mapping=mapping, progress=False)
    assert workspace.posts().select("post_id", "author_id").rows() == [("222", "111")]


def test_a_yaml_error_is_named_by_its_problem_not_by_the_context_line(tmp_path: Path) -> None:
    # ruamel's message starts with the context ("while parsing a flow sequence"); the problem is what to fix
    path = tmp_path / "map.yaml"
    path.write_text("created_at: [Date\n")
    with pytest.raises(UsageError) as info:
        load_mapping_file(path)
    assert info.value.what == "invalid YAML mapping (expected ',' or ']', but got '<stream end>')"
    assert info.value.where == f"{path}:2:1"  # the end of the text: line 2, column 1


def test_a_yaml_error_without_a_problem_is_named_by_its_first_line(tmp_path: Path) -> None:
    path = tmp_path / "map.yaml"
    path.write_text("created_at: Da\x01te\n")  # a control character: a reader error, which has no position mark
    with pytest.raises(UsageError) as info:
        load_mapping_file(path)
    assert info.value.what == (
        "invalid YAML mapping (unacceptable character #x0001: special characters are not allowed)"
    )
    assert info.value.where == str(path)


def test_the_plausible_window_ends_a_day_after_the_imports_now(tmp_path: Path) -> None:
    """``ReadOptions.now`` (the clock by default) bounds the plausible dates: with now = 1 March 2024, a post of
    5 March is in the future and a reject; one of 1 March 23:00 is within the day of slack."""
    import duckdb

    from signalboost.ingest.base import ReadOptions
    from signalboost.ingest.formats.generic import read_generic

    path = tmp_path / "posts.csv"
    path.write_text("post_id,created_at\np1,2024-03-01 23:00\np2,2024-03-05 10:00\n")
    options = ReadOptions(platform="x", now=datetime(2024, 3, 1, 12, tzinfo=UTC))
    [stage] = list(read_generic(path, options))
    rows = duckdb.sql(f"SELECT post_id, _reason FROM ({stage.sql}) ORDER BY 1").fetchall()
    assert rows[0] == ("p1", None)
    assert rows[1][0] == "p2" and "is in the future" in rows[1][1]


def test_a_posts_file_without_a_date_column_says_so_at_import(workspace: Workspace, tmp_path: Path) -> None:
    """Kim et al.'s Instagram posts named their date ``taken_at_utc``, not recognised then: imported without --map,
    39,730 posts were loaded with no date and the summary did not say so (``taken_at_utc`` maps itself now; a date
    column named in a way nothing knows still gets the warning)."""
    text = "post_id,shot_on,hearts,caption\np1,2019-01-01T10:00:00Z,4,hello\np2,2019-01-02T10:00:00Z,5,hi\n"
    path = _posts_file(tmp_path, text)
    [res] = import_files(workspace, [path], platform="instagram", progress=False)
    assert res.warnings == [
        "no date column: the posts have no date, so every analysis by time leaves them out; map one with --map "
        "created_at=COLUMN (columns not used: shot_on, hearts)"
    ]
    [res] = import_files(workspace, [path], platform="instagram", mapping={"created_at": "shot_on"}, progress=False)
    assert not any("no date column" in w for w in res.warnings)
    assert workspace.posts().sort("post_id")["created_at"].to_list() == [
        datetime(2019, 1, 1, 10, tzinfo=UTC),
        datetime(2019, 1, 2, 10, tzinfo=UTC),
    ]
