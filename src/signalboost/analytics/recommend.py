"""The re-tuned schedule: proposed hours and posts per week per network, as a diff of strategy.yaml with evidence.

For each network of ``schedule.networks`` that has posts, from the recent window of its history the analysis read
(:mod:`signalboost.analytics.history`: the last 12 months, widened to 60 posts with a figure; stated as the first
evidence row, kind ``window``):

- ``min_posts_per_week`` becomes the recommended posts per week of
  :func:`signalboost.analytics.frequency.recommend_frequency` only when its evidence supports a change of posts per
  day; otherwise (``keep k/day``, or not enough data) the current number is kept, whatever the history's habit;
- the weekly slots become that many slots: the best slots by shrunk expected engagement
  (:func:`signalboost.analytics.timing.recommend_slots`, only slots with enough data), plus up to ``explore``
  exploration slots so the schedule keeps learning; when the data cannot fill the week, the current slots are kept.
  When no slot stands out from the network's mean (between-slot variance τ² = 0, every slot shrunk all the way),
  there is no evidence for any hour: the current slots are kept and only the exploration slots are added.
- every evidence line names the metric as the network defines it: on X, interactions are ``likes + reposts``
  and marked partial (replies are not in an X archive).

:func:`apply_proposal` writes the change through :class:`signalboost.model.io.StrategyDocument`, so comments and
key order of the file survive.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from typing import Any

import polars as pl
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from signalboost.analytics.analysis import Analysis
from signalboost.analytics.frequency import frequency_advice
from signalboost.analytics.history import HistoryWindow, window_evidence
from signalboost.analytics.metrics import DEFINITIONS, INTERACTION_METRICS, group_bases
from signalboost.analytics.timing import WEEKDAY_NAMES, is_flat, recommend_slots
from signalboost.i18n import _, format_number, format_percent, format_significant
from signalboost.model.io import StrategyDocument
from signalboost.model.strategy import Strategy


@dataclass
class SlotChoice:
    """One slot of the proposed timetable and why it is there."""

    weekday: str
    time: str
    kind: str  # recommended / explore / kept
    evidence: str


@dataclass
class NetworkProposal:
    """The proposal for one network."""

    network: str
    old_per_week: int
    new_per_week: int
    per_week_evidence: str
    old_slots: dict[str, list[str]]
    slots: list[SlotChoice] = field(default_factory=list)

    def new_slots(self) -> dict[str, list[str]]:
        """Weekday -> sorted local times, weekdays in calendar order."""
        out: dict[str, list[str]] = {}
        for day in WEEKDAY_NAMES:
            times = sorted({s.time for s in self.slots if s.weekday == day})
            if times:
                out[day] = times
        return out

    @property
    def changed(self) -> bool:
        return self.old_per_week != self.new_per_week or self.new_slots() != {
            d: sorted(t) for d, t in self.old_slots.items() if t
        }


@dataclass
class Proposal:
    """The proposed schedule change for every network with data."""

    networks: list[NetworkProposal]
    skipped: dict[str, str] = field(default_factory=dict)  # network -> why no proposal
    formats: list[dict[str, Any]] = field(default_factory=list)  # format advice, best effect first per network
    windows: dict[str, HistoryWindow] = field(default_factory=dict)  # network -> the history the advice read

    def evidence_rows(self) -> list[dict[str, Any]]:
        """One row per proposed line: network, what, value, kind, evidence; first, per network, the history the
        advice read (``what`` ``history``, ``value`` its first and last day as an ISO interval, kind ``window``)."""
        rows: list[dict[str, Any]] = []
        for net in [n.network for n in self.networks] + list(self.skipped):
            w = self.windows.get(net)
            if w is not None:
                rows.append(
                    {
                        "network": net,
                        "what": "history",
                        "value": f"{w.start.date().isoformat()}/{w.end.date().isoformat()}",
                        "kind": "window",
                        "evidence": window_evidence(w),
                    }
                )
        for n in self.networks:
            rows.append(
                {
                    "network": n.network,
                    "what": "min_posts_per_week",
                    "value": f"{n.old_per_week} -> {n.new_per_week}",
                    "kind": "frequency",
                    "evidence": n.per_week_evidence,
                }
            )
            for s in n.slots:
                rows.append(
                    {
                        "network": n.network,
                        "what": f"slot {s.weekday}",
                        "value": s.time,
                        "kind": s.kind,
                        "evidence": s.evidence,
                    }
                )
        for net, why in self.skipped.items():
            rows.append({"network": net, "what": "(none)", "value": "", "kind": "skipped", "evidence": why})
        for f in self.formats:
            rows.append(
                {
                    "network": f["network"],
                    "what": f"format {f['format']}",
                    "value": f["advice"],
                    "kind": "format",
                    "evidence": f["evidence"],
                }
            )
        return rows


def _fmt(x: float, metric: str) -> str:
    """A figure in the active language: a rate as a percentage with 2 decimals, else 3 significant digits."""
    if metric.startswith("er_") and not metric.endswith("_z"):
        return format_percent(x, digits=2)
    return format_significant(x, digits=3)


def _signed(x: float) -> str:
    """``+0.83`` / ``-0.56`` with two decimals in the active language."""
    return ("+" if x >= 0 else "") + format_number(x, digits=2)


def _metric_words(metric: str, analysis: Analysis, network: str) -> str:
    """The metric in plain words: ``engagement rate by reach``; ``interactions`` or, where the network's sum is
    partial, ``interactions (likes + reposts; partial)`` (the glossary and the JSON keep the field names)."""
    plain = metric
    if metric in DEFINITIONS and metric != "interactions":
        label = _(DEFINITIONS[metric].label)
        plain = label[:1].lower() + label[1:]
    if metric.removesuffix("_z") not in INTERACTION_METRICS:
        return plain
    eng = analysis.engagement
    bases = [b for b in group_bases(eng.filter(pl.col("platform") == network)) if b[1] is not None]
    if len(bases) == 1 and bases[0][2]:
        return _("{metric} ({basis}; partial: {note})").format(metric=plain, basis=bases[0][1], note=bases[0][2])
    return plain


def _slot_evidence(row: dict[str, Any], hour_block: int, words: str | None = None) -> str:
    m = row["metric"]
    name = words or m
    span = f"{row['slot_hour']:02d}:00" + (f"–{row['slot_hour'] + hour_block - 1:02d}:59" if hour_block > 1 else "")
    if row["kind"] == "explore":
        return _("{span}: exploration — only {n} post(s) so far; plausible {name} {low}–{high}").format(
            span=span, n=row["n_posts"], name=name, low=_fmt(row["ci_low"], m), high=_fmt(row["ci_high"], m)
        )
    return _("{span}: expected {name} {value} [{low}, {high}] from {n} posts (raw {raw}, network {prior})").format(
        span=span,
        name=name,
        value=_fmt(row["expected"], m),
        low=_fmt(row["ci_low"], m),
        high=_fmt(row["ci_high"], m),
        n=row["n_posts"],
        raw=_fmt(row["raw_mean"], m),
        prior=_fmt(row["prior_mean"], m),
    )


def propose_schedule(
    strategy: Strategy,
    analysis: Analysis,
    *,
    explore: int | None = None,
    market_per_week: dict[str, tuple[int, str]] | None = None,
) -> Proposal:
    """Build the :class:`Proposal` from an :class:`Analysis` (module doc gives the rules).

    ``market_per_week`` (``recommend --market``): per network, posts per week suggested by the competitors'
    results and why (:func:`signalboost.competitors.advice.market_per_week`); used only where the brand's own
    data proposes no change, and its evidence says it comes from the market."""
    n_explore = analysis.options.explore if explore is None else explore
    freq = {r["platform"]: r for r in analysis.frequency.iter_rows(named=True)} if analysis.frequency.height else {}
    proposals, skipped = [], {}
    for net, sched in strategy.schedule.networks.items():
        slots = analysis.slots.filter(pl.col("platform") == net)
        if slots.height == 0 or int(slots["n_posts"].sum()) == 0:
            skipped[net] = _("no posts with the metric on this network yet: keep the current schedule")
            continue
        f = freq.get(net)
        old_n = sched.min_posts_per_week
        f_words = _metric_words(analysis.options.frequency_metric, analysis, net)
        # one computation: the number and its wording come from the same frequency row (frequency_advice)
        new_n, why = frequency_advice(f, old_n)
        if f and f_words != analysis.options.frequency_metric:
            why = _("{why} [daily totals of {words}]").format(why=why, words=f_words)
        market = (market_per_week or {}).get(net)
        if market is not None and new_n == old_n and market[0] != old_n:
            new_n, why = market[0], _("{market} (your own data: {why})").format(market=market[1], why=why)
        n_ex = min(n_explore, max(new_n // 4, 0))
        used = slots.filter(pl.col("n_posts") > 0)
        flat = is_flat(slots)
        words = _metric_words(str(slots["metric"][0]), analysis, net)
        k = 0 if flat else max(new_n - n_ex, 0)
        ranked = recommend_slots(
            slots, k=k, explore=n_ex, seed=analysis.options.seed, min_posts=analysis.options.min_posts
        )
        chosen = [
            SlotChoice(
                WEEKDAY_NAMES[int(r["weekday"])],
                f"{int(r['slot_hour']):02d}:00",
                str(r["kind"]),
                _slot_evidence(r, analysis.options.hour_block, words),
            )
            for r in ranked.iter_rows(named=True)
        ]
        standout = any(c.kind == "recommended" for c in chosen)
        choice = analysis.slot_choices.get(net)
        keep_why = (
            _(
                "kept from the current schedule: no slot stands out from the network mean ({n} posts; between-slot "
                "variance 0)"
            ).format(n=int(used["n_posts"].sum()))
            if flat
            else _(
                "the backtest on this account's history found no better hour (see the best-times note), so keep the "
                "current hours"
            )
            if choice is not None and not choice.backed
            else _(
                "kept from the current schedule: no slot is distinguishable from the network mean (each slot's "
                "interval includes it), so keep the current hours"
            )
            if not standout
            else _("kept from the current schedule: too little data")
        )
        old: dict[str, list[str]] = {str(d): list(ts) for d, ts in sched.slots.items()}
        for day, times in old.items():
            for t in times:
                if len(chosen) >= new_n and standout:  # nothing stands out: every current hour is kept
                    break
                if not any(c.weekday == day and c.time == t for c in chosen):
                    chosen.append(SlotChoice(day, t, "kept", keep_why))
        if len(chosen) < new_n:  # the data and the old timetable cannot fill the week: explore more
            reserve = recommend_slots(
                slots, k=0, explore=new_n, seed=analysis.options.seed, min_posts=analysis.options.min_posts
            )
            for r in reserve.iter_rows(named=True):
                day, time = WEEKDAY_NAMES[int(r["weekday"])], f"{int(r['slot_hour']):02d}:00"
                if len(chosen) < new_n and not any(c.weekday == day and c.time == time for c in chosen):
                    chosen.append(
                        SlotChoice(day, time, "explore", _slot_evidence(r, analysis.options.hour_block, words))
                    )
        if len(chosen) < new_n:  # fewer distinct slots than posts (e.g. --hour-block 24): the week cannot hold more
            why = _("{why}; capped at the {n} distinct slots available").format(why=why, n=len(chosen))
            new_n = len(chosen)
        proposals.append(NetworkProposal(net, old_n, new_n, why, old, chosen))
    return Proposal(proposals, skipped, format_advice(analysis), dict(analysis.windows))


def format_advice(analysis: Analysis) -> list[dict[str, Any]]:
    """Per network and format, ranked by effect: ``more of it`` / ``less of it`` / ``not distinguishable``, with the
    effect in standard deviations and its 95 % interval (from :func:`signalboost.analytics.compare.compare_formats`)."""
    table = analysis.formats
    if table.height == 0 or "effect" not in table.columns:
        return []
    out = []
    for r in table.filter(pl.col("effect").is_not_null()).iter_rows(named=True):
        words = _metric_words(str(r["metric"]), analysis, str(r["platform"]))
        out.append(
            {
                "network": r["platform"],
                "format": r["group"],
                "advice": r["advice"],
                "effect": r["effect"],
                "evidence": (
                    _("{effect} SD vs the other formats [{low}, {high}] on {words}, {n} posts").format(
                        effect=_signed(r["effect"]),
                        low=_signed(r["effect_low"]),
                        high=_signed(r["effect_high"]),
                        words=words,
                        n=r["n_used"],
                    )
                    + (_(": the interval includes 0") if r["advice"] == "not distinguishable" else "")
                ),
            }
        )
    return out


def _slots_node(slots: dict[str, list[str]]) -> CommentedMap:
    node = CommentedMap()
    for day, times in slots.items():
        seq = CommentedSeq([DoubleQuotedScalarString(t) for t in times])
        seq.fa.set_flow_style()
        node[day] = seq
    return node


def apply_proposal(doc: StrategyDocument, proposal: Proposal, *, today: dt.date | None = None) -> StrategyDocument:
    """Write the proposal into ``doc`` (in place; comments kept) and return it. Validate with ``doc.strategy()``."""
    networks = doc.get(("schedule", "networks"))
    for n in proposal.networks:
        node = networks[n.network]
        node["min_posts_per_week"] = n.new_per_week
        node["slots"] = _slots_node(n.new_slots())
    schedule = doc.get(("schedule",))
    if proposal.networks and "last_reviewed" in schedule:
        schedule["last_reviewed"] = today or dt.date.today()
    doc.strategy()
    return doc


def proposal_diff(
    doc: StrategyDocument, proposal: Proposal, *, name: str = "strategy.yaml", today: dt.date | None = None
) -> str:
    """Unified diff of the document before and after the proposal, each added slot line followed by its evidence."""
    before = doc.dumps()
    after_doc = StrategyDocument.loads(before)
    apply_proposal(after_doc, proposal, today=today)
    after = after_doc.dumps().splitlines()
    lines = list(
        difflib.unified_diff(before.splitlines(), after, fromfile=name, tofile=f"{name} (proposed)", lineterm="", n=2)
    )
    return "\n".join(_annotate(lines, after, proposal))


_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@")


def _network_at(after: list[str], networks: list[str]) -> list[str]:
    """For each line of the new document, the schedule network whose block it is in ('' if none)."""
    heads = {re.compile(rf"^\s+{re.escape(n)}:\s*$"): n for n in networks}
    current, out = "", []
    for line in after:
        for pattern, net in heads.items():
            if pattern.match(line):
                current = net
        out.append(current)
    return out


def _annotate(lines: list[str], after: list[str], proposal: Proposal) -> list[str]:
    """After each added line naming a weekday or the weekly count, add ``#   why: …`` lines (evidence), in the
    reader's language (the kinds ``recommended``/``explore``/``kept`` are words of the report's vocabulary)."""
    by_day: dict[tuple[str, str], list[SlotChoice]] = {}
    for n in proposal.networks:
        for s in n.slots:
            by_day.setdefault((n.network, s.weekday), []).append(s)
    per_week = {n.network: n.per_week_evidence for n in proposal.networks}
    owner = _network_at(after, [n.network for n in proposal.networks])
    out: list[str] = []
    pos = 0  # index in `after` of the next context or added line
    for line in lines:
        out.append(line)
        hunk = _HUNK.match(line)
        if hunk:
            pos = int(hunk.group(1)) - 1
            continue
        if line.startswith(("+++", "---")) or line.startswith("-"):
            continue
        network = owner[pos] if pos < len(owner) else ""
        pos += 1
        if not line.startswith("+"):
            continue
        key = line[1:].strip().split(":", 1)[0]
        if key == "min_posts_per_week" and network in per_week:
            out.append("#   " + _("why:") + f" {per_week[network]}")
        elif key in WEEKDAY_NAMES:
            for s in sorted(by_day.get((network, key), []), key=lambda c: c.time):
                # the weekday as the YAML key on the line above (mon); the kind in words (explore -> utforsk)
                why = _("why {day} {time} ({kind}):").format(day=s.weekday, time=s.time, kind=_(s.kind))
                out.append(f"#   {why} {s.evidence}")
    return out
