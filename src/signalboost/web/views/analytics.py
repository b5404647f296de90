"""The Analytics page: best-time heatmap, posts-per-day curve, pillar mix vs target, formats, paid vs organic.

A thin call into :func:`signalboost.analytics.analysis.analyze` on the workspace's canonical frames; every table
keeps the library's sample sizes (``n_posts``, ``n_days``, ``n``) and intervals, and "not enough data" stays so.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import polars as pl

from signalboost.errors import SignalboostError
from signalboost.i18n import N_, _
from signalboost.model.strategy import Strategy
from signalboost.report.words import pillar_names, tactic_names
from signalboost.store.workspace import Workspace
from signalboost.web.wiring import failed, jsonable_dict, lib, rows, strategy_of, unavailable

log = logging.getLogger("signalboost.web")
MODULE = "signalboost.analytics.analysis"
FRAMES = "signalboost.store.analytics_sql"
SECTIONS: tuple[str, ...] = (
    "summary",
    "slots",
    "recommended_slots",
    "frequency_curve",
    "frequency",
    "formats",
    "paid",
    "pillar_mix",
    "pillar_performance",
    "kpis",
    "tactics",
)


def _strategy(ws: Workspace) -> tuple[Strategy | None, str | None]:
    if not ws.has_strategy():
        return None, None
    try:
        return strategy_of(ws), None
    except SignalboostError as exc:
        return None, exc.message()


def build(ws: Workspace) -> dict[str, Any]:
    """Every analysis of the workspace's posts (one section per chart or table, each with its sample size)."""
    analyze = lib(MODULE, "analyze")
    read = lib(FRAMES, "read_analytics_frames")
    if analyze is None or read is None:
        return unavailable("Analytics", MODULE)
    frames = _frames(ws)
    if frames.posts.height == 0:
        return {"available": True, "empty": True, "message": "No posts imported yet: upload an export first."}
    strategy, problem = _strategy(ws)
    try:
        from signalboost.web.views.fast_analysis import stored_assignments

        stored = stored_assignments(ws)
        result = analyze(
            strategy,
            frames.posts,
            frames.post_metrics,
            frames.account_snapshots,
            accounts=frames.accounts,
            audience_hours=frames.audience_hours,
            assignments=stored,
        )
    except SignalboostError as exc:
        return failed("Analytics", exc)
    except Exception as exc:  # a library bug must not take the page down: say so, log the traceback
        log.exception("analytics failed")
        return failed("Analytics", RuntimeError(f"could not be computed ({type(exc).__name__}: {exc})"))
    out: dict[str, Any] = {
        "available": True,
        "empty": False,
        "timezone": result.tz,
        "slot_metric": result.slot_metric,
        "notes": list(result.notes) + ([f"strategy.yaml not used: {problem}"] if problem else []),
        "platforms": sorted(frames.posts["platform"].unique().to_list()),
        # the header counts the posts every figure reads (the analysed account's, the brand's own), and says how
        # many were imported when that is more (a data set of many accounts: the notes say who is left out)
        "n_posts": result.engagement.height,
        "n_imported": frames.posts.height,
        "pillar_names": pillar_names(strategy),  # the charts and tables show a pillar by the strategy's name
        "tactic_names": tactic_names(strategy),  # and a tactic by its name (the rows keep the ids)
    }
    out["schedule_advice"] = schedule_advice(strategy, result)
    for name in SECTIONS:
        frame: pl.DataFrame = getattr(result, name)
        if name == "pillar_mix_monthly":
            continue
        out[name] = rows(frame)
    return jsonable_dict(out)


def slot_reason(row: dict[str, Any], metric: str) -> str:
    """Why a slot is recommended or explored (``analytics.timing.recommend_slots``' ``reason``, stored in English),
    said again from the row's figures in the page's language, written like the table's cells (3 significant
    digits); a rate as a percentage."""
    from signalboost.i18n import format_number, format_percent, format_significant, ngettext

    def figure(v: Any) -> str:
        if v is None:
            return "—"
        rate = metric.startswith("er_") and not metric.endswith("_z")
        return format_percent(v, digits=2) if rate else format_significant(v)

    n = int(row.get("n_posts") or 0)
    if row.get("kind") == "explore":
        return ngettext(
            "exploration: only {n} post so far; could reach {high}",
            "exploration: only {n} posts so far; could reach {high}",
            n,
        ).format(n=format_number(n), high=figure(row.get("ci_high")))
    if row.get("kind") != "recommended" or row.get("shrink_weight") is None:
        return str(row.get("reason") or "")
    shrunk = format_percent(1 - float(row["shrink_weight"]))
    said = ngettext(
        "expected {figure} ({n} post; shrunk {shrunk} toward the network mean)",
        "expected {figure} ({n} posts; shrunk {shrunk} toward the network mean)",
        n,
    ).format(figure=figure(row.get("expected")), n=format_number(n), shrunk=shrunk)
    if row.get("top3_share") is not None:
        top3 = _("{share} of its gain from its top 3 posts").format(share=format_percent(float(row["top3_share"])))
        said = f"{said}; {top3}"
    return said


def schedule_advice(strategy: Strategy | None, result: Any) -> dict[str, dict[str, Any]]:
    """Per network, the posts-per-week advice of ``signalboost recommend`` — the same function
    (:func:`signalboost.analytics.recommend.propose_schedule`), so the page and the CLI give one answer."""
    if strategy is None:
        return {}
    from signalboost.analytics.recommend import propose_schedule

    proposal = propose_schedule(strategy, result)
    out: dict[str, dict[str, Any]] = {
        n.network: {"old": n.old_per_week, "new": n.new_per_week, "why": n.per_week_evidence} for n in proposal.networks
    }
    out.update({net: {"skipped": why} for net, why in proposal.skipped.items()})
    return out


@dataclass(frozen=True)
class _Frames:
    posts: pl.DataFrame
    post_metrics: pl.DataFrame
    account_snapshots: pl.DataFrame
    accounts: pl.DataFrame
    audience_hours: pl.DataFrame


def _frames(ws: Workspace) -> _Frames:
    """The frames ``analyze`` reads; of ``accounts`` only the posts' authors and the brand's (as the CLI reads them:
    the same account per network is analysed; not the ~300k accounts of the demo's interaction graph)."""
    from signalboost.store.analytics_sql import audience_hours, post_authors

    return _Frames(
        ws.table("posts"), ws.table("post_metrics"), ws.table("account_snapshots"), post_authors(ws), audience_hours(ws)
    )


def overview_figures(ws: Workspace) -> dict[str, Any]:
    """What the Overview needs of the analysis — ``kpis`` and the whole-period ``pillar_mix`` rows — computed
    as :func:`signalboost.analytics.analysis.analyze` does (same functions, same order, default options), without
    its other ten analyses, and with the stored pillar assignments when they are current
    (:func:`signalboost.store.analytics_sql.stored_pillar_assignments`) instead of retraining the pillar classifier.
    Same figures as ``build(ws)["kpis"]`` and ``["pillar_mix"]`` (tested)."""
    from signalboost.analytics.analysis import AnalysisOptions, analysed_posts, slot_metric
    from signalboost.analytics.kpis import kpi_status
    from signalboost.analytics.metrics import post_engagement
    from signalboost.analytics.pillars import assign_pillars, pillar_mix, with_pillars, without_reposts
    from signalboost.web.views.fast_analysis import stored_assignments

    frames = _frames(ws)
    if frames.posts.height == 0:
        return {}
    strategy, _ = _strategy(ws)
    opt = AnalysisOptions()
    try:
        posts, _ = analysed_posts(frames.posts, frames.accounts, strategy)
        stored = stored_assignments(ws)
        assignments = stored
        if assignments is None:
            pillars = strategy.pillars if strategy else []
            examples = [(e.text, e.pillar) for e in strategy.examples if e.pillar] if strategy else []
            assignments = assign_pillars(
                posts, pillars, examples=examples, threshold=opt.pillar_threshold, seed=opt.seed
            )
        eng = with_pillars(post_engagement(posts, frames.post_metrics, frames.account_snapshots), assignments)
        eng, _, _ = slot_metric(eng, opt.metric)
        tz = strategy.brand.timezone if strategy else "UTC"
        weights = strategy.pillar_weights() if strategy else {}
        own_content, _reposts = without_reposts(eng, posts)
        mix = pillar_mix(own_content, weights, tz=tz, per_month=False, margin=opt.drift_margin)
        status = kpi_status(strategy.kpis if strategy else [], eng, frames.account_snapshots, as_of=opt.as_of)
    except SignalboostError:
        return {}  # the Analytics page shows the error; the Overview shows "not available yet"
    return {
        "kpis": rows(status),
        "pillar_mix": rows(mix),
        "pillars_from": "stored" if stored is not None else "computed",
    }


#: a KPI's status before the analytics have run (an identifier in JSON; the page says it in words)
NOT_YET = N_("not available yet")


def kpis(ws: Workspace, strategy: Strategy | None, analysis: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Each KPI of the strategy against its target over its window, with trend and sample size."""
    if strategy is None or not strategy.kpis:
        return []
    found = {r["kpi"]: r for r in (analysis or {}).get("kpis", [])}
    out = []
    for k in strategy.kpis:
        r = found.get(k.id, {})
        status = r.get("status") or NOT_YET
        basis = ""
        if status == "ok" or status.startswith("ok —"):
            from signalboost.report.analysis_words import under_count_words

            status, basis = r.get("verdict") or status, under_count_words(status)
        out.append(
            {
                "id": k.id,
                "metric": k.metric,
                "network": k.network,
                "target": k.target,
                "direction": k.direction,
                "window_days": k.window_days,
                "aggregation": k.how,
                "value": r.get("value"),
                "low": r.get("low"),
                "high": r.get("high"),
                "verdict": r.get("verdict"),
                "status": status,
                "basis": basis,  # what a partial count of interactions leaves out, said beside the verdict
                "n": r.get("n"),
                "reposts_left_out": r.get("reposts_left_out"),
                "trend": r.get("trend"),
                # the 95 % interval of the change of a total or a follower figure (kpis.change_interval)
                "change": r.get("change"),
                "change_low": r.get("change_low"),
                "change_high": r.get("change_high"),
                "previous": r.get("previous"),
            }
        )
    return out


def drift_alerts(analysis: dict[str, Any] | None, names: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
    """Pillars off their weight (the analytics' ``drift`` flag: target outside the Wilson interval of the share, or
    no post where 2 or more were due), over the whole period, with by how many posts — said as the report says it
    (:func:`signalboost.report.analysis_words.drift_sentence`), each pillar by the strategy's name (``names``).

    A network whose posts mostly match no pillar (:func:`signalboost.analytics.pillars.mostly_unclassified`) has
    its flags withheld (they would flag every pillar whatever was posted): one alert says so, with how many posts
    are classified and what to do, as the CLI and the Analytics page do. Rows stored before flags were withheld
    (``drift`` true) are held back the same way."""
    from signalboost.analytics.pillars import mostly_unclassified
    from signalboost.i18n import _
    from signalboost.report.analysis_words import drift_sentence, translated_note

    mix = [r for r in (analysis or {}).get("pillar_mix", []) if r.get("month") in (None, "all")]
    caveats = mostly_unclassified(mix)
    out = []
    for r in mix:
        if r.get("drift") and r["platform"] not in caveats:
            words = drift_sentence(r, names)
            out.append(
                {
                    "kind": "drift",
                    "text": _("Drifting on {platform}: {words}.").format(platform=r["platform"], words=words),
                    "href": "/analytics#pillars",
                }
            )
    for _platform, note in sorted(caveats.items()):
        out.append({"kind": "drift", "text": translated_note(note) + ".", "href": "/analytics#pillars"})
    return out
