"""The whole analysis in one call: what ``signalboost analyze``, the report and the dashboard show.

:func:`analyze` takes the strategy (or ``None``) and the canonical frames and returns an :class:`Analysis` of plain
Polars frames; nothing here touches the database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import polars as pl

from signalboost.analytics.accounts import select_accounts
from signalboost.analytics.compare import compare_formats, compare_groups, compare_paid
from signalboost.analytics.frequency import posts_per_day_curve, recommend_frequency
from signalboost.analytics.history import DEFAULT_MONTHS, HistoryWindow, history_windows, in_windows
from signalboost.analytics.kpis import kpi_status, own_posts_only, tactic_effects
from signalboost.analytics.metrics import (
    MAX_FOLLOWER_GAP_DAYS,
    RATE_METRICS,
    definition,
    normalise_within_account,
    post_engagement,
    summarize_engagement,
)
from signalboost.analytics.pillars import (
    assign_pillars,
    explode_pillars,
    pillar_mix,
    unclassified_notes,
    with_pillars,
    without_reposts,
)
from signalboost.analytics.slot_choice import MIN_POSTS, SlotChoice, choose_slot_model
from signalboost.analytics.timing import audience_active_hours, date_only_notes, recommend_slots, slot_table
from signalboost.errors import AnalyticsError
from signalboost.i18n import L_, Ln_, _, format_number, ngettext
from signalboost.model.strategy import Strategy


@dataclass(frozen=True)
class AnalysisOptions:
    """Knobs of :func:`analyze` (the CLI exposes the common ones)."""

    metric: str = "auto"
    hour_block: int = 1
    min_posts: int = 3
    top_slots: int = 5
    explore: int = 2
    frequency_metric: str = "interactions"
    max_posts_per_day: int = 4
    min_days: int = 8
    drift_margin: float = 0.0
    pillar_threshold: float = 0.5
    confidence: float = 0.95
    as_of: dt.datetime | None = None
    seed: int = 0
    max_follower_gap_days: float | None = MAX_FOLLOWER_GAP_DAYS
    account: str | None = None
    """Analyse only this account (id or handle); by default one account per network (:mod:`.accounts`)."""
    window_months: int | None = DEFAULT_MONTHS
    """The advice reads each network's last ``window_months`` months, widened to ``window_min_posts`` posts with a
    figure (:mod:`.history`); 0 or ``None``: the whole history."""
    window_min_posts: int = MIN_POSTS
    since: dt.date | None = None
    """Read the advice from this date on (the brand's calendar) instead of the window of ``window_months``."""


#: ``--metric auto`` takes the first of these that every network reports for most of its posts.
AUTO_ORDER: tuple[str, ...] = (*RATE_METRICS, "interactions")
AUTO = "auto"


@dataclass
class Analysis:
    """Everything the analytics computed, as frames (see each function for its columns)."""

    tz: str
    options: AnalysisOptions
    engagement: pl.DataFrame
    summary: pl.DataFrame
    pillar_assignments: pl.DataFrame
    pillar_mix: pl.DataFrame
    pillar_mix_monthly: pl.DataFrame
    pillar_performance: pl.DataFrame
    slots: pl.DataFrame
    recommended_slots: pl.DataFrame
    frequency_curve: pl.DataFrame
    frequency: pl.DataFrame
    formats: pl.DataFrame
    paid: pl.DataFrame
    kpis: pl.DataFrame
    tactics: pl.DataFrame
    slot_metric: str = "er_reach"
    notes: list[str] = field(default_factory=list)
    metric: str = "er_reach"
    slot_metrics: dict[str, str] = field(default_factory=dict)  # network -> the metric its rankings use
    slot_choices: dict[str, SlotChoice] = field(default_factory=dict)  # network -> the backtested slot model
    windows: dict[str, HistoryWindow] = field(default_factory=dict)  # network -> the history the advice read


def _coverage(frame: pl.DataFrame, metric: str) -> dict[str, float]:
    """Per network with interactions, the share of those posts that also have ``metric``.

    A network without any interactions (a Mastodon export reports none) has nothing to rank and is left out.
    """
    per = frame.group_by("platform").agg(
        pl.col("interactions").is_not_null().sum().alias("n"), pl.col(metric).is_not_null().sum().alias("m")
    )
    return {str(r["platform"]): r["m"] / r["n"] for r in per.iter_rows(named=True) if r["n"]}


def resolve_metric(frame: pl.DataFrame, metric: str, *, min_coverage: float = 0.5) -> tuple[str, list[str]]:
    """The metric to rank slots, formats and pillars by, and notes on networks where it is missing.

    ``auto``: the first of ``er_reach, er_impressions, er_followers, interactions`` that every network reports for
    at least ``min_coverage`` of its posts with interactions (an X archive has no reach, so a workspace with X
    posts falls back to a rate it has, or to interactions). An explicit metric is kept; each network where no post
    has it gets a note naming one it has.
    """
    notes: list[str] = []
    if metric == AUTO:
        for cand in AUTO_ORDER:
            cov = _coverage(frame, cand)
            if cov and min(cov.values()) >= min_coverage:
                skipped = list(AUTO_ORDER[: AUTO_ORDER.index(cand)])
                why = f" ({', '.join(skipped)}: not reported for most posts of a network)" if skipped else ""
                notes.append(f"metric auto = {cand}{why}")
                return cand, notes
        metric = "interactions"
        notes.append("metric auto = interactions (no network reports more)")
    for platform, share in sorted(_coverage(frame, metric).items()):
        if share == 0:
            cover = {m: _coverage(frame, m).get(platform, 0.0) for m in AUTO_ORDER}
            best = max(AUTO_ORDER, key=lambda m: cover[m])  # the best-covered one (first of equals)
            if cover[best] > 0:
                notes.append(
                    _("{platform}: no post has {metric} (not in the export); try --metric {best}").format(
                        platform=platform, metric=metric, best=best
                    )
                )
            else:
                notes.append(
                    _("{platform}: no post has {metric} (not in the export)").format(platform=platform, metric=metric)
                )
    return metric, notes


def flat_slot_notes(slots: pl.DataFrame) -> list[str]:
    """A note per network where no slot stands out (τ² = 0: every slot with posts shrunk all the way to μ)."""
    used = slots.filter(pl.col("n_posts") > 0)
    flat = used.group_by("platform").agg(pl.col("shrink_weight").max().alias("w"), pl.col("n_posts").sum().alias("n"))
    return [
        f"{platform}: no weekday × hour slot stands out from the network mean ({n} posts; between-slot variance 0), "
        "so no slot is recommended — keep the current hours and explore"
        for platform, w, n in flat.sort("platform").iter_rows()
        if w == 0
    ]


def undistinguished_notes(slots: pl.DataFrame) -> list[str]:
    """A note per network where slots differ (τ² > 0) but none is distinguishable from the network mean."""
    out = []
    for (platform,), g in slots.group_by(["platform"], maintain_order=True):
        used = g.filter(pl.col("n_posts") > 0)
        if used.height == 0 or float(used["shrink_weight"].max()) == 0.0:  # type: ignore[arg-type]
            continue  # flat: flat_slot_notes says so
        if not used.filter((pl.col("status") == "ok") & (pl.col("ci_low") > pl.col("prior_mean"))).height:
            out.append(
                f"{platform}: no hour slot is distinguishable from the network mean (every slot's 95% interval "
                "includes it), so no hour is recommended — keep the current hours"
            )
    return out


def resolve_metrics(frame: pl.DataFrame, metric: str, *, min_coverage: float = 0.5) -> tuple[dict[str, str], list[str]]:
    """The metric per network, and notes. ``auto`` picks per network; a named metric is the same everywhere.

    ``auto``: on each network, the first of ``er_reach, er_impressions, er_followers, interactions`` that at least
    ``min_coverage`` of its posts with interactions have — a Facebook page is ranked by reach rate while the X
    archive beside it (no reach, one follower count) is ranked by its interactions. Rankings never cross networks
    (slots, formats, paid and pillars are compared within each), so no partial sum is set beside a full one.
    """
    platforms = sorted(str(p) for p in frame["platform"].unique().to_list())
    if metric != AUTO:
        named, notes = resolve_metric(frame, metric, min_coverage=min_coverage)
        return dict.fromkeys(platforms, named), notes
    cover = {m: _coverage(frame, m) for m in AUTO_ORDER}
    out: dict[str, str] = {}
    for platform in platforms:
        if platform not in cover["interactions"]:
            continue  # no interactions at all: nothing to rank; filled in below
        out[platform] = next((m for m in AUTO_ORDER if cover[m].get(platform, 0.0) >= min_coverage), "interactions")
    chosen = list(out.values())  # a network with nothing to rank takes the most common choice (ties: AUTO_ORDER)
    fallback = max(AUTO_ORDER, key=lambda m: (chosen.count(m), -AUTO_ORDER.index(m))) if out else "interactions"
    for platform in platforms:
        out.setdefault(platform, fallback)
    ranked = {p: m for p, m in out.items() if p in cover["interactions"]}
    if len(set(ranked.values())) <= 1:
        only = next(iter(ranked.values()), fallback)
        skipped = list(AUTO_ORDER[: AUTO_ORDER.index(only)])
        why = f" ({', '.join(skipped)}: not reported for most posts of a network)" if skipped else ""
        return out, [f"metric auto = {only}{why}"]
    parts = "; ".join(f"{p} {m}" for p, m in ranked.items())
    return out, [
        _(
            "Posts are compared per network by: {parts} (on each network the first of {order} reported for most of "
            "its posts)"
        ).format(parts=parts, order=", ".join(AUTO_ORDER))
    ]


def definition_notes(frame: pl.DataFrame, max_gap_days: float | None) -> list[str]:
    """One note giving each network's interactions sum, and one per network where few posts have followers."""
    bases = frame.group_by("platform").agg(
        pl.col("interactions_basis").drop_nulls().first(), pl.col("interactions_partial").drop_nulls().first()
    )
    parts = []
    for platform, basis, partial in bases.sort("platform").iter_rows():
        text = basis or _("not reported (no likes, comments or shares in the export)")
        parts.append(
            f"{platform} {text}"
            + (_(" (partial: {partial}; not comparable with full sums)").format(partial=partial) if partial else "")
        )
    notes = [f"interactions = {'; '.join(parts)}"] if parts else []
    if max_gap_days is not None:
        gap = frame.group_by("platform").agg(
            (pl.col("interactions").is_not_null() & pl.col("followers_at_post").is_null()).sum().alias("far"),
            pl.col("interactions").is_not_null().sum().alias("n"),
        )
        for platform, far, n in gap.sort("platform").iter_rows():
            if far:
                notes.append(
                    _(
                        "{platform}: {far} of {n} posts have no follower count within {days} days of posting, so "
                        "er_followers leaves them out (import follower snapshots regularly)"
                    ).format(
                        platform=platform,
                        far=format_number(far),
                        n=format_number(n),
                        days=format_number(max_gap_days),
                    )
                )
    return notes


def slot_metric(frame: pl.DataFrame, metric: str) -> tuple[pl.DataFrame, str, list[str]]:
    """Use the within-account z-score when a network has posts from more than one account.

    Slots, formats, paid/organic and pillars are then compared on ``<metric>_z`` so big accounts do not drown small
    ones; the per-network summary keeps the plain metric. ``auto`` is resolved first (:func:`resolve_metric`).
    """
    if metric == AUTO:
        metric, _notes = resolve_metric(frame, metric)
    authors = frame.group_by("platform").agg(pl.col("author_id").n_unique().alias("n"))
    if authors.height and int(authors["n"].max()) > 1:  # type: ignore[arg-type]
        frame = normalise_within_account(frame, metric)
        note = f"{metric} is compared as a z-score within each account (a network has several accounts)"
        return frame, f"{metric}_z", [note]
    return frame, metric, []


def own_posts(posts: pl.DataFrame, accounts: pl.DataFrame | None) -> tuple[pl.DataFrame, list[str]]:
    """Keep, on each network where ``accounts`` marks brand accounts (``is_brand``), only their posts.

    Networks with no brand account marked keep all their posts (an export of your own account has only yours).
    Returns the posts and a note per network that lost posts.
    """
    if accounts is None or accounts.height == 0 or "is_brand" not in accounts.columns:
        return posts, []
    brand = accounts.filter(pl.col("is_brand")).select("platform", pl.col("account_id").alias("author_id"))
    if brand.height == 0:
        return posts, []
    marked = brand["platform"].unique().to_list()
    keep = posts.filter(~pl.col("platform").is_in(marked)).vstack(
        posts.join(brand, on=["platform", "author_id"], how="semi")
    )
    notes = []
    for platform in marked:
        dropped = (
            posts.filter(pl.col("platform") == platform).height - keep.filter(pl.col("platform") == platform).height
        )
        if dropped:
            notes.append(f"{platform}: {dropped} posts by accounts other than the brand's were left out")
    return keep, notes


def brand_handles(strategy: Strategy | None) -> dict[str, str]:
    """The brand's handle per network: the ecosystem entry's ``handle``, else ``brand.handles``."""
    if strategy is None:
        return {}
    out = {k: v for k, v in strategy.brand.handles.items() if v}
    out.update({n.network: n.handle for n in strategy.ecosystem if n.handle})
    return out


def analysed_posts(
    posts: pl.DataFrame, accounts: pl.DataFrame | None, strategy: Strategy | None, account: str | None = None
) -> tuple[pl.DataFrame, list[str]]:
    """The posts every analysis reads: the brand's where marked (:func:`own_posts`), one account per network
    (:func:`signalboost.analytics.accounts.select_accounts`), or ``account`` alone; with the notes saying so."""
    posts, notes = own_posts(posts, accounts)
    posts, more = select_accounts(posts, accounts, brand_handles=brand_handles(strategy), account=account)
    return posts, notes + more


def undated_notes(posts: pl.DataFrame) -> list[str]:
    """A note per network on its posts without a date (a CSV imported without its date column mapped): they keep
    their per-post figures but are left out of every analysis by time (slots, posts per day, KPIs, tactics).
    Raises :class:`AnalyticsError` when posts were imported but none has a date."""
    missing = posts.filter(pl.col("created_at").is_null())
    if missing.height == 0:
        return []
    if missing.height == posts.height:
        raise AnalyticsError(
            Ln_("the {n} post has no date", "none of the {n} posts has a date", posts.height, n=posts.height),
            where="posts.created_at",
            hint=L_(
                "Re-import the file with its date column mapped, e.g. signalboost import FILE --map "
                "created_at=COLUMN (`signalboost imports` lists what was imported)"
            ),
        )
    return [
        ngettext(
            "{platform}: {n} post has no date and is left out of every analysis by time (map the date column: "
            "--map created_at=COLUMN)",
            "{platform}: {n} posts have no date and are left out of every analysis by time (map the date column: "
            "--map created_at=COLUMN)",
            int(n),
        ).format(platform=platform, n=format_number(int(n)))
        for platform, n in missing.group_by("platform").len().sort("platform").iter_rows()
    ]


def analyze(
    strategy: Strategy | None,
    posts: pl.DataFrame,
    post_metrics: pl.DataFrame,
    snapshots: pl.DataFrame | None = None,
    *,
    accounts: pl.DataFrame | None = None,
    options: AnalysisOptions | None = None,
    assignments: pl.DataFrame | None = None,
    audience_hours: pl.DataFrame | None = None,
) -> Analysis:
    """Run every analysis of the issue on the canonical frames.

    ``assignments`` (platform, post_id, pillars, method, confidence), when given, are used as the posts' pillars
    instead of assigning them again (e.g. the current ones stored in ``post_pillars``).

    With ``accounts``, a network whose brand accounts are marked (``is_brand``) is analysed on their posts only.

    ``audience_hours`` (``platform, hour_utc, n``: interactions per UTC hour) says when each network's audience is
    active; exploration slots are drawn from those hours (else from the daytime).

    Example::

        frames = read_analytics_frames(ws)
        result = analyze(ws.strategy(), frames.posts, frames.post_metrics, frames.account_snapshots)
        result.recommended_slots
    """
    opt = options or AnalysisOptions()
    if opt.metric != AUTO:
        definition(opt.metric)  # unknown metric: a clear error naming the valid ones
    posts, own_notes = own_posts(posts, accounts)
    posts, account_notes = select_accounts(posts, accounts, brand_handles=brand_handles(strategy), account=opt.account)
    own_notes += account_notes
    if posts.height == 0:
        raise AnalyticsError(
            L_("there are no posts to analyse"),
            where="workspace",
            hint=L_("Import some first with `signalboost import FILE`"),
        )
    own_notes += undated_notes(posts)
    tz = strategy.brand.timezone if strategy else "UTC"
    eng = post_engagement(posts, post_metrics, snapshots, max_gap_days=opt.max_follower_gap_days)
    by_network, metric_notes = resolve_metrics(eng, opt.metric)
    pillars = strategy.pillars if strategy else []
    examples = [(e.text, e.pillar) for e in strategy.examples if e.pillar] if strategy else []
    if assignments is None:
        assignments = assign_pillars(posts, pillars, examples=examples, threshold=opt.pillar_threshold, seed=opt.seed)
    eng = with_pillars(eng, assignments)
    weights = strategy.pillar_weights() if strategy else {}
    eng, slot_metrics, notes = _slot_metrics(eng, by_network)
    notes = own_notes + metric_notes + definition_notes(eng, opt.max_follower_gap_days) + notes
    conf = opt.confidence
    # the advice (best times and their backtest, posts per day, formats, paid, pillar performance) reads a recent
    # window of each network's history; the summary, the pillar mix and the KPIs read every post
    windows = history_windows(
        eng, slot_metrics, months=opt.window_months, min_posts=opt.window_min_posts, since=opt.since, tz=tz
    )
    recent = in_windows(eng, windows)
    notes += [w.note() for w in windows.values() if w.note()]
    choices: dict[str, SlotChoice] = {}
    ranked = _ranked(recent, slot_metrics, tz, opt, choices)
    slots = _with_audience(ranked["slots"], audience_hours, tz)
    backed = [c.sentence() for c in choices.values()]
    undistinguished = [n for n in undistinguished_notes(slots) if n.split(":", 1)[0] not in choices]
    notes += flat_slot_notes(slots) + date_only_notes(eng) + undistinguished + backed
    own_content, reposts = without_reposts(eng, posts)
    notes += [
        f"{p}: {n} reposts (other accounts' posts shared) are left out of the pillar mix"
        for p, n in sorted(reposts.items())
    ]
    mix = pillar_mix(own_content, weights, tz=tz, per_month=False, margin=opt.drift_margin)
    notes += unclassified_notes(mix) if weights else []
    names = sorted(set(slot_metrics.values()))
    slot_metric = names[0] if len(names) == 1 else "; ".join(f"{p} {m}" for p, m in sorted(slot_metrics.items()))
    metrics_used = sorted(set(by_network.values()))
    metric = metrics_used[0] if len(metrics_used) == 1 else "; ".join(f"{p} {m}" for p, m in by_network.items())
    return Analysis(
        tz=tz,
        options=opt,
        engagement=eng,
        summary=summarize_engagement(eng, confidence=conf),
        pillar_assignments=assignments,
        pillar_mix=mix,
        pillar_mix_monthly=pillar_mix(own_content, weights, tz=tz, per_month=True, margin=opt.drift_margin),
        pillar_performance=ranked["pillars"],
        slots=slots,
        recommended_slots=recommend_slots(
            slots, k=opt.top_slots, explore=opt.explore, seed=opt.seed, min_posts=opt.min_posts
        ),
        frequency_curve=posts_per_day_curve(
            recent, tz=tz, metric=opt.frequency_metric, max_k=opt.max_posts_per_day, confidence=conf
        ),
        frequency=recommend_frequency(
            recent,
            tz=tz,
            metric=opt.frequency_metric,
            max_k=opt.max_posts_per_day,
            min_days=opt.min_days,
            confidence=conf,
        ),
        formats=ranked["formats"],
        paid=ranked["paid"],
        kpis=kpi_status(strategy.kpis if strategy else [], eng, snapshots, as_of=opt.as_of),
        tactics=tactic_effects(strategy.tactics if strategy else [], strategy.kpis if strategy else [], eng, tz=tz),
        slot_metric=slot_metric,
        notes=notes,
        metric=metric,
        slot_metrics=slot_metrics,
        slot_choices=choices,
        windows=windows,
    )


def _slot_metrics(frame: pl.DataFrame, by_network: dict[str, str]) -> tuple[pl.DataFrame, dict[str, str], list[str]]:
    """Per network, the metric to rank by: its own, or the within-account z-score when a network has several
    accounts (then on every network, as :func:`slot_metric` does)."""
    authors = frame.group_by("platform").agg(pl.col("author_id").n_unique().alias("n"))
    if not (authors.height and int(authors["n"].max()) > 1):  # type: ignore[arg-type]
        return frame, dict(by_network), []
    notes = []
    for metric in sorted(set(by_network.values())):
        frame = normalise_within_account(frame, metric)
        notes.append(f"{metric} is compared as a z-score within each account (a network has several accounts)")
    return frame, {p: f"{m}_z" for p, m in by_network.items()}, notes


def _with_audience(slots: pl.DataFrame, hours: pl.DataFrame | None, tz: str) -> pl.DataFrame:
    """Column ``audience_active``: whether the slot's local hour is one when the network's audience is active
    (:func:`signalboost.analytics.timing.audience_active_hours`); null where the interactions cannot tell."""
    parts = []
    for (platform,), group in slots.group_by(["platform"], maintain_order=True):
        active = audience_active_hours(hours, str(platform), tz)
        flag = pl.col("slot_hour").is_in(sorted(active)) if active is not None else pl.lit(None, pl.Boolean)
        parts.append(group.with_columns(flag.alias("audience_active")))
    if not parts:
        return slots.with_columns(pl.lit(None, pl.Boolean).alias("audience_active"))
    return pl.concat(parts)


def _ranked(
    eng: pl.DataFrame,
    slot_metrics: dict[str, str],
    tz: str,
    opt: AnalysisOptions,
    choices: dict[str, SlotChoice] | None = None,
) -> dict[str, pl.DataFrame]:
    """Slots, formats, paid/organic and pillar performance, each network on its own metric, stacked; over the
    brand's own posts (reposts left out: what figures a repost carries are the shared post's).

    Each network's slot model (grain and outcome scale) is the one its own history's backtest chose
    (:func:`signalboost.analytics.slot_choice.choose_slot_model`, recorded in ``choices``); its slots are advised
    only when that backtest's gain interval lies above 0 (column ``backed``)."""
    parts: dict[str, list[pl.DataFrame]] = {"slots": [], "formats": [], "paid": [], "pillars": []}
    conf = opt.confidence
    for platform, metric in sorted(slot_metrics.items()):
        # the brand's own posts: a repost's figures, where an export gives any, are the shared post's
        sub, _reposts = own_posts_only(eng.filter(pl.col("platform") == platform))
        if sub.height == 0:
            continue
        choice = choose_slot_model(
            sub,
            platform,
            metric=metric,
            tz=tz,
            hour_block=opt.hour_block,
            min_posts=opt.min_posts,
            top_slots=opt.top_slots,
        )
        if choices is not None:
            choices[platform] = choice
        table = slot_table(
            sub,
            metric=metric,
            tz=tz,
            hour_block=opt.hour_block,
            min_posts=opt.min_posts,
            grain=choice.grain,
            scale=choice.scale,
        )
        parts["slots"].append(table.with_columns(pl.lit(choice.backed).alias("backed")))
        parts["formats"].append(compare_formats(sub, metric=metric, confidence=conf))
        parts["paid"].append(compare_paid(sub, metric=metric, confidence=conf))
        parts["pillars"].append(compare_groups(explode_pillars(sub), "pillar", metric=metric, confidence=conf))
    out = {}
    for name, frames in parts.items():
        frames = [f for f in frames if f.height]
        if name == "slots":
            out[name] = (
                pl.concat(frames)
                if frames
                else slot_table(eng.head(0), metric=next(iter(slot_metrics.values()), "interactions"), tz=tz)
            )
        else:
            out[name] = pl.concat(frames, how="diagonal_relaxed") if frames else pl.DataFrame()
    return out
