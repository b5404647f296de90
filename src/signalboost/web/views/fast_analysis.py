"""``analyze()`` with stored pillar assignments: the Analytics page without retraining the pillar classifier.

:func:`signalboost.analytics.analysis.analyze` assigns every post its pillars (rules, labels, and a classifier
trained on the strategy's examples — about half the page's time on the demo workspace) before the other analyses.
``signalboost analytics`` and the demo store those assignments in ``post_pillars``; when they are current (every
post has one, all stored after the last change of ``strategy.yaml``:
:func:`signalboost.store.web_sql.stored_pillar_assignments`), :func:`analysis_with` runs the same functions in the
same order with the same default options on them. The result equals ``analyze()``'s (tests/web/test_fast_paths.py
compares every section), so the page shows the same figures either way.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import polars as pl

from signalboost.store import web_sql
from signalboost.store.workspace import Workspace
from signalboost.web.context import READ_TIMEOUT

if TYPE_CHECKING:
    from signalboost.analytics.analysis import Analysis
    from signalboost.model.strategy import Strategy


def stored_assignments(ws: Workspace) -> pl.DataFrame | None:
    """The stored pillar assignments when they are current, else ``None`` (compute them)."""
    try:
        st = ws.strategy_path.stat().st_mtime
    except OSError:
        st = 0.0
    with ws.connect(purpose="read pillar assignments", timeout=READ_TIMEOUT) as con:
        return web_sql.stored_pillar_assignments(con, dt.datetime.fromtimestamp(st, dt.UTC))


def analysis_with(
    strategy: Strategy | None,
    posts: pl.DataFrame,
    post_metrics: pl.DataFrame,
    snapshots: pl.DataFrame | None,
    assignments: pl.DataFrame,
) -> Analysis:
    """``analyze(strategy, posts, post_metrics, snapshots)`` with ``assignments`` as its pillar assignments."""
    from signalboost.analytics.analysis import Analysis, AnalysisOptions, _slot_metric, own_posts
    from signalboost.analytics.compare import compare_formats, compare_groups, compare_paid
    from signalboost.analytics.frequency import posts_per_day_curve, recommend_frequency
    from signalboost.analytics.kpis import kpi_status, tactic_effects
    from signalboost.analytics.metrics import definition, post_engagement, summarize_engagement
    from signalboost.analytics.pillars import explode_pillars, pillar_mix, with_pillars
    from signalboost.analytics.timing import recommend_slots, slot_table

    opt = AnalysisOptions()
    definition(opt.metric)
    posts, own_notes = own_posts(posts, None)
    tz = strategy.brand.timezone if strategy else "UTC"
    eng = with_pillars(post_engagement(posts, post_metrics, snapshots), assignments)
    weights = strategy.pillar_weights() if strategy else {}
    eng, slot_metric, notes = _slot_metric(eng, opt.metric)
    slots = slot_table(eng, metric=slot_metric, tz=tz, hour_block=opt.hour_block, min_posts=opt.min_posts)
    conf = opt.confidence
    freq = {"tz": tz, "metric": opt.frequency_metric, "max_k": opt.max_posts_per_day, "confidence": conf}
    return Analysis(
        tz=tz,
        options=opt,
        engagement=eng,
        summary=summarize_engagement(eng, confidence=conf),
        pillar_assignments=assignments,
        pillar_mix=pillar_mix(eng, weights, tz=tz, per_month=False, margin=opt.drift_margin),
        pillar_mix_monthly=pillar_mix(eng, weights, tz=tz, per_month=True, margin=opt.drift_margin),
        pillar_performance=compare_groups(explode_pillars(eng), "pillar", metric=slot_metric, confidence=conf),
        slots=slots,
        recommended_slots=recommend_slots(slots, k=opt.top_slots, explore=opt.explore, seed=opt.seed),
        frequency_curve=posts_per_day_curve(eng, **freq),  # type: ignore[arg-type]
        frequency=recommend_frequency(eng, min_days=opt.min_days, **freq),  # type: ignore[arg-type]
        formats=compare_formats(eng, metric=slot_metric, confidence=conf),
        paid=compare_paid(eng, metric=slot_metric, confidence=conf),
        kpis=kpi_status(strategy.kpis if strategy else [], eng, snapshots, as_of=opt.as_of),
        tactics=tactic_effects(strategy.tactics if strategy else [], strategy.kpis if strategy else [], eng, tz=tz),
        slot_metric=slot_metric,
        notes=own_notes + notes,
    )
