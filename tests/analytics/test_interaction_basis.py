"""What "interactions" means per network, on an X-archive-shaped fixture and on mixed frames, by hand.

The fixture ``tests/data/analytics/x-archive`` (account 1000, archive of 2024-05-01, 5 followers) holds six tweets:

| id  | time (UTC)        | favorites | retweets | interactions (likes + reposts) | er_followers            |
|-----|-------------------|-----------|----------|--------------------------------|-------------------------|
| 101 | 2024-04-01 09:00  | 10        | 2        | 12                             | 12/5 = 2.4              |
| 102 | 2024-04-02 09:00  | 4         | 0        | 4                              | 4/5 = 0.8               |
| 103 | 2024-04-03 15:00  | 0         | 0        | 0 (a real zero)                | 0                       |
| 104 | 2024-04-03 16:00  | (a retweet: the counts are the original's, so none) | — | —    | —                       |
| 105 | 2023-01-10 10:00  | 6         | 1        | 7                              | — (477 days from the snapshot) |
| 106 | 2024-04-04 09:30  | 1         | 0        | 1                              | 1/5 = 0.2               |

Mean interactions (12 + 4 + 0 + 7 + 1) / 5 = 4.8 over 5 posts (1 excluded); mean er_followers
(2.4 + 0.8 + 0 + 0.2) / 4 = 0.85 over 4 posts. Replies are not in an X archive: every figure says so.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from scipy import stats

from signalboost.analytics.analysis import AnalysisOptions, analyze, resolve_metric
from signalboost.analytics.compare import compare_formats
from signalboost.analytics.kpis import kpi_status
from signalboost.analytics.metrics import interaction_basis, network_definition, post_engagement, summarize_engagement
from signalboost.cli.main import main
from signalboost.model.strategy import Kpi
from signalboost.report.analytics_report import write_report
from signalboost.store.analytics_sql import read_analytics_frames
from signalboost.store.workspace import Workspace

from .frames import metrics, posts, snapshots, t

X_FIXTURE = Path(__file__).resolve().parents[1] / "data" / "analytics" / "x-archive"
PARTIAL = "replies not in the export"


@pytest.fixture
def x_workspace(workspace: Workspace) -> Workspace:
    from signalboost.ingest.pipeline import import_files

    import_files(workspace, [X_FIXTURE], progress=False)
    return workspace


def _by_id(frame: pl.DataFrame, column: str) -> dict[str, object]:
    return dict(zip(frame["post_id"].to_list(), frame[column].to_list(), strict=True))


def test_x_archive_interactions_are_likes_plus_reposts_by_hand(x_workspace: Workspace) -> None:
    f = read_analytics_frames(x_workspace)
    eng = post_engagement(f.posts, f.post_metrics, f.account_snapshots)
    assert _by_id(eng, "interactions") == {"101": 12.0, "102": 4.0, "103": 0.0, "104": None, "105": 7.0, "106": 1.0}
    assert _by_id(eng, "comments") == dict.fromkeys(("101", "102", "103", "104", "105", "106"))  # never 0
    assert set(eng["interactions_basis"]) == {"likes + reposts"}
    assert set(eng["interactions_partial"]) == {PARTIAL}
    assert _by_id(eng, "er_followers") == pytest.approx(
        {"101": 2.4, "102": 0.8, "103": 0.0, "104": None, "105": None, "106": 0.2}
    )
    assert eng["er_reach"].null_count() == 6 and eng["er_impressions"].null_count() == 6


def test_x_archive_summary_is_labelled_partial(x_workspace: Workspace) -> None:
    f = read_analytics_frames(x_workspace)
    s = summarize_engagement(post_engagement(f.posts, f.post_metrics, f.account_snapshots))
    inter = s.filter(pl.col("metric") == "interactions").row(0, named=True)
    assert (inter["value"], inter["n_used"], inter["n_excluded"]) == (pytest.approx(4.8), 5, 1)
    assert inter["partial"] == PARTIAL and PARTIAL in inter["label"]
    assert inter["definition"].startswith("likes + reposts")
    foll = s.filter(pl.col("metric") == "er_followers").row(0, named=True)
    values = [2.4, 0.8, 0.0, 0.2]
    lo, hi = stats.t.interval(0.95, 3, loc=np.mean(values), scale=stats.sem(values))
    assert (foll["value"], foll["n_used"], foll["n_excluded"]) == (pytest.approx(0.85), 4, 2)
    assert lo < 0 and (foll["ci_low"], foll["ci_high"]) == (0.0, pytest.approx(hi))  # a rate's bound floors at 0
    assert foll["definition"].startswith("(likes + reposts) / followers") and PARTIAL in foll["definition"]
    reach = s.filter(pl.col("metric") == "er_reach").row(0, named=True)
    assert (reach["value"], reach["n_used"], reach["n_missing_denominator"]) == (None, 0, 6)


def test_x_only_workspace_gets_rates_and_says_why(x_workspace: Workspace) -> None:
    f = read_analytics_frames(x_workspace)
    a = analyze(None, f.posts, f.post_metrics, f.account_snapshots, accounts=f.accounts)
    # no reach or impressions in an X archive: auto falls back to the follower rate, which 4 of 5 posts have
    assert a.metric == "er_followers" and a.slot_metric == "er_followers"
    assert int(a.slots["n_posts"].sum()) == 4
    notes = " | ".join(a.notes)
    assert "x likes + reposts (partial: replies not in the export" in notes
    assert "1 of 5 posts have no follower count within 90 days" in notes
    # the follower gap is a knob: with no limit, the 2023 tweet is divided by the 2024 count (7 / 5)
    loose = post_engagement(f.posts, f.post_metrics, f.account_snapshots, max_gap_days=None)
    assert _by_id(loose, "er_followers")["105"] == pytest.approx(1.4)
    # asked for a rate X does not report, the note names the best-covered one (interactions: 5 of 5 posts),
    # not er_followers (4 of 5)
    b = analyze(None, f.posts, f.post_metrics, f.account_snapshots, options=AnalysisOptions(metric="er_reach"))
    assert "x: no post has er_reach (not in the export); try --metric interactions" in b.notes
    assert b.slots.height == 0 and b.recommended_slots.height == 0


def _mixed() -> tuple[pl.DataFrame, pl.DataFrame]:
    p = posts(
        [
            {"platform": "facebook", "post_id": "f1", "created_at": t(1), "format": "photo"},
            {"platform": "facebook", "post_id": "f2", "created_at": t(2), "format": "photo"},
            {"platform": "x", "post_id": "x1", "created_at": t(1), "format": "photo"},
            {"platform": "x", "post_id": "x2", "created_at": t(2), "format": "text"},
            {"platform": "mastodon", "post_id": "m1", "created_at": t(1)},
        ]
    )
    m = metrics(
        [
            {"platform": "facebook", "post_id": "f1", "likes": 10, "comments": 5, "shares": 5},
            {"platform": "facebook", "post_id": "f2", "likes": 4, "comments": 0, "shares": 2},
            {"platform": "x", "post_id": "x1", "likes": 3, "shares": 1},
            {"platform": "x", "post_id": "x2", "likes": 5, "shares": 0},
            {"platform": "mastodon", "post_id": "m1"},
        ]
    )
    return p, m


def test_each_network_sums_what_its_export_reports() -> None:
    p, m = _mixed()
    bases = interaction_basis(m)
    assert bases["facebook"].parts == ("likes", "comments", "shares") and not bases["facebook"].partial
    assert bases["x"].parts == ("likes", "shares") and bases["x"].label == f"likes + reposts (partial: {PARTIAL})"
    assert bases["mastodon"].parts == () and not bases["mastodon"].partial
    eng = post_engagement(p, m)
    assert _by_id(eng, "interactions") == {"f1": 20.0, "f2": 6.0, "x1": 4.0, "x2": 5.0, "m1": None}
    # an Instagram post table with likes and comments only (Kim et al.'s like_count, comment_count)
    ig = interaction_basis(metrics([{"platform": "instagram", "post_id": "i", "likes": 457, "comments": 15}]))
    assert ig["instagram"].label == "likes + comments (partial: shares not in the export)"
    # two parts missing are both named
    one = interaction_basis(metrics([{"platform": "youtube", "post_id": "v", "likes": 3}]))
    assert one["youtube"].note == "comments and shares not in the export"


def test_partial_sums_are_never_silently_pooled_with_full_ones() -> None:
    p, m = _mixed()
    eng = post_engagement(p, m)
    per = summarize_engagement(eng, metrics=("interactions",))
    rows = {r["platform"]: r for r in per.iter_rows(named=True)}
    assert rows["facebook"]["partial"] is None and rows["facebook"]["definition"] == "likes + comments + shares"
    assert rows["x"]["partial"] == PARTIAL and rows["x"]["value"] == pytest.approx(4.5)
    assert rows["mastodon"]["n_used"] == 0
    pooled = summarize_engagement(eng, by=(), metrics=("interactions",)).row(0, named=True)
    assert pooled["label"].endswith("(mixed definitions)")
    assert f"x likes + reposts (partial: {PARTIAL})" in pooled["definition"]
    assert pooled["partial"] == f"x: {PARTIAL}"
    formats = compare_formats(eng, metric="interactions")
    defs = dict(zip(formats["platform"], formats["definition"], strict=True))
    assert defs["facebook"] == "likes + comments + shares" and defs["x"].startswith("likes + reposts — partial")


def test_complete_sums_in_network_words_are_not_called_mixed() -> None:
    bases = [("facebook", "likes + comments + shares", None), ("mastodon", "favourites + replies + boosts", None)]
    assert network_definition("interactions", bases).formula == "likes + comments + shares"
    m = metrics([{"platform": "mastodon", "post_id": "a", "likes": 1, "comments": 2, "shares": 3}])
    assert interaction_basis(m)["mastodon"].label == "favourites + replies + boosts"


def test_kpi_over_all_networks_flags_the_mixed_sum() -> None:
    p, m = _mixed()
    eng = post_engagement(p, m)
    kpis = [
        Kpi(id="all", metric="interactions", target=10, window_days=30),
        Kpi(id="fb", metric="interactions", network="facebook", target=10, window_days=30),
        Kpi(id="xr", metric="interactions", network="x", target=10, window_days=30),
    ]
    out = {r["kpi"]: r for r in kpi_status(kpis, eng).iter_rows(named=True)}
    assert out["all"]["value"] == 35.0 and "mixed" in out["all"]["status"] and PARTIAL in out["all"]["status"]
    assert out["fb"]["value"] == 26.0 and out["fb"]["status"] == "ok"
    assert out["xr"]["value"] == 9.0 and out["xr"]["status"] == f"ok — partial: {PARTIAL}"


def test_auto_metric_and_notes_on_explicit_metric() -> None:
    p, m = _mixed()
    eng = post_engagement(
        p, m, snapshots([{"platform": "x", "account_id": "brand", "observed_at": t(3), "followers": 10}])
    )
    metric, notes = resolve_metric(eng, "auto")
    assert metric == "interactions"  # facebook has no follower snapshot: only interactions is on every network
    metric, notes = resolve_metric(eng, "er_followers")
    assert metric == "er_followers" and notes == [
        "facebook: no post has er_followers (not in the export); try --metric interactions"
    ]
    reach = m.with_columns(pl.lit(100).alias("reach"))
    assert resolve_metric(post_engagement(p, reach), "auto")[0] == "er_reach"


def test_cli_json_and_narrow_table_state_the_definition(
    x_workspace: Workspace, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["analyze", "-w", str(x_workspace.root), "-s", "summary", "-f", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["metric"] == "er_followers"
    inter = next(r for r in doc["summary"] if r["metric"] == "interactions")
    assert inter["partial"] == PARTIAL and inter["value"] == pytest.approx(4.8)
    assert any("x likes + reposts (partial" in n for n in doc["notes"])
    monkeypatch.setenv("COLUMNS", "50")
    assert main(["analyze", "-w", str(x_workspace.root), "-s", "summary"]) == 0
    out = capsys.readouterr().out
    assert "interactions = x likes + reposts (partial: replies not in the export; not comparable with full sums)" in out


def test_report_names_the_partial_sum(x_workspace: Workspace, tmp_path: Path) -> None:
    f = read_analytics_frames(x_workspace)
    a = analyze(None, f.posts, f.post_metrics, f.account_snapshots, accounts=f.accounts)
    text = write_report(a, None, tmp_path / "r.md", fmt="md").read_text(encoding="utf-8")
    assert "On x, interactions = likes + reposts — a partial sum (replies not in the export)" in text
    assert re.search(r"Interactions per post \(partial: replies not in the export\)", text)


@pytest.mark.shared
def test_real_x_archive_sums_favorites_and_retweets(shared_data: Path, workspace: Workspace) -> None:
    """A peer count: the archive's own favorite_count + retweet_count of the non-retweets, read with json."""
    from signalboost.ingest.pipeline import import_files

    folder = shared_data / "x-archive-andreruffert"
    raw = (folder / "data" / "tweets.js").read_text(encoding="utf-8")
    tweets = [r["tweet"] for r in json.loads(raw[raw.index("=") + 1 :])]
    own = [tw for tw in tweets if not tw["full_text"].startswith("RT @")]
    expected = sum(int(tw["favorite_count"]) + int(tw["retweet_count"]) for tw in own)
    import_files(workspace, [folder / "data"], progress=False)
    f = read_analytics_frames(workspace)
    eng = post_engagement(f.posts, f.post_metrics, f.account_snapshots)
    assert eng.height == 1986 and eng["interactions"].drop_nulls().len() == len(own) == 1986 - 643
    assert eng["interactions"].sum() == expected
    s = summarize_engagement(eng, metrics=("interactions",)).row(0, named=True)
    assert s["partial"] == PARTIAL and s["n_used"] == 1343


def test_slot_metric_resolves_auto_for_callers_outside_analyze() -> None:
    # the dashboard's overview calls slot_metric with the default options' metric ("auto")
    from signalboost.analytics.analysis import AnalysisOptions, slot_metric

    from .test_robustness import _mixed as several_accounts

    p, m = several_accounts()
    _, metric, notes = slot_metric(post_engagement(p, m), AnalysisOptions().metric)
    assert metric == "er_reach_z" and "z-score within each account" in notes[0]


def test_recommend_evidence_names_the_partial_sum(x_workspace: Workspace) -> None:
    from signalboost.analytics.recommend import propose_schedule
    from signalboost.model.io import StrategyDocument

    doc = StrategyDocument.loads(
        "version: 1\nbrand:\n  name: Brand Co\n  timezone: UTC\necosystem:\n  - network: x\n    role: news\n"
        'schedule:\n  networks:\n    x:\n      min_posts_per_week: 4\n      slots:\n        mon: ["10:00"]\n'
    )
    f = read_analytics_frames(x_workspace)
    a = analyze(doc.strategy(), f.posts, f.post_metrics, f.account_snapshots, accounts=f.accounts)
    x = propose_schedule(doc.strategy(), a).networks[0]
    # 4 dated posts with er_followers in 4 different slots: none has 3 posts, so the week is explored
    explore = [s for s in x.slots if s.kind == "explore"]
    assert explore and all(
        "engagement rate by followers (likes + reposts; partial: replies not in the export)" in s.evidence
        for s in explore
    )


def test_auto_ranks_each_network_on_its_own_metric(tmp_path: Path) -> None:
    from signalboost.analytics.analysis import resolve_metrics

    p, m = _mixed()
    # facebook reports reach on both posts; x has none: facebook ranks by reach rate, x by likes + reposts
    m = m.with_columns(pl.when(pl.col("platform") == "facebook").then(pl.lit(200)).otherwise(None).alias("reach"))
    eng = post_engagement(p, m)
    by_network, notes = resolve_metrics(eng, "auto")
    assert by_network == {"facebook": "er_reach", "mastodon": "er_reach", "x": "interactions"}
    assert "facebook er_reach; x interactions" in notes[0]
    a = analyze(None, p, m)
    assert a.slot_metrics == {"facebook": "er_reach", "mastodon": "er_reach", "x": "interactions"}
    fmts = {(r["platform"], r["group"]): r for r in a.formats.iter_rows(named=True)}
    # facebook photo: (20/200 + 6/200) / 2 = 0.065; x photo: 4 (likes + reposts), x text: 5
    assert fmts[("facebook", "photo")]["metric"] == "er_reach"
    assert fmts[("facebook", "photo")]["mean"] == pytest.approx(0.065)
    assert (fmts[("x", "photo")]["metric"], fmts[("x", "photo")]["mean"]) == ("interactions", 4.0)
    assert fmts[("x", "text")]["partial"] == PARTIAL
    assert set(a.slots["metric"]) == {"er_reach", "interactions"}
    # the report formats each row by its own metric: a rate as %, a count as a number
    text = write_report(a, None, tmp_path / "r.md", fmt="md").read_text(encoding="utf-8")
    assert "| facebook | photo | 2 | 0 | 6\\.50%" in text and "| x | photo | 1 | 0 | 4 |" in text
    # one named metric is used everywhere
    assert set(analyze(None, p, m, options=AnalysisOptions(metric="interactions")).slot_metrics.values()) == {
        "interactions"
    }
