"""Spreadsheet workbooks (.xlsx, .xls, .ods) read like the CSV of one sheet (signalboost.ingest.workbook)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest

from signalboost.errors import IngestError, UsageError
from signalboost.ingest import import_files
from signalboost.ingest.pipeline import dry_run
from signalboost.ingest.workbook import cell_text, serial_text
from signalboost.store.workspace import Workspace
from tests.ingest.make_workbooks import write_ods, write_xlsx

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
    book = write_xlsx(tmp_path / "report.xlsx", {"Summary": SUMMARY, "Posts": POSTS})
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
    book = write_xlsx(tmp_path / "report.xlsx", {"Posts": POSTS})
    [first] = import_files(ws, [book], platform="instagram", progress=False)
    [again] = import_files(ws, [book], platform="instagram", progress=False)
    assert first.per_table["posts"][0] == 2
    assert again.per_table["posts"] == (0, 2, 0)
    assert len(ws.table("posts")) == 2


def test_sheet_option_chooses_and_names_the_sheets_when_wrong(ws: Workspace, tmp_path: Path) -> None:
    other = [["Post ID", "Date", "Text"], ["900", "2024-06-01 10:00", "From the archive sheet"]]
    book = write_xlsx(tmp_path / "two.xlsx", {"Posts": POSTS, "Archive": other})
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
    book = write_xlsx(tmp_path / "odd.xlsx", {"Summary": SUMMARY, "Notes": [["Remember", "to", "post"]]})
    with pytest.raises(IngestError, match="no sheet of the workbook") as info:
        import_files(ws, [book], platform="x", progress=False)
    assert "'Summary'" in str(info.value) and "--sheet" in str(info.value)
    # with --map the sheet whose columns it names is the one read
    mapped = write_xlsx(tmp_path / "mapped.xlsx", {"Summary": SUMMARY, "Data": [["Link", "When"], ["a", "2024-05-08"]]})
    [res] = import_files(ws, [mapped], platform="x", mapping={"post_id": "Link", "created_at": "When"}, progress=False)
    assert res.file.endswith("!Data") and res.per_table["posts"][0] == 1


def test_dry_run_of_a_workbook_writes_nothing(tmp_path: Path) -> None:
    book = write_xlsx(tmp_path / "report.xlsx", {"Summary": SUMMARY, "Posts": POSTS})
    result, shown = dry_run(None, book, platform="instagram")
    assert result.file.endswith("report.xlsx!Posts")
    assert [r["post_id"] for r in shown["posts"]] == ["101", "103"]
    assert not (tmp_path / "signalboost.duckdb").exists()


def test_a_failed_workbook_import_changes_nothing_and_names_the_sheet(ws: Workspace, tmp_path: Path) -> None:
    import_files(ws, [write_xlsx(tmp_path / "a.xlsx", {"Posts": POSTS})], platform="instagram", progress=False)
    before = ws.query("SELECT count(*) FROM imports").item()
    undated = [["Post ID", "Date", "Likes"], ["201", "soon", 1], ["202", "later", 2]]
    book = write_xlsx(tmp_path / "b.xlsx", {"Posts": undated})
    with pytest.raises(IngestError, match="cannot recognise the dates") as info:
        import_files(ws, [book], platform="instagram", progress=False)
    assert info.value.where == f"{book}!Posts"  # the workbook and sheet, never the temporary CSV
    assert ws.query("SELECT count(*) FROM imports").item() == before
    assert len(ws.table("posts")) == 2


def test_ids_past_15_digits_are_flagged(ws: Workspace, tmp_path: Path) -> None:
    rows = [["Post ID", "Date"], [1790000000000000001, "2024-05-08"]]
    [res] = import_files(ws, [write_xlsx(tmp_path / "ids.xlsx", {"Posts": rows})], platform="x", progress=False)
    assert any("Post ID" in w and "15 significant digits" in w for w in res.warnings)


# The helpers one by one, with values worked out from the module's rules (not from its output).


@pytest.mark.parametrize(
    ("value", "date_column", "text"),
    [
        (False, False, "false"),
        ("", False, ""),
        (0, False, "0"),  # an int cell (a .xls/.ods integer): not empty, not a date outside a date column
        (-3.0, False, "-3"),
        (1e16, False, "10000000000000000"),  # a whole float past 15 digits is still written as an integer
        (123456789.123456789, False, "123456789.123457"),  # 15 significant digits
        (timedelta(seconds=-90), False, "-0:01:30"),  # a negative duration keeps its sign once
        (timedelta(seconds=59.6), False, "0:01:00"),  # rounded to the second
        (float("nan"), True, "nan"),  # not a serial date even in a date column
        (float("inf"), False, "inf"),
        # the serial range is 1 … 2,958,465 (9999-12-31) inclusive: 0 and 2,958,466 stay numbers
        (1.0, True, "1899-12-31"),
        (0.0, True, "0"),
        (0.5, True, "0.5"),
        (2958465.0, True, "9999-12-31"),
        (2958466.0, True, "2958466"),
        (45420, True, "2024-05-08"),  # an int serial (a .xls date column that lost its format)
    ],
)
def test_cells_at_the_edges_of_the_rules(value: Any, date_column: bool, text: str) -> None:
    assert cell_text(value, date_column=date_column) == text


def test_serial_times_are_rounded_to_the_second() -> None:
    # 45420 + 1/86400 · 3661.4 = 01:01:01.4 -> 01:01:01; + 0.6 s more -> 01:01:02
    assert serial_text(45420.0 + 3661.4 / 86400) == "2024-05-08 01:01:01"
    assert serial_text(45420.0 + 3662.0 / 86400) == "2024-05-08 01:01:02"
    assert serial_text(45420.75) == "2024-05-08 18:00:00"


def test_the_header_is_the_first_of_four_rows_with_two_filled_cells() -> None:
    from signalboost.ingest.workbook import header_row

    assert header_row([["Title"], [None, ""], ["Date", "Likes"], ["x", 1]]) == 2
    assert header_row([["Date", "Likes"], ["a", "b"]]) == 0
    assert header_row([["Title", ""], ["Date", None, "Likes"]]) == 1  # "" and None are empty cells
    # past the fourth row there is no header to find: row 0 is the header (rejects follow from it)
    assert header_row([["a"], ["b"], ["c"], ["d"], ["Date", "Likes"]]) == 0
    assert header_row([]) == 0


def test_a_column_is_a_date_column_by_its_header_or_by_more_than_half_of_its_cells() -> None:
    from signalboost.ingest.workbook import date_columns

    def named_when(name: str) -> bool:
        return name == "When"

    rows: list[list[Any]] = [
        ["Title line"],
        ["When", "Mixed", "Half", "Likes", "Blank"],
        [45420, date(2024, 5, 8), date(2024, 5, 8), 3, None],
        [45421, date(2024, 5, 9), "n/a", 4, ""],
        [45422, "n/a", None, 5],
    ]
    # When: by its header; Mixed: 2 of 3 filled cells are dates; Half: 1 of 2 (not more than half); Likes: none
    assert date_columns(rows, named_when) == {0, 1}
    assert date_columns([], named_when) == set()
    # the header row itself is not counted among the cells
    assert date_columns([["Posted on", "x"], [1, 2]], lambda n: False) == set()
    assert date_columns([[date(2024, 1, 1), "x"], [date(2024, 1, 2), 2]], lambda n: False) == {0}


@pytest.mark.parametrize(
    ("name", "field", "dated"),
    [
        ("Date", None, True),
        ("Publish time", None, True),
        ("Post-Datum", None, True),
        ("When", "created_at", True),  # mapped to a date field
        ("Seen", "observed_at", True),
        ("Time", "occurred_at", True),
        ("Posts per date", None, False),  # a rate, not a date
        ("Update", None, False),  # 'date' inside another word is not the word
        ("Likes", None, False),
        ("Likes", "likes", False),
    ],
)
def test_a_date_header_is_a_date_word_or_a_date_field(name: str, field: str | None, dated: bool) -> None:
    from signalboost.ingest.workbook import looks_like_date_header

    assert looks_like_date_header(name, field) is dated


def test_sheet_text_writes_serials_only_below_the_header_and_names_inexact_columns_once() -> None:
    from signalboost.ingest.workbook import sheet_text

    big = float(2**53)  # the first whole number a double may have rounded
    rows: list[list[Any]] = [
        ["Date", "Post ID", "Other ID"],
        [45420.0, big, 2.0**53 - 1],
        [45421.0, big + 2, 12.0],
        [45422.0, 1.5e300, None],
    ]
    text, inexact = sheet_text(rows, lambda name: name == "Date")
    assert text[0] == ["Date", "Post ID", "Other ID"]
    assert [r[0] for r in text[1:]] == ["2024-05-08", "2024-05-09", "2024-05-10"]
    assert text[1][1] == "9007199254740992" and text[1][2] == "9007199254740991" and text[3][2] == ""
    assert inexact == ["Post ID"]  # 2^53 - 1 is exact; a column is named once
    # a number in the header row of a date column is a header, not a date; past the header's width: column number
    text, inexact = sheet_text([["Date", 2024.0], [45420.0, 1.0, big]], lambda name: name == "Date")
    assert text == [["Date", "2024"], ["2024-05-08", "1", "9007199254740992"]]
    assert inexact == ["3"]


def test_write_csv_pads_short_rows_and_quotes_what_needs_it(tmp_path: Path) -> None:
    from signalboost.ingest.workbook import write_csv

    target = tmp_path / "out.csv"
    write_csv([["a", "b", "c"], ["1"], ['say "hi", twice', "x\ny"]], target)
    assert target.read_bytes().decode("utf-8") == 'a,b,c\n1,,\n"say ""hi"", twice","x\ny",\n'
    write_csv([], target)
    assert target.read_text(encoding="utf-8") == ""


def test_is_workbook_by_name_or_by_content(tmp_path: Path) -> None:
    import zipfile

    from signalboost.ingest.workbook import is_workbook

    xlsx = write_xlsx(tmp_path / "renamed.csv", {"Posts": POSTS})  # an .xlsx saved under a .csv name
    assert is_workbook(xlsx, xlsx.read_bytes()[:8])
    plain = tmp_path / "plain.zip"
    with zipfile.ZipFile(plain, "w") as zf:
        zf.writestr("posts.csv", "a,b\n")
    assert not is_workbook(plain, plain.read_bytes()[:8])
    ods = tmp_path / "sheet.bin"
    with zipfile.ZipFile(ods, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", "<x/>")
    assert is_workbook(ods, ods.read_bytes()[:8])
    odt = tmp_path / "text.bin"
    with zipfile.ZipFile(odt, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        zf.writestr("content.xml", "<x/>")
    assert not is_workbook(odt, odt.read_bytes()[:8])
    ole = tmp_path / "old.dat"
    ole.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 8)
    assert is_workbook(ole, ole.read_bytes()[:8])
    assert is_workbook(tmp_path / "named.XLSX", b"") is False  # not a file
    (tmp_path / "named.XLSX").write_bytes(b"junk")
    assert is_workbook(tmp_path / "named.XLSX", b"junk")  # by its name (and then refused clearly if damaged)
    csv = tmp_path / "posts.csv"
    csv.write_text("a,b\n", encoding="utf-8")
    assert not is_workbook(csv, b"a,b\n")


def test_a_damaged_zip_is_not_taken_for_a_workbook(tmp_path: Path) -> None:
    from signalboost.ingest.workbook import is_workbook

    broken = tmp_path / "export.csv"  # starts like a zip, is not one: left to the CSV path and its errors
    broken.write_bytes(b"PK\x03\x04" + b"not a zip at all")
    assert not is_workbook(broken, broken.read_bytes()[:8])


def test_a_chart_sheet_and_a_hidden_sheet_are_passed_over(ws: Workspace, tmp_path: Path) -> None:
    """A chart sheet first (not a worksheet) and a hidden sheet of posts: the visible sheet of posts is read, and
    the hidden one only when --sheet names it."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    wb.create_chartsheet("Chart")
    hidden = wb.create_sheet("Old posts")
    for row in [["Post ID", "Date", "Text"], ["1", "2023-01-02 10:00", "old"]]:
        hidden.append(row)
    hidden.sheet_state = "hidden"
    shown = wb.create_sheet("Posts")
    for row in [["Post ID", "Date", "Text"], ["2", "2024-05-08 10:00", "new"]]:
        shown.append(row)
    book = tmp_path / "charts.xlsx"
    wb.save(book)
    [res] = import_files(ws, [book], platform="x", progress=False)
    assert res.file == f"{book}!Posts"
    assert ws.query("SELECT post_id FROM posts").to_series().to_list() == ["2"]
    [res] = import_files(ws, [book], platform="x", sheet="Old posts", progress=False)
    assert sorted(ws.query("SELECT post_id FROM posts").to_series().to_list()) == ["1", "2"]


def test_serials_of_a_1904_workbook_count_from_1904_01_01(ws: Workspace, tmp_path: Path) -> None:
    from signalboost.ingest.workbook import date_epoch

    # 1904-01-01 to 2024-01-01: 120 years of 365 days + 30 leap days (1904 … 2020) = 43,830 days; 2024-05-08 is
    # 31 + 29 + 31 + 30 + 7 = 128 days later: serial 43,958 (the 1900 system's 45,420 less 1,462)
    rows: list[list[Any]] = [
        ["Post ID", "Date", "Text"],
        [201, 43958.0, "whole serial: a date"],
        [202, 43958 + (14 * 60 + 30) / 1440, "serial with a time"],
        [203, datetime(2024, 5, 9, 8, 0), "a date cell (converted by calamine)"],
    ]
    book = write_xlsx(tmp_path / "mac.xlsx", {"Posts": rows}, mac_1904=True)
    assert date_epoch(book) == datetime(1904, 1, 1)
    assert date_epoch(write_xlsx(tmp_path / "pc.xlsx", {"Posts": POSTS})) == datetime(1899, 12, 30)
    assert serial_text(43958.0, epoch=datetime(1904, 1, 1)) == "2024-05-08"
    [res] = import_files(ws, [book], platform="x", timezone="UTC", progress=False)
    rows_ = ws.query("SELECT post_id, created_at, date_only FROM posts").to_dicts()
    got = {r["post_id"]: (r["created_at"].astimezone(UTC).replace(tzinfo=None), r["date_only"]) for r in rows_}
    assert got == {
        "201": (datetime(2024, 5, 8, 0, 0), True),
        "202": (datetime(2024, 5, 8, 14, 30), False),
        "203": (datetime(2024, 5, 9, 8, 0), False),
    }, got
    assert any("1904 date system" in str(n) for n in res.notes), res.notes


def test_the_1904_flag_is_read_in_its_spellings_and_the_serial_range_shrinks(tmp_path: Path) -> None:
    import zipfile

    from signalboost.ingest.workbook import date_epoch

    for attr, epoch in (('date1904="true"', 1904), ("date1904='1'", 1904), ('date1904="0"', 1899), ("", 1899)):
        path = tmp_path / f"b{len(attr)}{epoch}.xlsx"
        with zipfile.ZipFile(path, "w") as zf:
            zf.writestr("xl/workbook.xml", f'<x:workbook xmlns:x="s"><x:workbookPr {attr} codeName="A"/></x:workbook>')
        assert date_epoch(path).year == epoch, attr
    assert date_epoch(tmp_path / "missing.xlsx").year == 1899  # unreadable: the 1900 system (the open reports it)
    mac = datetime(1904, 1, 1)
    # 9999-12-31 is serial 2,958,465 - 1,462 in the 1904 system; one more stays a number (no overflow)
    assert cell_text(2958465.0 - 1462, date_column=True, epoch=mac) == "9999-12-31"
    assert cell_text(2958465.0 - 1461, date_column=True, epoch=mac) == "2957004"


def test_a_workbooks_summary_says_nothing_about_an_encoding(
    ws: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from signalboost.cli.main import main

    book = write_xlsx(tmp_path / "report.xlsx", {"Posts": POSTS})
    [res] = import_files(ws, [book], platform="instagram", progress=False)
    assert not any("encoding" in str(n) for n in res.notes), res.notes
    again = write_xlsx(tmp_path / "again.xlsx", {"Posts": POSTS})
    assert main(["import", str(again), "--platform", "instagram", "-w", str(ws.root)]) == 0
    out = capsys.readouterr().out
    assert "read sheet 'Posts'" in out and "encoding" not in out, out
    csv = tmp_path / "posts.csv"  # a text file still says its encoding
    csv.write_text("Post ID,Date,Text\n104,2024-05-11,Fourth\n", encoding="utf-8")
    [res] = import_files(ws, [csv], platform="instagram", progress=False)
    assert any("encoding: utf-8" in str(n) for n in res.notes), res.notes


def test_an_ods_null_date_sets_the_day_serials_count_from(ws: Workspace, tmp_path: Path) -> None:
    from signalboost.ingest.workbook import date_epoch

    rows: list[list[Any]] = [["Post ID", "Date", "Text"], [301, 43958.5, "noon"]]  # 1904 system: 2024-05-08 12:00
    mac = write_ods(tmp_path / "mac.ods", rows, null_date="1904-01-01")
    assert date_epoch(mac) == datetime(1904, 1, 1)
    assert date_epoch(write_ods(tmp_path / "plain.ods", rows, null_date=None)) == datetime(1899, 12, 30)
    assert date_epoch(write_ods(tmp_path / "star.ods", rows, null_date="1900-01-01")) == datetime(1900, 1, 1)
    [res] = import_files(ws, [mac], platform="x", timezone="UTC", progress=False)
    [row] = ws.query("SELECT post_id, created_at FROM posts").to_dicts()
    assert row["created_at"].astimezone(UTC).replace(tzinfo=None) == datetime(2024, 5, 8, 12, 0)
    assert any("1904 date system" in str(n) for n in res.notes), res.notes
    # StarCalc 1.0's day 0 (1900-01-01) is said with its date: 45420 days later is 2024-05-10
    [res] = import_files(
        ws,
        [write_ods(tmp_path / "star2.ods", [rows[0], [302, 45420.0, "x"]], null_date="1900-01-01")],
        platform="x",
        timezone="UTC",
        progress=False,
    )
    assert any("counted from 2024" not in str(n) and "1900-01-01" in str(n) for n in res.notes), res.notes
    day = ws.query("SELECT created_at FROM posts WHERE post_id = '302'").to_dicts()[0]["created_at"]
    assert day.astimezone(UTC).date() == date(2024, 5, 10)


def test_empty_text_cells_do_not_count_against_a_date_column() -> None:
    # calamine gives "" for an empty cell: one date and two empty cells is a date column (1 of 1 filled cells)
    from signalboost.ingest.workbook import date_columns

    assert date_columns([["When", "x"], [date(2024, 5, 8), 1], ["", 2], ["", 3]], lambda name: False) == {0}


def test_a_refused_workbook_says_why(ws: Workspace, tmp_path: Path) -> None:
    numbers = tmp_path / "posts.numbers"
    numbers.write_bytes(b"PK\x03\x04junk")
    with pytest.raises(IngestError, match=r"spreadsheet workbook \(an Apple Numbers file\)"):
        import_files(ws, [numbers], platform="x", progress=False)


def _rewrite_sheet(book: Path, target: Path, edit: Any) -> Path:
    """A copy of ``book`` whose first sheet's XML is ``edit(xml)`` (what Excel writes that openpyxl cannot)."""
    import zipfile

    with zipfile.ZipFile(book) as zin, zipfile.ZipFile(target, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = edit(data.decode()).encode()
            zout.writestr(info, data)
    return target


def test_rows_of_formulas_showing_nothing_below_the_posts_are_not_rows(ws: Workspace, tmp_path: Path) -> None:
    """A formula column filled down past the data (``=IF(A3="","",A3*2)``) is saved with a cached empty text in
    each row: calamine reads those rows as cells of "" — they are no posts, no rejects."""
    import re

    rows = [["Post ID", "Date", "Text", "Likes"], [1, "2024-05-08", "First", 3], [2, "2024-05-09", "Second", 4]]
    plain = write_xlsx(tmp_path / "plain.xlsx", {"Posts": rows})

    def filled_down(xml: str) -> str:
        extra = "".join(
            f'<row r="{r}"><c r="D{r}" t="str"><f>IF(A{r}="","",A{r}*2)</f><v></v></c></row>' for r in range(4, 9)
        )
        xml = re.sub(r'<dimension ref="[^"]*"/>', '<dimension ref="A1:D8"/>', xml)
        return xml.replace("</sheetData>", extra + "</sheetData>")

    book = _rewrite_sheet(plain, tmp_path / "filled.xlsx", filled_down)
    [res] = import_files(ws, [book], platform="x", progress=False)
    assert (res.rows_read, res.rows_rejected, res.skipped) == (2, 0, {}), res
    assert sorted(ws.query("SELECT post_id FROM posts").to_series().to_list()) == ["1", "2"]


def test_a_sheet_that_cannot_be_read_is_refused_naming_the_sheet_and_the_file(ws: Workspace, tmp_path: Path) -> None:
    """The workbook opens but one sheet's XML is cut off (a damaged download): the error names the workbook, the
    sheet and what calamine found (an XmlError), and nothing is stored."""
    plain = write_xlsx(tmp_path / "plain.xlsx", {"Posts": POSTS, "Other": [["a", "b"]]})
    book = _rewrite_sheet(plain, tmp_path / "cut.xlsx", lambda xml: xml[: len(xml) // 2] + '<c r="Z9"><v>1</v></c><<')
    for sheet in (None, "Posts"):
        with pytest.raises(IngestError) as err:
            import_files(ws, [book], platform="x", sheet=sheet, progress=False)
        assert err.value.where == str(book)
        assert "spreadsheet workbook (Posts: XmlError)" in str(err.value), str(err.value)
    assert ws.query("SELECT count(*) AS n FROM posts")["n"][0] == 0


def _ods_content(
    before_table: str, after_first_table: str = "", table_tag: str = '<table:table table:name="Posts">'
) -> str:
    ns = 'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="t" xmlns:text="x"'
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns}><office:body><office:spreadsheet>'
        f"{before_table}{table_tag}<table:table-row/>{after_first_table}</table:table>"
        "</office:spreadsheet></office:body></office:document-content>"
    )


def test_an_ods_null_date_is_read_from_the_settings_before_its_first_table(tmp_path: Path) -> None:
    """The settings (``table:calculation-settings``) precede the sheets in content.xml (ODF 1.2 §9.4.1). They are
    found after a long block of content validations (read over several 64 KiB reads), and the reading stops at the
    first table: an .ods can hold hundreds of MB of cells, and a null-date-like text past the first table is not
    the document's setting."""
    import zipfile

    from signalboost.ingest.workbook import date_epoch

    mac = '<table:calculation-settings><table:null-date table:date-value="1904-01-01"/></table:calculation-settings>'
    validations = "<table:content-validations>" + '<table:content-validation table:name="v"/>' * 4000
    validations += "</table:content-validations>"  # about 170 KB
    assert len(validations) > 2 * (1 << 16)
    filler = "<table:table-row><table:table-cell><text:p>" + "x" * 80 + "</text:p></table:table-cell></table:table-row>"
    late = filler * (90_000 // len(filler)) + mac  # past the first 64 KiB read, within 128 KiB
    cases = {
        "long_settings": (_ods_content(mac + validations), datetime(1904, 1, 1)),
        "late": (_ods_content("", late), datetime(1899, 12, 30)),
        "late_bare_tag": (_ods_content("", late, table_tag="<table:table>"), datetime(1899, 12, 30)),
        "no_table": (_ods_content(mac).split("<table:table ")[0], datetime(1904, 1, 1)),
    }
    for name, (content, epoch) in cases.items():
        path = tmp_path / f"{name}.ods"
        with zipfile.ZipFile(path, "w") as zf:
            zf.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
            zf.writestr("content.xml", content)
        assert date_epoch(path) == epoch, name


def test_a_refused_workbook_is_named_and_calamines_reason_is_given(ws: Workspace, tmp_path: Path) -> None:
    """Each refusal names the file (``where``) and says what was wrong: calamine's error class and the first line
    of its message (an .xlsx zip without its _rels part, an .xls whose compound-file header is zeros)."""
    import zipfile

    xlsx = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(xlsx, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
    xls = tmp_path / "broken.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    numbers = tmp_path / "posts.numbers"
    numbers.write_bytes(b"PK\x03\x04junk")
    reasons = {
        xlsx: "(CalamineError: File not found '_rels/.rels')",
        xls: "(CalamineError: Cfb error: Invalid sector shift",
        numbers: "(an Apple Numbers file)",
    }
    for path, reason in reasons.items():
        with pytest.raises(IngestError) as err:
            import_files(ws, [path], platform="x", progress=False)
        assert err.value.where == str(path)
        assert f"cannot read the spreadsheet workbook {reason}" in str(err.value), str(err.value)


def test_a_workbook_past_the_decompression_limit_is_refused_by_name(
    ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An .xlsx is a zip: its unpacked size counts against SIGNALBOOST_MAX_UNCOMPRESSED like any archive's."""
    book = write_xlsx(tmp_path / "big.xlsx", {"Posts": POSTS})
    monkeypatch.setenv("SIGNALBOOST_MAX_UNCOMPRESSED", "4000")  # the workbook's parts hold more than 4,000 bytes
    with pytest.raises(IngestError, match="decompression limit") as err:
        import_files(ws, [book], platform="x", progress=False)
    assert err.value.where == str(book)
    assert ws.query("SELECT count(*) AS n FROM posts")["n"][0] == 0


def test_durations_small_numbers_and_numeric_headers_of_date_columns() -> None:
    from signalboost.ingest.workbook import sheet_text

    assert cell_text(timedelta(0)) == "0:00:00"  # no sign on a zero duration
    assert cell_text(timedelta(milliseconds=400)) == "0:00:00"  # rounds to 0 s: no "-" either
    assert cell_text(timedelta(seconds=-1)) == "-0:00:01"
    assert cell_text(1.5e-07) == "1.5e-07"  # Python's and Excel's CSV exponent is written in lower case
    # a column of dates under a year as its header (a pivot sheet): the header is no serial date, and a header
    # of 2^53 is no inexact id
    rows: list[list[Any]] = [["Post ID", 2024.0, 9007199254740992.0], [1, date(2024, 5, 8), 3.0]]
    text, inexact = sheet_text(rows, lambda name: False)
    assert text == [["Post ID", "2024", "9007199254740992"], ["1", "2024-05-08", "3"]]
    assert inexact == []


XLS_1900 = Path(__file__).parent.parent / "data" / "ingest" / "corpus" / "real" / "own_posts_excel97.xls"


def _xls_in_1904(path: Path) -> Path:
    """The committed Excel 97 workbook turned into a 1904-system one, as Excel for Mac saves it: its DATEMODE record
    (0x0022, followed by CALCPRECISION 0x000E) set to 1, and its two serials re-counted from 1904-01-01 (less
    1,462 days): post 12's NUMBER 45420.604166… (2024-05-08 14:30) -> 43958.604166…, post 13's RK integer 45421
    (2024-05-09) -> 43959 (an RK integer is stored as ``n << 2 | 2``)."""
    import struct

    data = XLS_1900.read_bytes()
    mode = bytes.fromhex("2200020000000e000200")
    assert data.count(mode) == 1
    data = data.replace(mode, bytes.fromhex("2200020001000e000200"))
    for old, new in (
        (struct.pack("<d", 45420 + 14.5 / 24), struct.pack("<d", 43958 + 14.5 / 24)),
        (struct.pack("<I", 45421 << 2 | 2), struct.pack("<I", 43959 << 2 | 2)),
    ):
        assert data.count(old) == 1
        data = data.replace(old, new)
    path.write_bytes(data)
    return path


def test_an_xls_in_the_1904_date_system_counts_from_1904_01_01(ws: Workspace, tmp_path: Path) -> None:
    from signalboost.ingest.workbook import date_epoch

    assert date_epoch(XLS_1900) == datetime(1899, 12, 30)
    book = _xls_in_1904(tmp_path / "mac.xls")
    assert date_epoch(book) == datetime(1904, 1, 1)
    [res] = import_files(ws, [book], platform="x", timezone="UTC", progress=False)
    rows_ = ws.query("SELECT post_id, created_at FROM posts").to_dicts()
    got = {r["post_id"]: r["created_at"].astimezone(UTC).replace(tzinfo=None) for r in rows_}
    assert got == {"12": datetime(2024, 5, 8, 14, 30), "13": datetime(2024, 5, 9)}, got
    assert any("1904 date system" in str(n) for n in res.notes), res.notes
