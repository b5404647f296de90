"""Dates as people write them (signalboost.ingest.dates + store.ingest_dates_sql): every style of the issue,
mixed columns, day/month evidence, two-digit years, time zones, date-only flags and the plausible window.
Expected values are written by hand from the calendar, not taken from the code."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from signalboost.ingest import import_files
from signalboost.ingest.dates import Evidence, implausible, infer_plan, shape_of
from signalboost.store.ingest_dates_sql import date_only_sql, date_sql
from signalboost.store.ingest_sql import lit
from signalboost.store.workspace import Workspace


def _read(values: list[str], tz: str = "UTC", formats: tuple[str, ...] = ()) -> list[datetime | None]:
    counts: dict[str, int] = {}
    for v in values:
        s = shape_of(v)
        if s:
            counts[s] = counts.get(s, 0) + 1
    plan = infer_plan("d", counts, Evidence.of(values), timezone=tz, formats=formats)
    con = duckdb.connect()
    return [con.execute(f"SELECT {date_sql(lit(v), plan)}").fetchall()[0][0] for v in values]


def U(*a: int) -> datetime:
    return datetime(*a, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2020-05-08T14:30:00Z", U(2020, 5, 8, 14, 30)),
        ("2020-05-08 14:30:00+02:00", U(2020, 5, 8, 12, 30)),
        ("2020-05-08", U(2020, 5, 8)),
        ("1588948200", U(2020, 5, 8, 14, 30)),
        ("1588948200000", U(2020, 5, 8, 14, 30)),
        ("999999999", U(2001, 9, 9, 1, 46, 39)),  # 9-digit epoch (read right, then refused by the window)
        ("5/8/20", U(2020, 5, 8)),
        ("5/8/2020 2:30 PM", U(2020, 5, 8, 14, 30)),
        ("05-08-2020 14:30:15", U(2020, 5, 8, 14, 30, 15)),
        ("2020/05/08 14:30", U(2020, 5, 8, 14, 30)),
        ("8.5.2020 14:30", U(2020, 5, 8, 14, 30)),
        ("May 8, 2020", U(2020, 5, 8)),
        ("8 May 2020 14:30", U(2020, 5, 8, 14, 30)),
        ("Friday, May 8, 2020 at 2:30 pm", U(2020, 5, 8, 14, 30)),
        ("September 8th, 2020", U(2020, 9, 8)),
    ],
)
def test_each_style_alone(value: str, expected: datetime) -> None:
    assert _read([value]) == [expected]


def test_facebook_mixed_column_of_the_issue() -> None:
    """'8/1/12 7:38' beside '04/11/2018 04:53' (and a month-first witness): never the year 0012."""
    got = _read(["8/1/12 7:38", "04/11/2018 04:53", "12/31/2017 23:59"])
    assert got == [U(2012, 8, 1, 7, 38), U(2018, 4, 11, 4, 53), U(2017, 12, 31, 23, 59)]


def test_two_digit_years_map_into_1970_2069() -> None:
    assert _read(["1/2/69", "1/2/70", "1/2/99", "1/2/00"]) == [
        U(2069, 1, 2),
        U(1970, 1, 2),
        U(1999, 1, 2),
        U(2000, 1, 2),
    ]


def test_day_first_by_evidence_and_mixed_orders() -> None:
    assert _read(["13/05/2024", "03/05/2024"]) == [U(2024, 5, 13), U(2024, 5, 3)]
    # evidence both ways: each value read only when it is unambiguous
    assert _read(["13/05/2024", "05/14/2024", "03/04/2024"]) == [U(2024, 5, 13), U(2024, 5, 14), None]


def test_naive_times_in_the_zone_offsets_kept() -> None:
    got = _read(["2020-01-15 10:00", "2020-07-15 10:00", "2020-07-15 10:00Z"], tz="Europe/Madrid")
    assert got == [U(2020, 1, 15, 9), U(2020, 7, 15, 8), U(2020, 7, 15, 10)]  # CET +1, CEST +2, Z kept


def test_iso_seconds_without_a_zone_and_their_near_misses() -> None:
    """The cheap first pattern (ISO to the second, no zone) and the values just outside it, read by the full ISO
    branch: an offset kept, a fraction, a short time, single-digit parts, an impossible day, a DST gap."""
    got = _read(
        [
            "2020-01-15 10:00:00",
            "2020-07-15T10:00:00",
            "2020-07-15 10:00:00+00:00",
            "2020-07-15 10:00:00.250",
            "2020-1-5 10:00:00",
            "2020-02-30 10:00:00",
            "2021-03-28 02:30:00",
        ],
        tz="Europe/Madrid",
    )
    assert got == [
        U(2020, 1, 15, 9),
        U(2020, 7, 15, 8),
        U(2020, 7, 15, 10),
        U(2020, 7, 15, 8, 0, 0, 250000),
        U(2020, 1, 5, 9),
        None,
        U(2021, 3, 28, 1, 30),  # 02:30 does not exist that night in Madrid: read as 03:30 CEST, as before
    ]


def test_naive_times_in_utc_are_the_instants_of_their_wall_time() -> None:
    """In UTC a naive time is read without a zone lookup (``make_timestamptz(epoch_us(…))``): by hand, and equal
    to DuckDB's ``timezone('UTC', …)`` (the reading of every other zone) for every kind of value the readers give
    it: plain ISO, fractions, before 1970, the ends of the calendar, leap days, each numeric and named style."""
    values = [
        "2020-01-15 10:00:00",
        "2020-07-15T10:00:00.123456",
        "1969-12-31 23:59:59.999999",
        "1900-02-28 01:02:03",
        "0001-01-01 00:00:00",
        "9999-12-30 23:59:59",
        "2024-02-29 12:00",
        "2020-1-5 10:00:00",
        "8/1/12 7:38",
        "May 8, 2020 2:30 PM",
        "2020/05/08",
        "2020-02-30 10:00:00",
    ]
    got = _read(values, tz="UTC")
    assert got[:4] == [
        U(2020, 1, 15, 10),
        U(2020, 7, 15, 10, 0, 0, 123456),
        U(1969, 12, 31, 23, 59, 59, 999999),
        U(1900, 2, 28, 1, 2, 3),
    ]
    assert got[8:10] == [U(2012, 8, 1, 7, 38), U(2020, 5, 8, 14, 30)] and got[-1] is None
    con = duckdb.connect()
    for value, mine in zip(values, got, strict=True):
        plan = infer_plan("d", {shape_of(value) or "iso": 1}, Evidence.of([value]), timezone="UTC")
        general = date_sql(lit(value), plan).replace("make_timestamptz(epoch_us(", "timezone('UTC', (")
        assert "make_timestamptz" in date_sql(lit(value), plan) and "timezone('UTC'" in general
        assert con.execute(f"SELECT {general}").fetchall()[0][0] == mine, value


def test_several_date_formats() -> None:
    got = _read(["08/05/2020", "2020.05.08 10h"], formats=("%d/%m/%Y", "%Y.%m.%d %Hh"))
    assert got == [U(2020, 5, 8), U(2020, 5, 8, 10)]


def test_date_only_flag() -> None:
    con = duckdb.connect()
    flags = [
        con.execute(f"SELECT {date_only_sql(lit(v))}").fetchall()[0][0]
        for v in ("5/8/2020", "5/8/2020 10:00", "1588948200", "2020-05-08", "1588948200123", "1588948200.5", "20200508")
    ]
    assert flags == [True, False, False, True, False, False, True]  # 8 digits: not a Unix time (9 to 13)
    assert con.execute(f"SELECT {date_only_sql('NULL::VARCHAR')}").fetchall() == [(None,)]


def test_window() -> None:
    now = U(2026, 1, 1)
    assert implausible("created_at", U(2003, 12, 31, 23), now=now) is not None
    assert implausible("created_at", U(2004, 1, 1), now=now) is None
    assert implausible("created_at", now + timedelta(hours=23), now=now) is None
    assert "future" in (implausible("created_at", now + timedelta(days=2), now=now) or "")


def test_wrong_years_are_rejects_with_a_reason(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "fb.csv"
    path.write_text("post_id,created_at\np1,8/1/12 7:38\np2,04/11/2018 04:53\np3,1/2/03 10:00\np4,1/2/2099 10:00\n")
    [res] = import_files(workspace, [path], platform="facebook", progress=False)
    assert (res.rows_loaded, res.rows_rejected) == (2, 2)
    years = sorted(d.year for d in workspace.posts()["created_at"].to_list())
    assert years == [2012, 2018]
    reasons = {r["line"]: r["reason"] for r in workspace.table("rejects").to_dicts()}
    assert "2003-01-02 is before 2004-01-01" in reasons[4] and "in the future" in reasons[5]
    assert any("month-first" in n for n in res.notes) and any("UTC" in n for n in res.notes)


def test_window_applies_to_json_exports_too(workspace: Workspace, tmp_path: Path) -> None:
    """An X archive tweet dated 2001 is a reject, not a post (the pipeline screens every importer's rows)."""
    tweets = (
        'window.YTD.tweets.part0 = [{"tweet": {"id_str": "1", "full_text": "old", '
        '"created_at": "Wed Oct 10 20:19:24 +0000 2001"}}, {"tweet": {"id_str": "2", "full_text": "ok", '
        '"created_at": "Wed Oct 10 20:19:24 +0000 2018"}}]'
    )
    path = tmp_path / "tweets.js"
    path.write_text(tweets)
    [res] = import_files(workspace, [path], progress=False)
    assert workspace.posts()["post_id"].to_list() == ["2"]
    assert res.rows_rejected == 1
    [rej] = workspace.table("rejects").to_dicts()
    assert "2001-10-10 is before 2004-01-01" in rej["reason"]
