"""Spreadsheet workbooks (.xlsx, .xls, .ods) read like the CSV of one sheet (signalboost.ingest.workbook)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest

from signalboost.errors import IngestError, UsageError
from signalboost.ingest import import_files
from signalboost.ingest.pipeline import dry_run
from signalboost.ingest.workbook import cell_text, serial_text
from signalboost.store.workspace import Workspace

openpyxl = pytest.importorskip("openpyxl")


@pytest.mark.parametrize(
    ("value", "date_column", "text"),
    [
        (12.0, False, "12"),  # an id typed as a number: never "12.0"
        (0.1 + 0.2, False, "0.3"),  # Excel's 15 significant digits, not 0.30000000000000004
        (1234.5, False, "1234.5"),
        (True, False, "true"),
        (None, False, ""),
        (date(2024, 5, 8), False, "2024-05-08"),
        (datetime(2024, 5, 8, 14, 30), False, "2024-05-08 14:30:00"),
        (time(9, 5), False, "09:05:00"),
        (timedelta(minutes=3, seconds=5), False, "0:03:05"),
        (timedelta(hours=26), False, "26:00:00"),
        # serial dates (1900 system): 45292 = 2024-01-01, + 31 + 29 + 31 + 30 + 7 days = 45420 = 2024-05-08
        (45420.0, True, "2024-05-08"),
        (45420.5, True, "2024-05-08 12:00:00"),
        (45420.0 + (14 * 60 + 30) / 1440, True, "2024-05-08 14:30:00"),
        (45420.0, False, "45420"),  # the same number outside a date column is a number
        (1715178600.0, True, "1715178600"),  # a Unix time in a date column stays a number (past the serials)
        ("1,5", False, "1,5"),  # text as typed
    ],
)
def test_cells_become_the_text_a_csv_would_hold(value: Any, date_column: bool, text: str) -> None:
    assert cell_text(value, date_column=date_column) == text


def test_serial_dates_count_from_1899_12_30() -> None:
    assert serial_text(1.0) == "1899-12-31"  # Excel says 1900-01-01 (its 1900 leap-year bug); implausible anyway
    assert serial_text(61.0) == "1900-03-01"
    assert serial_text(43101.0) == "2018-01-01"


def _book(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


SUMMARY = [["Report for May 2024"], ["Metric", "Value"], ["Total likes", 37], ["Posts", 2]]
POSTS = [
    ["Post ID", "Date", "Text", "Likes"],
    [101, datetime(2024, 5, 8, 14, 30), "First", 30],
    [102, datetime(2024, 5, 9, 8, 0), "Second", "many"],  # a bad count: a reject at sheet row 3
    [103, date(2024, 5, 10), "Third", 7],
]


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return Workspace.open(tmp_path / "ws", create=True)


def test_a_summary_sheet_first_is_passed_over_for_the_sheet_of_posts(ws: Workspace, tmp_path: Path) -> None:
    book = _book(tmp_path / "report.xlsx", {"Summary": SUMMARY, "Posts": POSTS})
    [res] = import_files(ws, [book], platform="instagram", progress=False)
    assert res.file == f"{book}!Posts"
    assert any("read sheet 'Posts'" in n for n in res.notes)
    assert any("'Summary'" in n and "not read" in n for n in res.notes)
    posts = {r["post_id"]: r for r in ws.query("SELECT post_id, text, created_at, date_only FROM posts").to_dicts()}
    assert sorted(posts) == ["101", "103"]
    assert posts["101"]["created_at"] == datetime(2024, 5, 8, 14, 30, tzinfo=posts["101"]["created_at"].tzinfo)
    assert posts["103"]["date_only"] is True
    [reject] = ws.table("rejects").to_dicts()
    assert (reject["file"], reject["line"]) == (f"{book}!Posts", 3)
    assert "'many'" in reject["reason"]


def test_a_workbook_import_is_idempotent(ws: Workspace, tmp_path: Path) -> None:
    book = _book(tmp_path / "report.xlsx", {"Posts": POSTS})
    [first] = import_files(ws, [book], platform="instagram", progress=False)
    [again] = import_files(ws, [book], platform="instagram", progress=False)
    assert first.per_table["posts"][0] == 2
    assert again.per_table["posts"] == (0, 2, 0)
    assert len(ws.table("posts")) == 2


def test_sheet_option_chooses_and_names_the_sheets_when_wrong(ws: Workspace, tmp_path: Path) -> None:
    other = [["Post ID", "Date", "Text"], ["900", "2024-06-01 10:00", "From the archive sheet"]]
    book = _book(tmp_path / "two.xlsx", {"Posts": POSTS, "Archive": other})
    [res] = import_files(ws, [book], platform="x", sheet="Archive", progress=False)
    assert ws.query("SELECT post_id FROM posts").to_series().to_list() == ["900"]
    assert any("--sheet" in n for n in res.notes)
    with pytest.raises(UsageError, match="no sheet 'Nope'") as info:
        import_files(ws, [book], platform="x", sheet="Nope", progress=False)
    assert "'Posts'" in str(info.value) and "'Archive'" in str(info.value)


def test_sheet_option_on_a_csv_is_refused_not_ignored(ws: Workspace, tmp_path: Path) -> None:
    csv = tmp_path / "posts.csv"
    csv.write_text("post_id,created_at\n1,2024-05-08\n", encoding="utf-8")
    with pytest.raises(UsageError, match="--sheet applies to spreadsheet workbooks"):
        import_files(ws, [csv], platform="x", sheet="Posts", progress=False)
    assert len(ws.table("posts")) == 0


def test_no_recognisable_sheet_is_refused_with_the_sheet_names(ws: Workspace, tmp_path: Path) -> None:
    book = _book(tmp_path / "odd.xlsx", {"Summary": SUMMARY, "Notes": [["Remember", "to", "post"]]})
    with pytest.raises(IngestError, match="no sheet of the workbook") as info:
        import_files(ws, [book], platform="x", progress=False)
    assert "'Summary'" in str(info.value) and "--sheet" in str(info.value)
    # with --map the sheet whose columns it names is the one read
    mapped = _book(tmp_path / "mapped.xlsx", {"Summary": SUMMARY, "Data": [["Link", "When"], ["a", "2024-05-08"]]})
    [res] = import_files(ws, [mapped], platform="x", mapping={"post_id": "Link", "created_at": "When"}, progress=False)
    assert res.file.endswith("!Data") and res.per_table["posts"][0] == 1


def test_dry_run_of_a_workbook_writes_nothing(tmp_path: Path) -> None:
    book = _book(tmp_path / "report.xlsx", {"Summary": SUMMARY, "Posts": POSTS})
    result, shown = dry_run(None, book, platform="instagram")
    assert result.file.endswith("report.xlsx!Posts")
    assert [r["post_id"] for r in shown["posts"]] == ["101", "103"]
    assert not (tmp_path / "signalboost.duckdb").exists()


def test_a_failed_workbook_import_changes_nothing_and_names_the_sheet(ws: Workspace, tmp_path: Path) -> None:
    import_files(ws, [_book(tmp_path / "a.xlsx", {"Posts": POSTS})], platform="instagram", progress=False)
    before = ws.query("SELECT count(*) FROM imports").item()
    undated = [["Post ID", "Date", "Likes"], ["201", "soon", 1], ["202", "later", 2]]
    book = _book(tmp_path / "b.xlsx", {"Posts": undated})
    with pytest.raises(IngestError, match="cannot recognise the dates") as info:
        import_files(ws, [book], platform="instagram", progress=False)
    assert info.value.where == f"{book}!Posts"  # the workbook and sheet, never the temporary CSV
    assert ws.query("SELECT count(*) FROM imports").item() == before
    assert len(ws.table("posts")) == 2


def test_ids_past_15_digits_are_flagged(ws: Workspace, tmp_path: Path) -> None:
    rows = [["Post ID", "Date"], [1790000000000000001, "2024-05-08"]]
    [res] = import_files(ws, [_book(tmp_path / "ids.xlsx", {"Posts": rows})], platform="x", progress=False)
    assert any("Post ID" in w and "15 significant digits" in w for w in res.warnings)
