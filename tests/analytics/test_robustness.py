"""Awkward but legal data: several accounts, a network without metrics, posts without times, bad zones."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from signalboost.analytics.analysis import analyze
from signalboost.analytics.kpis import tactic_effects
from signalboost.analytics.metrics import post_engagement
from signalboost.analytics.timing import slot_table
from signalboost.errors import AnalyticsError
from signalboost.model.strategy import Kpi, Tactic
from signalboost.report.analytics_report import write_report

from .frames import metrics, posts, t


def _mixed() -> tuple[pl.DataFrame, pl.DataFrame]:
    rows, mrows = [], []
    for i in range(12):
        rows.append(
            {
                "platform": "x",
                "post_id": f"x{i}",
                "author_id": "big" if i % 2 else "small",
                "created_at": t(i + 1, 9 + i % 3),
            }
        )
        mrows.append(
            {
                "platform": "x",
                "post_id": f"x{i}",
                "likes": (1000 if i % 2 else 10) + i,
                "comments": 0,
                "shares": 0,
                "reach": 10_000 if i % 2 else 100,
            }
        )
        rows.append({"platform": "mastodon", "post_id": f"m{i}", "author_id": "me", "created_at": t(i + 1)})
    rows.append({"platform": "x", "post_id": "undated", "author_id": "big", "created_at": None})
    return posts(rows), metrics(mrows)


def test_several_accounts_on_a_network_are_not_pooled(tmp_path: Path) -> None:
    p, m = _mixed()
    result = analyze(None, p, m)
    # x holds "big" (6 dated + 1 undated posts) and "small" (6): only big is analysed, small is named
    assert set(result.engagement.filter(pl.col("platform") == "x")["author_id"]) == {"big"}
    assert any(
        n.startswith("x: 2 accounts, not pooled — analysed big (7 posts") and "small (6 posts)" in n
        for n in result.notes
    )
    assert result.slot_metric == "er_reach" and set(result.formats["metric"]) == {"er_reach"}
    assert set(result.slots["platform"]) == {"x"}  # mastodon reported no metrics: no slot table for it
    masto = result.summary.filter((pl.col("platform") == "mastodon") & (pl.col("metric") == "er_reach")).row(
        0, named=True
    )
    assert (masto["n_used"], masto["n_excluded"], masto["value"]) == (0, 12, None)
    out = write_report(result, None, tmp_path / "r.html")
    assert "Best times to post" in out.read_text()
    md = write_report(result, None, tmp_path / "r.md", fmt="md")
    assert "| mastodon |" in md.read_text()


def test_undated_posts_are_left_out_of_timing() -> None:
    p, m = _mixed()
    eng = post_engagement(p, m)
    table = slot_table(eng.filter(pl.col("platform") == "x"), all_slots=False)
    assert int(table["n_posts"].sum()) == 12


def test_unknown_time_zone_is_a_clear_error() -> None:
    p, m = _mixed()
    with pytest.raises(AnalyticsError, match="time zone"):
        slot_table(post_engagement(p, m), tz="Mars/Olympus")


def test_tactic_weeks_that_clearly_did_better() -> None:
    # 6 weeks; the tactic's posts (weeks 1, 3, 5) get 100 interactions, the others about 10
    rows, mrows = [], []
    for week in range(6):
        pid = f"p{week}"
        rows.append(
            {"post_id": pid, "created_at": t(1) + dt.timedelta(weeks=week), "tactic": "give" if week % 2 == 0 else None}
        )
        likes = 100 + week if week % 2 == 0 else 10 + week
        mrows.append({"post_id": pid, "likes": likes, "comments": 0, "shares": 0, "reach": 1000})
    eng = post_engagement(posts(rows), metrics(mrows))
    tactic = Tactic(id="give", name="Giveaway", goal="engagement", rrule="FREQ=MONTHLY;BYDAY=1FR", kpis=["inter"])
    out = tactic_effects([tactic], [Kpi(id="inter", metric="interactions", target=50)], eng).row(0, named=True)
    assert out["found_by"] == "labelled" and (out["n_with"], out["n_without"]) == (3, 3)
    assert out["mean_with"] == pytest.approx((100 + 102 + 104) / 3)
    assert out["mean_without"] == pytest.approx((11 + 13 + 15) / 3)
    assert out["verdict"] == "tactic weeks did better" and out["diff_low"] > 0


def test_only_the_brands_posts_count_where_brand_accounts_are_marked() -> None:
    p, m = _mixed()
    accounts = pl.DataFrame({"platform": ["x", "x"], "account_id": ["big", "small"], "is_brand": [True, False]})
    result = analyze(None, p, m, accounts=accounts)
    x = result.engagement.filter(pl.col("platform") == "x")
    assert set(x["author_id"]) == {"big"} and x.height == 7  # 6 dated posts by big + the undated one
    assert result.engagement.filter(pl.col("platform") == "mastodon").height == 12  # no brand marked there: kept
    assert any("6 posts by accounts other than the brand" in n for n in result.notes)


def test_report_lists_only_the_last_twelve_drifting_months(tmp_path: Path) -> None:
    from signalboost.model.io import load_strategy
    from signalboost.report.analytics_report import build_sections

    from .conftest import TEST_STRATEGY

    # one post a month for 18 months, no pillar label or keyword: every month is off every weight
    p = posts(
        [
            {
                "post_id": f"p{i}",
                "created_at": dt.datetime(2023 + i // 12, i % 12 + 1, 5, tzinfo=dt.UTC),
                "text": "zzz",
                "pillars": ["action"],
            }
            for i in range(18)
        ]
    )
    m = metrics([{"post_id": f"p{i}", "likes": 1, "comments": 0, "shares": 0} for i in range(18)])
    a = analyze(load_strategy(TEST_STRATEGY), p, m)
    assert a.pillar_mix_monthly.filter(pl.col("drift"))["month"].n_unique() == 18
    section = next(s for s in build_sections(a) if s.title == "Pillar mix against the strategy")
    drift = next(tb for tb in section.tables if tb.caption.startswith("Months with drift"))
    assert len(drift.rows) == 12 and drift.rows[0][1] == "2023-07" and "6 earlier months" in drift.caption


def test_report_frequency_table_proposes_no_change_without_evidence() -> None:
    from signalboost.report.analytics_report import build_sections

    # one post a day on 20 days: 1/day is the only level, so there is nothing to change
    p = posts([{"post_id": f"p{i}", "created_at": t(i + 1)} for i in range(20)])
    m = metrics([{"post_id": f"p{i}", "likes": i, "comments": 0, "shares": 0} for i in range(20)])
    a = analyze(None, p, m)
    assert a.frequency["changed"].to_list() == [False]
    section = next(s for s in build_sections(a) if s.title == "How many posts a day")
    table = section.tables[0]
    assert table.rows[0][table.headers.index("proposed / week")] == "no change"
