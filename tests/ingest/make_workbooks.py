"""Spreadsheet workbooks for the tests: :func:`write_xlsx` and :func:`write_ods` (used by ``test_workbooks.py``,
``test_facebook_uci.py`` and below), and the corpus's committed workbooks (``tests/data/ingest/corpus/real/*.xlsx``,
``*.xls``, ``*.ods``) written from the layouts their tools document.

Run from the repository: ``python -m tests.ingest.make_workbooks [FOLDER]`` (default: the corpus's ``real/``; needs
openpyxl, from the test extra; the ``.xls`` needs ``xlwt``, e.g. ``pip install --target /tmp/xlwt xlwt`` and
``PYTHONPATH=/tmp/xlwt``). The files are committed; this script documents how they were made and what each cell
holds. Layouts:

- YouTube Studio "Export current view": sheets ``Table data`` (per video, a ``Total`` row first), ``Chart data``
  and ``Totals``, as the CSV zip's three files; publish dates as Excel date cells.
- Facebook Page Insights post export (Excel, 2012-2018): first sheet ``Key Metrics`` with the row of column
  descriptions under the header, then one sheet per breakdown; ``Posted`` as Excel date-time cells.
- Meta Business Suite post export opened in Excel and given a summary sheet first (``Summary``: metric/value),
  ``Publish time`` as plain serial numbers (a date column that lost its format).
- LinkedIn page analytics content export: sheet ``Metrics`` (per day) first, then ``All posts`` with a title line
  above the header; ``Created date`` as date cells; one count typed as text ``1,5``.
- A posts sheet of one's own (ids typed as numbers, dates as serials) as ``.xlsx``, ``.ods`` and ``.xls``.
"""

from __future__ import annotations

import sys
import zipfile
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parents[1] / "data" / "ingest" / "corpus" / "real"


def write_xlsx(path: Path, sheets: Mapping[str, Sequence[Sequence[Any]]], *, mac_1904: bool = False) -> Path:
    """An .xlsx with one sheet per ``sheets`` entry (name → rows, in order), cells as given (numbers stay numbers,
    ``datetime`` cells are date cells); ``mac_1904``: saved in the 1904 date system (old Excel for Mac)."""
    import openpyxl

    wb = openpyxl.Workbook()
    if mac_1904:
        from openpyxl.utils.datetime import CALENDAR_MAC_1904

        wb.epoch = CALENDAR_MAC_1904
    wb.remove(wb.active)
    for name, rows in sheets.items():
        sheet = wb.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
    wb.save(path)
    return path


def _ods_cell(value: object) -> str:
    if isinstance(value, str):
        kind, shown = 'office:value-type="string"', escape(value)
    elif isinstance(value, datetime):
        kind, shown = f'office:value-type="date" office:date-value="{value.isoformat()}"', value.isoformat()
    else:
        kind, shown = f'office:value-type="float" office:value="{value}"', str(value)
    return f"<table:table-cell {kind}><text:p>{shown}</text:p></table:table-cell>"


def write_ods(path: Path, rows: Sequence[Sequence[Any]], *, null_date: str | None = None, sheet: str = "Posts") -> Path:
    """A minimal OpenDocument spreadsheet by hand (its three required parts: mimetype, manifest, content.xml), one
    sheet of ``rows``: strings as string cells, ``datetime`` as date cells, anything else as a float cell;
    ``null_date``: the ``table:null-date`` serial numbers count from (LibreOffice's setting; none: not written)."""
    body = "".join("<table:table-row>" + "".join(_ods_cell(v) for v in row) + "</table:table-row>" for row in rows)
    ns = (
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
    )
    settings = (
        f'<table:calculation-settings><table:null-date table:date-value="{null_date}"/></table:calculation-settings>'
        if null_date
        else ""
    )
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns} office:version="1.2">'
        f"<office:body><office:spreadsheet>{settings}"
        f'<table:table table:name="{escape(sheet)}">{body}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
        zf.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return path


def serial(moment: datetime) -> float:
    """Excel's serial number of a wall time (days since 1899-12-30)."""
    delta = moment - datetime(1899, 12, 30)
    return delta.days + delta.seconds / 86400


def youtube() -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Table data"
    ws.append(
        [
            "Content",
            "Video title",
            "Video publish time",
            "Duration",
            "Views",
            "Watch time (hours)",
            "Subscribers",
            "Im\u00adpressions",
            "Impressions click-through rate (%)",
        ]
    )
    ws.append(["Total", None, None, None, 1500, 100.5, 12, 20000, 4.1])
    ws.append(["dQw4w9WgXcQ", "How we make shoes", date(2024, 3, 5), 212, 1000, 70.2, 10, 15000, 4.5])
    ws.append(["abcDEF12345", "Shoes, part 2", date(2024, 3, 12), 180, 500, 30.3, 2, 5000, 3.2])
    for row in (3, 4):
        ws.cell(row, 3).number_format = "mmm d, yyyy"
    chart = wb.create_sheet("Chart data")
    chart.append(["Date", "Content", "Video title", "Video publish time", "Views"])
    chart.append([date(2024, 3, 5), "dQw4w9WgXcQ", "How we make shoes", date(2024, 3, 5), 400])
    totals = wb.create_sheet("Totals")
    totals.append(["Date", "Views"])
    totals.append([date(2024, 3, 5), 400])
    wb.save(HERE / "youtube_studio_export.xlsx")


def insights() -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Key Metrics"
    ws.append(
        [
            "Post ID",
            "Permalink",
            "Post Message",
            "Type",
            "Countries",
            "Languages",
            "Posted",
            "Audience Targeting",
            "Lifetime Post Total Reach",
            "Lifetime Post organic reach",
            "Lifetime Post Paid Reach",
            "Lifetime Post Total Impressions",
            "Lifetime Engaged Users",
        ]
    )
    ws.append(
        [None] * 8
        + [
            "Lifetime: The number of people who had your Page's post enter their screen. (Unique Users)",
            "Lifetime: The number of people who had your Page's post enter their screen through unpaid "
            "distribution. (Unique Users)",
            "Lifetime: The number of people who had your Page's post enter their screen through paid "
            "distribution. (Unique Users)",
            "Lifetime: The number of times your Page's post entered a person's screen. (Total Count)",
            "Lifetime: The number of unique people who engaged in certain ways with your Page post. (Unique Users)",
        ]
    )
    ws.append(
        [
            "1234_5001",
            "https://www.facebook.com/1234/posts/5001",
            "Hello 2018",
            "Photo",
            None,
            None,
            datetime(2018, 3, 15, 10, 30),
            None,
            1204,
            1100,
            104,
            2511,
            87,
        ]
    )
    ws.append(
        [
            "1234_5002",
            "https://www.facebook.com/1234/posts/5002",
            "Second post",
            "Link",
            None,
            None,
            datetime(2018, 3, 20, 16, 5),
            None,
            300,
            300,
            0,
            420,
            12,
        ]
    )
    for row in (3, 4):
        ws.cell(row, 7).number_format = "mm/dd/yyyy hh:mm:ss AM/PM"
    other = wb.create_sheet("Lifetime Post Stories by act")
    other.append(["Post ID", "Permalink", "Posted", "share", "like", "comment"])
    other.append(["1234_5001", "https://www.facebook.com/1234/posts/5001", datetime(2018, 3, 15, 10, 30), 3, 40, 5])
    wb.save(HERE / "facebook_insights_key_metrics.xlsx")


def business_suite() -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Summary"
    ws.append(["Facebook posts, 1 Apr 2018 - 31 Aug 2018"])
    ws.append(["Metric", "Value"])
    ws.append(["Impressions", 3000])
    ws.append(["Reach", 2300])
    posts = wb.create_sheet("Posts")
    posts.append(
        [
            "Post ID",
            "Page ID",
            "Page name",
            "Title",
            "Description",
            "Publish time",
            "Permalink",
            "Post type",
            "Date",
            "Impressions",
            "Reach",
            "Reactions",
            "Comments",
            "Shares",
        ]
    )
    posts.append(
        [
            "1234_5678",
            1234,
            "Brand",
            None,
            "Spring drop",
            serial(datetime(2018, 4, 11, 4, 53)),
            "https://facebook.com/1234/posts/5678",
            "Photos",
            "Lifetime",
            1000,
            800,
            50,
            4,
            2,
        ]
    )
    posts.append(
        [
            "1234_5679",
            1234,
            "Brand",
            None,
            "Summer drop",
            serial(datetime(2018, 8, 1, 7, 38)),
            "https://facebook.com/1234/posts/5679",
            "Videos",
            "Lifetime",
            2000,
            1500,
            80,
            9,
            5,
        ]
    )
    wb.save(HERE / "business_suite_summary_sheet_first.xlsx")


def linkedin() -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Metrics"
    ws.append(["Aggregated metrics for the selected date range"])
    ws.append(["Date", "Impressions (organic)", "Impressions (sponsored)", "Clicks (total)"])
    ws.append([date(2024, 8, 1), 1204, 0, 31])
    posts = wb.create_sheet("All posts")
    posts.append(["Content metrics for posts created within the selected date range."])
    posts.append(
        [
            "Post title",
            "Post link",
            "Post type",
            "Campaign name",
            "Posted by",
            "Created date",
            "Impressions",
            "Clicks",
            "Likes",
            "Comments",
        ]
    )
    base = "https://www.linkedin.com/feed/update/urn:li:activity:710000000000000000"
    posts.append(["We are hiring!", base + "1", "Organic", None, "Jo", date(2024, 8, 1), 1204, 31, 44, 8])
    posts.append(["Product launch", base + "2", "Organic", None, "Jo", date(2024, 8, 15), 980, 12, 10, 2])
    posts.append(["Bad count", base + "3", "Organic", None, "Jo", date(2024, 8, 20), 500, "1,5", 3, 0])
    wb.save(HERE / "linkedin_content_export.xlsx")


#: A posts sheet of one's own: id, date (a serial number without a date format), text, likes, rate.
OWN = [
    ["Post ID", "Date", "Text", "Likes", "Engagement rate"],
    [12, serial(datetime(2024, 5, 8, 14, 30)), "Twelve", 30, 0.1 + 0.2],
    [13, serial(datetime(2024, 5, 9)), "Thirteen", 7.0, 0.25],
]


def own_xlsx() -> None:
    write_xlsx(HERE / "own_posts_serial_dates.xlsx", {"Posts": OWN})


def own_xls() -> None:
    import xlwt  # type: ignore[import-untyped]

    wb = xlwt.Workbook()
    ws = wb.add_sheet("Posts")
    for i, row in enumerate(OWN):
        for j, value in enumerate(row):
            ws.write(i, j, value)
    wb.save(str(HERE / "own_posts_excel97.xls"))


def own_ods() -> None:
    """The own posts sheet as LibreOffice saves it, with the date as a date cell."""
    rows = [
        OWN[0],
        [12, datetime(2024, 5, 8, 14, 30), "Twelve", 30, 0.3],
        [13, datetime(2024, 5, 9), "Thirteen", 7, 0.25],
    ]
    write_ods(HERE / "own_posts_libreoffice.ods", rows)


if __name__ == "__main__":
    if len(sys.argv) > 1:
        HERE = Path(sys.argv[1])
    youtube()
    insights()
    business_suite()
    linkedin()
    own_xlsx()
    own_ods()
    try:
        own_xls()
    except ImportError:
        print("xlwt not installed: the .xls was not rewritten")
