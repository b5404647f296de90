from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from signalboost.model.strategy import Pillar
from signalboost.outreach import kpis, value
from signalboost.outreach.curation import curate, match_post, pillar_matchers
from signalboost.outreach.ledger import Balance, log_touch
from signalboost.outreach.pipeline import OutreachRecord, add_influencer
from signalboost.store.workspace import Workspace

from .conftest import T0, add_posts

END = T0 + dt.timedelta(days=60)  # two 30-day windows: [T0, T0+30), [T0+30, T0+60)


def _d(days: float) -> dt.datetime:
    return T0 + dt.timedelta(days=days)


def _their(rows: list[tuple[str, str, str, dt.datetime]]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "platform": ["x"] * len(rows),
            "account_id": [r[0] for r in rows],
            "kind": [r[1] for r in rows],
            "post_id": [r[2] for r in rows],
            "occurred_at": [r[3] for r in rows],
        },
        schema={
            "platform": pl.Utf8,
            "account_id": pl.Utf8,
            "kind": pl.Utf8,
            "post_id": pl.Utf8,
            "occurred_at": pl.Datetime("us", "UTC"),
        },
    )


POSTS = pl.DataFrame(
    {
        "platform": ["x"] * 5,
        "post_id": ["p1", "p2", "p3", "p4", "p5"],
        "created_at": [_d(1), _d(5), _d(10), _d(40), _d(50)],  # 3 posts in window 1, 2 in window 2
    }
)


def test_window_kpis_by_hand() -> None:
    their = _their(
        [
            ("a", "interaction", "p1", _d(2)),
            ("a", "amplification", "p2", _d(6)),
            ("a", "interaction", "p3", _d(12)),  # window 1: 3 posts, 3 engaged -> 1.0
            ("a", "interaction", "p4", _d(45)),  # window 2: 2 posts, 1 engaged -> 0.5
            ("a", "interaction", "", _d(46)),  # a mention of our account: counts as interaction, not a post
            ("b", "amplification", "p1", _d(31)),  # engaged with a window-1 post during window 2
            ("b", "interaction", "p5", _d(61)),  # after the end: ignored
        ]
    )
    rows = kpis.window_kpis(their, POSTS, [("x", "a"), ("x", "b"), ("x", "c")], end=END, window_days=30, count=2)
    got = {(r.account_id, r.window_start.date()): r for r in rows}
    a1, a2 = got[("a", T0.date())], got[("a", _d(30).date())]
    assert (a1.interactions, a1.amplifications, a1.our_posts, a1.engaged_posts, a1.engagement_rate) == (3, 1, 3, 3, 1.0)
    assert (a2.interactions, a2.amplifications, a2.our_posts, a2.engaged_posts, a2.engagement_rate) == (2, 0, 2, 1, 0.5)
    b1, b2 = got[("b", T0.date())], got[("b", _d(30).date())]
    assert (b1.interacts, b1.engaged_posts, b1.engagement_rate) == (False, 1, 1 / 3)
    assert (b2.interacts, b2.amplifications, b2.engagement_rate) == (True, 1, 0.0)
    c2 = got[("c", _d(30).date())]
    assert (c2.interacts, c2.interactions, c2.engagement_rate) == (False, 0, 0.0)
    trends = {t.account_id: t for t in kpis.trends(rows)}
    assert (trends["a"].measure, trends["a"].previous, trends["a"].last, trends["a"].direction) == (
        "engagement_rate",
        1.0,
        0.5,
        "down",
    )
    assert trends["a"].change == pytest.approx(-0.5)


def test_no_posts_means_none_and_trend_on_interactions() -> None:
    their = _their([("a", "interaction", "", _d(3)), ("a", "interaction", "", _d(4)), ("a", "interaction", "", _d(33))])
    empty = POSTS.clear()
    rows = kpis.window_kpis(their, empty, [("x", "a")], end=END, window_days=30, count=2)
    assert [r.engagement_rate for r in rows] == [None, None]
    (t,) = kpis.trends(rows)
    assert (t.measure, t.previous, t.last, t.change) == ("interactions", 2.0, 1.0, -0.5)


def _record(account: str, stage: str, *, due: dt.date | None = None, created: dt.datetime = T0) -> OutreachRecord:
    return OutreachRecord(
        "x", account, account, stage, "organic", None, None, None, None, "send brief", due, None, None, created, created
    )


def test_alerts_by_hand() -> None:
    trend_rows = [
        kpis.Trend("x", "a", "engagement_rate", 1.0, 0.4, -0.6, "down"),  # fell 60% > 50%: alert
        kpis.Trend("x", "b", "engagement_rate", 1.0, 0.5, -0.5, "down"),  # fell exactly 50%: no alert
        kpis.Trend("x", "c", "interactions", 0.0, 0.0, None, "flat"),  # nothing to fall from
    ]
    today = dt.date(2026, 3, 1)
    last_touch = dt.datetime(2026, 2, 20, tzinfo=dt.UTC)  # 9 days before today
    records = [
        _record("a", "warming"),  # no touch since added on 2026-01-01 -> no_touch
        _record("b", "contacted"),  # touched 9 days ago -> fine
        _record("c", "identified", due=dt.date(2026, 3, 1)),  # due today; identified is not active
        _record("d", "paused", due=dt.date(2026, 3, 2)),  # due tomorrow: nothing
    ]
    balances = {("x", "b"): Balance("x", "b", 1, 0, 0, 0, None, False, last_touch, None)}
    got = kpis.alerts(trend_rows, records, balances, today=today, drop=0.5, follow_up_days=14)
    assert [(a.kind, a.account_id) for a in got] == [
        ("engagement_drop", "a"),
        ("follow_up_due", "c"),
        ("no_touch", "a"),
    ]
    assert "fell 60%" in got[0].message and "send brief" in got[1].message


def test_due_in_the_workspace(ws: Workspace) -> None:
    add_influencer(ws, "x", "u1", handle="maria", stage="warming", now=T0)
    add_influencer(ws, "x", "u2", handle="li", due_date=dt.date(2026, 1, 10), next_step="DM", now=T0)
    log_touch(ws, "x", "u1", "like", at=dt.date(2026, 1, 15))
    got = kpis.due(ws, today=dt.date(2026, 1, 20), end=dt.datetime(2026, 1, 20, tzinfo=dt.UTC))
    assert [(a.kind, a.handle) for a in got] == [("follow_up_due", "li")]
    # 17 days after the last like (more than the default 14 follow-up days): maria needs a touch.
    got = kpis.due(ws, today=dt.date(2026, 2, 1), end=dt.datetime(2026, 2, 1, tzinfo=dt.UTC))
    assert [(a.kind, a.handle) for a in got] == [("follow_up_due", "li"), ("no_touch", "maria")]


def test_value_by_hand() -> None:
    recs = [
        OutreachRecord("x", "o1", "o1", "retained", "organic", None, None, None, None, None, None, None, None, T0, T0),
        OutreachRecord("x", "o2", "o2", "warming", "organic", None, None, 50.0, None, None, None, None, None, T0, T0),
        OutreachRecord(
            "x", "p1", "p1", "collaborating", "paid", "fee", None, 200.0, None, None, None, None, None, T0, T0
        ),
    ]
    bal = {
        ("x", "o1"): Balance("x", "o1", 0, 0, 4, 2, None, False, None, None),  # engagement 6, 2 amp × 1000
        ("x", "o2"): Balance("x", "o2", 0, 0, 1, 1, None, False, None, None),  # followers unknown -> reach None
        ("x", "p1"): Balance("x", "p1", 0, 0, 10, 5, None, False, None, None),  # 15, 5 × 4000 = 20000
    }
    followers = {("x", "o1"): 1000, ("x", "o2"): None, ("x", "p1"): 4000}
    rows, totals = value.relationship_value(recs, bal, followers)
    by = {v.label: v for v in rows}
    assert (by["@o1"].engagement, by["@o1"].reach, by["@o1"].engagement_per_cost) == (6, 2000.0, None)
    assert (by["@o2"].reach, by["@o2"].engagement_per_cost) == (None, 2 / 50)
    assert (by["@p1"].engagement_per_cost, by["@p1"].reach_per_cost) == (15 / 200, 20000 / 200)
    org, paid = totals
    assert (org.n, org.n_costed, org.engagement, org.reach, org.cost) == (2, 1, 8, 2000.0, 50.0)
    assert (org.engagement_per_cost, org.reach_per_cost) == (2 / 50, None)
    assert (paid.engagement, paid.reach, paid.cost, paid.reach_per_cost) == (15, 20000.0, 200.0, 100.0)


PILLARS = [
    Pillar(id="craft", name="Craft", weight=50, keywords=["hand-made", "knit"], hashtags=["#slowfashion"]),
    Pillar(id="care", name="Care", weight=50, keywords=["repair"], hashtags=["mending"]),
]


def test_match_post_words_and_hashtags() -> None:
    m = pillar_matchers(PILLARS)
    assert match_post("I love to KNIT on Sundays", None, m) == (["craft"], ["knit"])
    assert match_post("knitting is not knit", None, m) == (["craft"], ["knit"])
    assert match_post("knitting", None, m) == ([], [])  # whole words only
    assert match_post("repair day #SlowFashion", [], m) == (["craft", "care"], ["#slowfashion", "repair"])
    assert match_post(None, ["Mending"], m) == (["care"], ["#mending"])
    assert match_post("=cmd|' /C calc'!A0", None, m) == ([], [])


def test_curate_ranks_by_matches_then_recency() -> None:
    posts = pl.DataFrame(
        {
            "platform": ["x"] * 4,
            "post_id": ["q1", "q2", "q3", "q4"],
            "author_id": ["u1"] * 4,
            "handle": ["maria"] * 4,
            "created_at": [_d(1), _d(2), _d(3), _d(4)],
            "text": ["knit", "knit and repair", "nothing here", "hand-made"],
            "hashtags": [[], [], ["cats"], []],
            "url": [None] * 4,
        }
    )
    got = curate(posts, PILLARS)
    assert [c.post_id for c in got] == ["q2", "q4", "q1"]
    assert got[0].pillars == ["craft", "care"]


def test_curated_candidates_needs_pipeline_stage(ws: Workspace) -> None:
    from signalboost.outreach.curation import curated_candidates

    add_posts(
        ws,
        [
            {"post_id": "q1", "author_id": "u1", "created_at": _d(1), "text": "knit"},
            {"post_id": "q2", "author_id": "u2", "created_at": _d(1), "text": "knit"},  # u2 only identified
            {"post_id": "q3", "author_id": "u1", "created_at": _d(-30), "text": "knit"},  # too old
        ],
    )
    add_influencer(ws, "x", "u1", handle="maria", stage="warming")
    add_influencer(ws, "x", "u2", handle="li")
    assert curated_candidates(ws) == []  # no strategy: no pillars to match
    ws.strategy_path.write_text(STRATEGY_YAML, encoding="utf-8")
    got = curated_candidates(ws, since=T0)
    assert [(c.post_id, c.pillars) for c in got] == [("q1", ["craft"])]


STRATEGY_YAML = """
version: 1
brand:
  name: Threadline
pillars:
  - id: craft
    name: Craft
    weight: 100
    keywords: [knit]
"""


def test_offer_to_slots_respects_network_time_and_uses_each_post_once() -> None:
    from signalboost.outreach.curation import CuratedPost, offer_to_slots

    def post(pid: str, platform: str, day: int) -> CuratedPost:
        return CuratedPost(platform, pid, "u1", "maria", _d(day), ["craft"], ["knit"], None, "knit")

    best_first = [post("a", "x", 5), post("b", "ig", 1), post("c", "x", 1)]
    slots = [("s1", "x", _d(3)), ("s2", "x", _d(10)), ("s3", "ig", _d(2)), ("s4", "x", _d(11))]
    got = [(r["slot_id"], r["post_id"]) for r in offer_to_slots(best_first, slots)]
    # s1 (day 3) cannot take "a" (published day 5): it takes "c"; s2 takes "a"; s3 takes "b"; s4 has none left.
    assert got == [("s1", "c"), ("s2", "a"), ("s3", "b"), ("s4", None)]


def test_total_reach_per_cost_leaves_out_costs_whose_reach_is_unknown() -> None:
    recs = [
        OutreachRecord(
            "x", "a", "a", "collaborating", "paid", "fee", None, 100.0, None, None, None, None, None, T0, T0
        ),
        OutreachRecord(
            "x", "b", "b", "collaborating", "paid", "fee", None, 300.0, None, None, None, None, None, T0, T0
        ),
    ]
    bal = {
        ("x", "a"): Balance("x", "a", 0, 0, 0, 2, None, False, None, None),  # 2 amplifications × 500 followers
        ("x", "b"): Balance("x", "b", 0, 0, 1, 1, None, False, None, None),  # followers unknown: reach None
    }
    _, (_, paid) = value.relationship_value(recs, bal, {("x", "a"): 500, ("x", "b"): None})
    assert paid.cost == 400.0 and paid.reach == 1000.0
    assert paid.reach_per_cost == 1000.0 / 100.0  # not 1000 / 400: b's reach is unknown, not zero
    assert paid.engagement_per_cost == (2 + 2) / 400.0


def test_a_network_where_no_ones_touches_are_seen_has_unknown_kpis_not_zeros() -> None:
    """An X archive or Mastodon export holds none of the likes, replies or reposts the brand received: whether an
    influencer engaged cannot be seen there, so the window's figures are unknown (None), never 0; our posts are
    still counted, and there is no trend."""
    rows = kpis.window_kpis(_their([]), POSTS, [("x", "c")], end=END, window_days=30, count=2, observed=set())
    last = rows[-1]
    assert (last.our_posts, last.interacts, last.interactions, last.amplifications) == (2, None, None, None)
    assert (last.engaged_posts, last.engagement_rate) == (None, None)
    (t,) = kpis.trends(rows)
    assert (t.previous, t.last, t.direction) == (None, None, "not enough data")
    seen = kpis.window_kpis(_their([]), POSTS, [("x", "c")], end=END, window_days=30, count=2, observed={"x"})
    assert (seen[-1].interacts, seen[-1].interactions, seen[-1].engagement_rate) == (False, 0, 0.0)


def test_relationship_kpis_know_whether_anyones_touches_were_imported(ws: Workspace) -> None:
    from .conftest import add_accounts, add_interactions

    add_accounts(ws, [("x", "B", "brand", 10, True)])
    add_posts(ws, [{"post_id": "p1", "author_id": "B", "created_at": _d(40)}])
    add_interactions(ws, [("B", "mention", "", "a", _d(41))])  # the brand's own touch only
    add_influencer(ws, "x", "a", handle="a")
    rows, _ = kpis.relationship_kpis(ws, end=END, window_days=30, count=2)
    assert [(r.interactions, r.engagement_rate) for r in rows] == [(None, None), (None, None)]
    add_interactions(ws, [("z", "like", "p1", "", _d(42))])  # someone's like of the brand's post: touches are seen
    rows, _ = kpis.relationship_kpis(ws, end=END, window_days=30, count=2)
    assert [(r.interactions, r.engagement_rate) for r in rows] == [(0, None), (0, 0.0)]


def test_the_kpis_table_says_why_their_side_is_unknown(ws: Workspace) -> None:
    from typer.testing import CliRunner

    from signalboost.cli.main import app

    from .conftest import add_accounts, add_interactions

    add_accounts(ws, [("x", "B", "brand", 10, True)])
    add_posts(ws, [{"post_id": "p1", "author_id": "B", "created_at": _d(40)}])
    add_interactions(ws, [("B", "mention", "", "a", _d(41))])
    add_influencer(ws, "x", "a", handle="a")
    result = CliRunner().invoke(app, ["outreach", "kpis", "-w", str(ws.root), "--until", "2026-03-02T00:00"])
    assert result.exit_code == 0, result.output
    assert "x: no one's likes, replies or reposts of the brand are in the imported data" in " ".join(
        result.output.split()
    )
