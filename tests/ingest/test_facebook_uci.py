"""UCI Facebook metrics: hand-computed expectations on a 4-row fixture, and the published counts of the real file."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from signalboost.demo_data import UCI_FACEBOOK, demo_file
from signalboost.ingest import import_files
from signalboost.ingest.formats.facebook_uci import assign_date
from signalboost.store.workspace import Workspace

from .conftest import counts, snapshot

LISBON = ZoneInfo("Europe/Lisbon")


def test_assign_date_walks_weekdays_of_the_month() -> None:
    # 1 January 2014 was a Wednesday (ISO weekday 3).
    first = assign_date(1, 3, 10, None)
    assert first == datetime(2014, 1, 1, 10, tzinfo=LISBON)
    # Same weekday, earlier hour, not before the previous post: the next Wednesday.
    assert assign_date(1, 3, 9, first) == datetime(2014, 1, 8, 9, tzinfo=LISBON)
    # Same day, later hour: same day.
    assert assign_date(1, 3, 11, first) == datetime(2014, 1, 1, 11, tzinfo=LISBON)
    # Month exhausted: the last such weekday of the month (29 January).
    late = datetime(2014, 1, 29, 23, tzinfo=LISBON)
    assert assign_date(1, 3, 10, late) == datetime(2014, 1, 29, 10, tzinfo=LISBON)
    # Summer time: 1 July 2014 was a Tuesday; 12:00 in Lisbon is 11:00 UTC.
    assert assign_date(7, 2, 12, None).astimezone(UTC) == datetime(2014, 7, 1, 11, tzinfo=UTC)


def test_small_file_hand_computed(workspace: Workspace, ingest_data: Path) -> None:
    [res] = import_files(workspace, [ingest_data / "uci_small.csv"], progress=False)
    assert res.format == "facebook-uci"
    assert (res.rows_read, res.rows_rejected) == (4, 1)
    posts = {r["post_id"]: r for r in workspace.posts().to_dicts()}
    assert set(posts) == {"uci-1", "uci-2", "uci-3"}
    assert posts["uci-3"]["created_at"] == datetime(2014, 1, 1, 10, tzinfo=UTC)
    assert posts["uci-2"]["created_at"] == datetime(2014, 1, 8, 9, tzinfo=UTC)
    assert posts["uci-1"]["created_at"] == datetime(2014, 7, 1, 11, tzinfo=UTC)
    assert [posts[f"uci-{i}"]["format"] for i in (1, 2, 3)] == ["video", "text", "photo"]
    assert [posts[f"uci-{i}"]["paid"] for i in (1, 2, 3)] == [None, True, False]
    assert [posts[f"uci-{i}"]["pillars"] for i in (1, 2, 3)] == [["inspiration"], ["product"], ["action"]]
    assert {p["author_id"] for p in posts.values()} == {"uci-cosmetics-page"}
    m = {r["post_id"]: r for r in workspace.post_metrics().to_dicts()}
    assert m["uci-1"]["likes"] is None  # empty cell: NULL, never 0
    assert (m["uci-1"]["comments"], m["uci-1"]["shares"], m["uci-1"]["reach"]) == (2, 5, 500)
    assert (m["uci-1"]["impressions"], m["uci-1"]["engaged_users"]) == (900, 50)
    assert m["uci-3"]["comments"] == 0  # a real zero stays 0
    assert m["uci-2"]["clicks"] is None
    snaps = workspace.table("account_snapshots").to_dicts()
    assert sorted(s["followers"] for s in snaps) == [100, 150, 200]
    [acct] = workspace.accounts().to_dicts()
    assert acct["is_brand"] is True and acct["followers"] == 200
    [rej] = workspace.table("rejects").to_dicts()
    assert rej["line"] == 5 and "Banner" in rej["reason"] and rej["file"].endswith("uci_small.csv")


def test_bundled_file_matches_published_counts(workspace: Workspace) -> None:
    [res] = import_files(workspace, [demo_file(*UCI_FACEBOOK)], progress=False)
    assert (res.rows_read, res.rows_rejected) == (500, 0)
    types = workspace.query("SELECT format, count(*) AS n FROM posts GROUP BY 1")
    assert dict(types.rows()) == {"photo": 426, "text": 45, "link": 22, "video": 7}
    pillars = workspace.query("SELECT pillars[1] AS p, count(*) AS n FROM posts GROUP BY 1")
    assert dict(pillars.rows()) == {"action": 215, "product": 130, "inspiration": 155}
    paid = workspace.query("SELECT paid, count(*) AS n FROM posts GROUP BY 1")
    assert dict(paid.rows()) == {False: 360, True: 139, None: 1}
    nulls = workspace.query(
        "SELECT count(*) FILTER (likes IS NULL) AS l, count(*) FILTER (shares IS NULL) AS s FROM post_metrics"
    ).row(0)
    assert nulls == (1, 4)
    span = workspace.query("SELECT min(followers), max(followers) FROM account_snapshots").row(0)
    assert span == (81370, 139441)
    # The reconstructed local times keep the file's month, weekday and hour.
    raw = demo_file(*UCI_FACEBOOK).read_text().splitlines()[1:]
    times = dict(workspace.query("SELECT post_id, created_at FROM posts").rows())
    for row_number, line in enumerate(raw, start=1):
        fields = line.split(";")
        local = times[f"uci-{row_number}"].astimezone(LISBON)
        assert (local.year, local.month, local.isoweekday(), local.hour) == (
            2014,
            int(fields[3]),
            int(fields[4]),
            int(fields[5]),
        )


def test_reimport_changes_nothing(workspace: Workspace) -> None:
    import_files(workspace, [demo_file(*UCI_FACEBOOK)], progress=False)
    before = snapshot(workspace)
    [again] = import_files(workspace, [demo_file(*UCI_FACEBOOK)], progress=False)
    assert again.rows_loaded == 0 and again.rows_duplicate > 0
    assert snapshot(workspace) == before
    assert counts(workspace)["posts"] == 500


def test_first_import_reports_no_duplicates_only_merged_snapshots(workspace: Workspace) -> None:
    """Posts published in the same reconstructed hour share one page snapshot: merged, not "duplicate"."""
    from signalboost.ingest import describe

    [res] = import_files(workspace, [demo_file(*UCI_FACEBOOK)], progress=False)
    snapshots = workspace.query("SELECT count(*) AS n FROM account_snapshots")["n"][0]
    assert res.rows_duplicate == 0
    assert res.per_table["account_snapshots"] == (snapshots, 0, 500 - snapshots)
    assert res.rows_merged == 500 - snapshots > 0
    text = describe(res)
    assert "already in the workspace 0" in text and "duplicate" not in text
    assert f"merged {500 - snapshots} (same key within the file)" in text


def _uci_rows(ingest_data: Path) -> list[list[str]]:
    return [line.split(";") for line in (ingest_data / "uci_small.csv").read_text().splitlines()]


def _as_number(cell: str) -> int | str | None:
    return int(cell) if cell.isdigit() else (cell or None)


def _check_small_file(workspace: Workspace, res: object, reject_line: int) -> None:
    """The figures of ``uci_small.csv`` (hand-computed in test_small_file_hand_computed)."""
    assert getattr(res, "format", None) == "facebook-uci"
    assert (getattr(res, "rows_read", None), getattr(res, "rows_rejected", None)) == (4, 1)
    posts = {r["post_id"]: r for r in workspace.posts().to_dicts()}
    assert set(posts) == {"uci-1", "uci-2", "uci-3"}
    assert posts["uci-2"]["created_at"] == datetime(2014, 1, 8, 9, tzinfo=UTC)
    assert [posts[f"uci-{i}"]["paid"] for i in (1, 2, 3)] == [None, True, False]
    m = {r["post_id"]: r for r in workspace.post_metrics().to_dicts()}
    assert m["uci-1"]["likes"] is None and (m["uci-1"]["comments"], m["uci-1"]["reach"]) == (2, 500)
    [rej] = workspace.table("rejects").to_dicts()
    assert rej["line"] == reject_line and "Banner" in rej["reason"]


def test_the_uci_file_saved_as_a_workbook_with_a_title_row_and_a_summary_sheet(
    workspace: Workspace, ingest_data: Path, tmp_path: Path
) -> None:
    """A user's own workbook of the UCI export: a summary sheet first, a title row above the header, numbers as
    numbers. It was refused ("no sheet of the workbook has a header row Signalboost recognises"): the sheet is
    written as a comma CSV, and the layout was only recognised with ';' on the first line."""
    pytest.importorskip("openpyxl")
    from tests.ingest.make_workbooks import write_xlsx

    rows = _uci_rows(ingest_data)
    posts = [["Facebook page posts (export of 2015-01-01)"], rows[0], *([_as_number(c) for c in r] for r in rows[1:])]
    write_xlsx(tmp_path / "page.xlsx", {"Summary": [["Cosmetics page, 2014"], ["Posts", 4]], "Posts": posts})
    [res] = import_files(workspace, [tmp_path / "page.xlsx"], progress=False)
    _check_small_file(workspace, res, reject_line=6)  # title row 1, header row 2, Banner row 6 of the sheet


def test_the_uci_file_as_a_comma_csv_with_a_title_line(workspace: Workspace, ingest_data: Path, tmp_path: Path) -> None:
    text = "Facebook page posts\n" + "\n".join(",".join(r) for r in _uci_rows(ingest_data)) + "\n"
    (tmp_path / "page.csv").write_text(text)
    [res] = import_files(workspace, [tmp_path / "page.csv"], progress=False)
    _check_small_file(workspace, res, reject_line=6)


# ---------------------------------------------------------------- other years, columns missing (session 10)
def _uci_copy(tmp_path: Path, ingest_data: Path, name: str) -> Path:
    target = tmp_path / name
    target.write_bytes((ingest_data / "uci_small.csv").read_bytes())
    return target


def test_the_year_comes_from_year_then_the_file_name_then_2014_and_is_stated(
    workspace: Workspace, ingest_data: Path, tmp_path: Path
) -> None:
    [res] = import_files(workspace, [ingest_data / "uci_small.csv"], progress=False)
    assert any("dates placed in 2014: the table has no year" in n for n in res.notes)
    named = _uci_copy(tmp_path, ingest_data, "page_metrics_2019.csv")
    [res] = import_files(workspace, [named], progress=False)
    assert any("dates placed in 2019 (the year in the file name" in n for n in res.notes)
    given = _uci_copy(tmp_path, ingest_data, "page_metrics_2019b.csv")
    [res] = import_files(workspace, [given], progress=False, year=2021)
    assert any("dates placed in 2021 (--year)" in n for n in res.notes)
    posts = {r["post_id"]: r["created_at"] for r in workspace.posts().to_dicts()}
    # 2014's ids are unchanged; other years' carry the year, so the three tables do not overwrite each other.
    assert {"uci-1", "uci-2019-1", "uci-2021-1"} <= set(posts) and len(posts) == 9
    # Row 3 (the oldest): January, Wednesday (3), 10:00 Lisbon = UTC in winter. 1 Jan 2019 was a Tuesday, so the
    # first Wednesday is 2 January; 1 Jan 2021 was a Friday, so 6 January.
    assert posts["uci-2019-3"] == datetime(2019, 1, 2, 10, tzinfo=UTC)
    assert posts["uci-2021-3"] == datetime(2021, 1, 6, 10, tzinfo=UTC)
    m = {r["post_id"]: r["observed_at"] for r in workspace.post_metrics().to_dicts()}
    assert m["uci-2019-1"] == datetime(2020, 1, 1, tzinfo=UTC) and m["uci-1"] == datetime(2015, 1, 1, tzinfo=UTC)


def test_a_file_name_with_two_years_or_a_year_out_of_range_is_refused(
    workspace: Workspace, ingest_data: Path, tmp_path: Path
) -> None:
    from signalboost.errors import UsageError

    two = _uci_copy(tmp_path, ingest_data, "compare_2015_vs_2016.csv")
    with pytest.raises(UsageError, match=r"several years \(2015, 2016\)") as info:
        import_files(workspace, [two], progress=False)
    assert "--year 2016" in (info.value.hint or "")
    assert counts(workspace)["posts"] == 0
    [res] = import_files(workspace, [two], progress=False, year=2015)  # --year settles it
    assert res.rows_loaded > 0
    with pytest.raises(UsageError, match="not a year of social posts"):
        import_files(workspace, [ingest_data / "uci_small.csv"], progress=False, year=2003)


def test_year_on_a_file_whose_dates_name_their_year_is_refused(workspace: Workspace, tmp_path: Path) -> None:
    from signalboost.errors import UsageError

    posts = tmp_path / "posts.csv"
    posts.write_text("post_id,created_at,likes\n1,2020-05-01T10:00:00Z,3\n", encoding="utf-8")
    with pytest.raises(UsageError, match="--year 2020 does not apply to a generic file"):
        import_files(workspace, [posts], progress=False, platform="x", year=2020)
    assert counts(workspace)["posts"] == 0  # nothing committed


def test_a_table_of_this_year_is_observed_at_its_newest_post() -> None:
    from signalboost.ingest.formats.facebook_uci import observed_time

    now = datetime(2026, 6, 1, tzinfo=UTC)
    newest = datetime(2026, 5, 3, 9, tzinfo=UTC)
    assert observed_time(2026, newest, now) == newest  # 1 Jan 2027 has not come: never a time in the future
    assert observed_time(2025, newest, now) == datetime(2026, 1, 1, tzinfo=UTC)


def test_missing_columns_are_named_and_null_never_zero(workspace: Workspace, ingest_data: Path, tmp_path: Path) -> None:
    from signalboost.ingest.formats.facebook_uci import find_header, missing_columns

    rows = [line.split(";") for line in (ingest_data / "uci_small.csv").read_text().splitlines()]
    drop = {rows[0].index(c) for c in ("share", "Paid", "Category")}
    kept = [";".join(c for i, c in enumerate(r) if i not in drop) for r in rows]
    f = tmp_path / "uci_without_three.csv"
    f.write_text("\n".join(kept) + "\n", encoding="utf-8")
    assert missing_columns(kept[0].split(";")) == ["Category", "Paid", "share"]
    [res] = import_files(workspace, [f], progress=False)
    assert res.format == "facebook-uci" and (res.rows_read, res.rows_rejected) == (4, 1)
    assert any("stored as NULL: Category, Paid, share" in n for n in res.notes)
    m = {r["post_id"]: r for r in workspace.post_metrics().to_dicts()}
    assert [m[f"uci-{i}"]["shares"] for i in (1, 2, 3)] == [None, None, None]
    assert m["uci-1"]["comments"] == 2 and m["uci-3"]["comments"] == 0  # the columns still there are read
    posts = {r["post_id"]: r for r in workspace.posts().to_dicts()}
    assert [posts[f"uci-{i}"]["paid"] for i in (1, 2, 3)] == [None, None, None]
    assert [posts[f"uci-{i}"]["pillars"] for i in (1, 2, 3)] == [None, None, None]
    # Without the month, weekday or hour no row has a time: not this layout.
    assert find_header(";".join(c for c in rows[0] if c != "Post Hour")) is None
    # The four core columns alone are no table of this layout either (nothing it reads beyond them).
    assert find_header("Type;Post Month;Post Weekday;Post Hour\n") is None
