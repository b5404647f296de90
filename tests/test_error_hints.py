"""Library errors a user can reach outside the command line (a notebook, the dashboard, a job) say where and what to do.

Each case calls one library function the way a caller would, with one thing wrong, and checks the error's ``where``
and ``hint`` word for word where they are fixed text. The command-line side is tests/cli/test_error_hints.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from signalboost.errors import SignalboostError
from signalboost.store.workspace import Workspace


def _posts(n: int) -> pl.DataFrame:
    start = dt.datetime(2024, 1, 1, 9, tzinfo=dt.UTC)
    return pl.DataFrame(
        {
            "platform": ["x"] * n,
            "created_at": [start + dt.timedelta(days=i) for i in range(n)],
            "er_reach": [0.01 * (i + 1) for i in range(n)],
            "format": ["photo"] * n,
        }
    )


def _backtest() -> Any:
    from signalboost.analytics.backtest import backtest

    return backtest(_posts(30), split=dt.datetime(2024, 1, 20, tzinfo=dt.UTC))  # 19 before, 11 after


def _compare() -> Any:
    from signalboost.analytics.compare import compare_groups

    return compare_groups(_posts(5), "format", method="jackknife")


def _pillars() -> Any:
    from signalboost.analytics.pillars import assign_pillars

    return assign_pillars(_posts(0).with_columns(pl.lit("").alias("text")), [], threshold=1.5)


def _timezone() -> Any:
    from signalboost.analytics.timing import with_local_time

    return with_local_time(_posts(3), "Mars/Olympus_Mons")


def _demo_file() -> Any:
    from signalboost.demo_data import demo_file

    return demo_file("no-such-dataset", "data.csv")


def _doc_format(tmp: Path) -> Any:
    from signalboost.model.io import StrategyDocument
    from signalboost.model.templates import template_text
    from signalboost.report.strategy_doc import write_document

    strategy = StrategyDocument.loads(template_text("blank")).strategy()
    return write_document(strategy, tmp / "s.docx", fmt="docx")


def _scale_handle() -> Any:
    from signalboost.scale.jobs import _resolve

    return _resolve([("1", "ana", False), ("2", "ourbrand", True)], ["@nobody"], "--candidates")


def _check_k() -> Any:
    from signalboost.outreach.coverage import check_k

    return check_k(3, 0)


def _two_platform_ws(tmp: Path) -> Workspace:
    """Account ``sam`` on x and mastodon, both flagged as the brand."""
    ws = Workspace.open(tmp / "ws", create=True)
    with ws.transaction() as con:
        con.execute(
            "INSERT INTO accounts (platform, account_id, handle, is_brand) VALUES "
            "('x', '1', 'sam', TRUE), ('mastodon', '2', 'sam', TRUE)"
        )
    return ws


def _profile_two_platforms(tmp: Path) -> Any:
    from signalboost.influence.job import influencer_profile

    return influencer_profile(_two_platform_ws(tmp), "sam")


def _brand_two_platforms(tmp: Path) -> Any:
    from signalboost.outreach.overlap import resolve_brand

    return resolve_brand(_two_platform_ws(tmp))


def _overlap_no_candidates(tmp: Path) -> Any:
    from signalboost.outreach.overlap import audience_overlap

    return audience_overlap(_two_platform_ws(tmp), [], platform="x", brand=["1"])


CASES: list[tuple[str, Callable[..., Any], str, str]] = [
    (
        "analytics.backtest",
        _backtest,
        "backtest split 2024-01-20 00:00 UTC",
        "Each side needs 20 posts with the metric: choose a split date nearer the middle of the data",
    ),
    ("analytics.compare", _compare, "method", "Use 't' or 'bootstrap'"),
    ("analytics.pillars", _pillars, "pillar threshold", "Use a probability such as 0.5"),
    ("analytics.timing", _timezone, "strategy.yaml brand.timezone", "Use an IANA zone such as Europe/Madrid"),
    ("demo_data", _demo_file, "no-such-dataset/data.csv", "Reinstall Signalboost"),
    ("report.strategy_doc", _doc_format, "--format", "Use one of: md, html, pdf"),
    (
        "scale.jobs",
        _scale_handle,
        "--candidates",
        "Check the spelling against the export's accounts.parquet, or pass the account id instead",
    ),
    (
        "outreach.coverage",
        _check_k,
        "CANDIDATES",
        "Pass candidate handles or ids, or leave them out to use --top N",
    ),
    ("influence.job", _profile_two_platforms, "HANDLE", "Pass --platform with one of: mastodon, x"),
    (
        "outreach.overlap brand",
        _brand_two_platforms,
        "strategy.yaml brand.handles / accounts.is_brand",
        "Pass --platform with one of: mastodon, x",
    ),
    (
        "outreach.overlap candidates",
        _overlap_no_candidates,
        "CANDIDATES",
        "Pass candidate handles or ids, or leave them out to use --top N",
    ),
]


@pytest.mark.parametrize(("name", "call", "where", "hint"), CASES, ids=[c[0] for c in CASES])
def test_library_error_names_where_and_what_to_do(
    name: str, call: Callable[..., Any], where: str, hint: str, tmp_path: Path
) -> None:
    import inspect

    with pytest.raises(SignalboostError) as info:
        call(tmp_path) if inspect.signature(call).parameters else call()
    assert info.value.where is not None and where in info.value.where, info.value.message()
    assert info.value.hint is not None and info.value.hint.startswith(hint), info.value.message()
    assert info.value.message() == f"{info.value.where}: {info.value.what}. {info.value.hint}"


@pytest.mark.parametrize(
    ("what", "shown"),
    [
        ("which network is this file from?", "f.csv: which network is this file from? Pass --platform"),
        ("stop!", "f.csv: stop! Pass --platform"),
        ("done.", "f.csv: done. Pass --platform"),
        ("no platform", "f.csv: no platform. Pass --platform"),
    ],
)
def test_a_what_ending_in_a_question_mark_gets_no_stray_period(what: str, shown: str) -> None:
    """ "which network is this file from?. Pass --platform …" had a period after the question mark."""
    from signalboost.i18n import L_

    exc = SignalboostError(L_(what), where="f.csv", hint=L_("Pass --platform"))
    assert exc.message() == shown
    assert str(exc.lazy()) == shown
