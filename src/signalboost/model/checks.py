"""Checks that span the strategy document, run on the parsed YAML so each problem keeps its line and column.

They run even when parts of the document have type errors (those are reported by the pydantic layer), and skip
what they cannot read. Rules (the method's, see docs/DESIGN.md):

- pillar weights sum to 100 (the actual sum is reported);
- ids of personas, pillars, tactics and KPIs are unique, and so are the networks of the ecosystem;
- every reference resolves — personas, networks, pillars, tactics, KPIs — with a "did you mean …" suggestion;
- every ecosystem network has a role and a schedule, and its weekly slots are not fewer than its minimum;
- warnings: a missing example for a pillar on a network or for a tactic; a persona or the schedule past its review
  date (``last_reviewed + review_every_days < today``); an empty factor.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from signalboost.i18n import L_, N_, Ln_
from signalboost.model.positions import KeyPath, key_position, position
from signalboost.model.strategy import EARLIEST_DATE, LATEST_DATE, MAX_REVIEW_DAYS
from signalboost.model.suggest import did_you_mean
from signalboost.model.vocab import FORMATS, NETWORKS, allowed_aggregations, default_aggregation

if TYPE_CHECKING:
    from signalboost.model.validate import Problem


def _problem(
    root: Any, level: str, message: str, path: KeyPath, code: str, hint: str = "", *, key: bool = False
) -> Problem:
    from signalboost.model.validate import Problem

    line, col = key_position(root, path) if key else position(root, path)
    return Problem("error" if level == "error" else "warning", message, line, col, path, code, hint)


def _entries(root: Any, section: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """``(index, mapping)`` for every mapping in the list ``root[section]``."""
    items = root.get(section) if isinstance(root, dict) else None
    if isinstance(items, list):
        for i, item in enumerate(items):
            if isinstance(item, dict):
                yield i, item


def _personas(root: Any) -> Iterator[tuple[int, dict[str, Any]]]:
    audience = root.get("audience")
    if isinstance(audience, dict):
        yield from _entries(audience, "personas")


def _strings(value: Any) -> Iterator[tuple[int, str]]:
    if isinstance(value, list):
        for i, v in enumerate(value):
            if isinstance(v, str):
                yield i, v


def _number(value: Any) -> float | None:
    """A finite number, else ``None`` (the model reports what is wrong with it: text, ``.inf``, ``1e309``…)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        out = float(value)
    except OverflowError:  # an integer too large for a float
        return None
    return out if math.isfinite(out) else None


#: the kinds of ids, as words (singular, plural) translated when shown
KIND_WORDS: dict[str, tuple[str, str]] = {
    "persona": (N_("persona"), N_("personas")),
    "pillar": (N_("pillar"), N_("pillars")),
    "tactic": (N_("tactic"), N_("tactics")),
    "KPI": (N_("KPI"), N_("KPIs")),
}


def _kind(kind: str, *, plural: bool = False) -> str:
    """``kind`` as a word in the reader's language (``pillar``/``pilar``; ``plural``: ``pillars``/``pilarer``)."""
    words = KIND_WORDS.get(kind)
    return L_(words[1] if plural else words[0]) if words else kind


def _fmt(x: float) -> str:
    return str(int(x)) if x == int(x) else f"{x:g}"


class _Checker:
    """Collects the cross-document problems of one document."""

    def __init__(self, root: dict[str, Any], today: dt.date) -> None:
        self.root = root
        self.today = today
        self.problems: list[Problem] = []
        self.personas = self._ids(_personas(root), ("audience", "personas"), "persona")
        self.pillars = self._ids(_entries(root, "pillars"), ("pillars",), "pillar")
        self.tactics = self._ids(_entries(root, "tactics"), ("tactics",), "tactic")
        self.kpis = self._ids(_entries(root, "kpis"), ("kpis",), "KPI")
        self.networks = self._ecosystem_networks()

    def add(self, level: str, message: str, path: KeyPath, code: str, hint: str = "", *, key: bool = False) -> None:
        self.problems.append(_problem(self.root, level, message, path, code, hint, key=key))

    # ---------------------------------------------------------------------------------------------- ids
    def _ids(self, entries: Iterable[tuple[int, dict[str, Any]]], base: KeyPath, kind: str) -> list[str]:
        seen: dict[str, int] = {}
        for i, entry in entries:
            ident = entry.get("id")
            if not isinstance(ident, str):
                continue
            path = (*base, i, "id")
            if ident in seen:
                first_line = position(self.root, (*base, seen[ident], "id"))[0]
                self.add(
                    "error",
                    L_(
                        "duplicate {kind} id {ident!r} (first defined on line {first_line!s})",
                        kind=_kind(kind),
                        ident=ident,
                        first_line=first_line,
                    ),
                    path,
                    "duplicate-id",
                    L_("Each id must be unique: rename one of them"),
                )
            else:
                seen[ident] = i
        return list(seen)

    def _ecosystem_networks(self) -> list[str]:
        seen: dict[str, int] = {}
        for i, entry in _entries(self.root, "ecosystem"):
            net = entry.get("network")
            if not isinstance(net, str) or not net:
                continue
            path: KeyPath = ("ecosystem", i, "network")
            if net not in NETWORKS:
                self.add(
                    "error",
                    L_("unknown network {net!r}{did_you_mean}", net=net, did_you_mean=did_you_mean(net, NETWORKS)),
                    path,
                    "unknown-network",
                    L_("Known networks: {choices}", choices=", ".join(NETWORKS)),
                )
            if net in seen:
                first_line = position(self.root, ("ecosystem", seen[net], "network"))[0]
                self.add(
                    "error",
                    L_(
                        "network {net!r} is listed twice in the ecosystem (first on line {first_line!s})",
                        net=net,
                        first_line=first_line,
                    ),
                    path,
                    "duplicate-id",
                    L_("List each network once"),
                )
            else:
                seen[net] = i
        return list(seen)

    # ------------------------------------------------------------------------------------------- refs
    def ref(self, value: str, known: list[str], kind: str, path: KeyPath, section: str) -> None:
        """Report ``value`` when it is not among ``known`` ids of ``kind`` (defined under ``section``)."""
        if value in known:
            return
        if not known:
            self.add(
                "error",
                L_(
                    "unknown {kind} {value!r}: the document defines no {kinds}",
                    kind=_kind(kind),
                    value=value,
                    kinds=_kind(kind, plural=True),
                ),
                path,
                "unknown-ref",
                L_("Define it under {section}: or remove the reference", section=section),
            )
            return
        self.add(
            "error",
            L_(
                "unknown {kind} {value!r}{did_you_mean}",
                kind=_kind(kind),
                value=value,
                did_you_mean=did_you_mean(value, known),
            ),
            path,
            "unknown-ref",
            L_("Defined {kinds}: {choices}", kinds=_kind(kind, plural=True), choices=", ".join(known)),
        )

    def network_ref(self, value: str, path: KeyPath) -> None:
        """A network used by a tactic, example, KPI or schedule must be in the ecosystem."""
        if value in self.networks:
            return
        if value in NETWORKS:
            self.add(
                "error",
                L_("network {value!r} is not in the ecosystem", value=value),
                path,
                "unknown-ref",
                L_("Add `- network: {value}` under ecosystem:, or remove it here", value=value),
            )
            return
        candidates = self.networks + [n for n in NETWORKS if n not in self.networks]
        self.add(
            "error",
            L_("unknown network {value!r}{did_you_mean}", value=value, did_you_mean=did_you_mean(value, candidates)),
            path,
            "unknown-ref",
            L_("Networks of the ecosystem: {value}", value=", ".join(self.networks) or L_("none yet")),
        )

    def references(self) -> None:
        for i, persona in _personas(self.root):
            for j, net in _strings(persona.get("networks")):
                if net not in NETWORKS:
                    self.add(
                        "error",
                        L_("unknown network {net!r}{did_you_mean}", net=net, did_you_mean=did_you_mean(net, NETWORKS)),
                        ("audience", "personas", i, "networks", j),
                        "unknown-ref",
                        L_("Known networks: {choices}", choices=", ".join(NETWORKS)),
                    )
        for i, entry in _entries(self.root, "ecosystem"):
            for j, pid in _strings(entry.get("personas")):
                self.ref(pid, self.personas, "persona", ("ecosystem", i, "personas", j), "audience.personas")
        for i, tactic in _entries(self.root, "tactics"):
            for j, net in _strings(tactic.get("networks")):
                self.network_ref(net, ("tactics", i, "networks", j))
            for j, pid in _strings(tactic.get("pillars")):
                self.ref(pid, self.pillars, "pillar", ("tactics", i, "pillars", j), "pillars")
            for j, kid in _strings(tactic.get("kpis")):
                self.ref(kid, self.kpis, "KPI", ("tactics", i, "kpis", j), "kpis")
        for i, ex in _entries(self.root, "examples"):
            self._example_refs(i, ex)
        for i, kpi in _entries(self.root, "kpis"):
            kpi_net = kpi.get("network")
            if isinstance(kpi_net, str) and kpi_net:
                self.network_ref(kpi_net, ("kpis", i, "network"))
        curation = self.root.get("curation")
        if isinstance(curation, dict):
            for j, net in _strings(curation.get("networks")):
                self.network_ref(net, ("curation", "networks", j))
        brand = self.root.get("brand")
        if isinstance(brand, dict) and isinstance(brand.get("handles"), dict):
            for net in brand["handles"]:
                if isinstance(net, str) and net not in NETWORKS:
                    self.add(
                        "error",
                        L_("unknown network {net!r}{did_you_mean}", net=net, did_you_mean=did_you_mean(net, NETWORKS)),
                        ("brand", "handles", net),
                        "unknown-ref",
                        L_("Known networks: {choices}", choices=", ".join(NETWORKS)),
                        key=True,
                    )

    def formats(self) -> None:
        """Formats outside the vocabulary are warnings (the importers and analytics will not recognise them)."""
        places: list[tuple[KeyPath, Any]] = []
        for i, entry in _entries(self.root, "ecosystem"):
            places += [(("ecosystem", i, "formats", j), f) for j, f in _strings(entry.get("formats"))]
        for i, ex in _entries(self.root, "examples"):
            places.append((("examples", i, "format"), ex.get("format")))
        for path, fmt in places:
            if isinstance(fmt, str) and fmt and fmt not in FORMATS:
                self.add(
                    "warning",
                    L_("unknown format {fmt!r}{did_you_mean}", fmt=fmt, did_you_mean=did_you_mean(fmt, FORMATS)),
                    path,
                    "unknown-format",
                    L_("Known formats: {choices}", choices=", ".join(FORMATS)),
                )

    def _example_refs(self, i: int, ex: dict[str, Any]) -> None:
        net, pillar, tactic = ex.get("network"), ex.get("pillar"), ex.get("tactic")
        if isinstance(net, str) and net:
            self.network_ref(net, ("examples", i, "network"))
        if isinstance(pillar, str) and pillar:
            self.ref(pillar, self.pillars, "pillar", ("examples", i, "pillar"), "pillars")
        if isinstance(tactic, str) and tactic:
            self.ref(tactic, self.tactics, "tactic", ("examples", i, "tactic"), "tactics")
        if not pillar and not tactic:
            self.add(
                "error",
                L_("example has neither a pillar nor a tactic"),
                ("examples", i),
                "example-target",
                L_("Add `pillar: <id>` or `tactic: <id>` so the example fills a cell of the matrix"),
            )
        for j, kid in _strings(ex.get("kpis")):
            self.ref(kid, self.kpis, "KPI", ("examples", i, "kpis", j), "kpis")

    # ------------------------------------------------------------------------------------------- rules
    def weights(self) -> None:
        entries = list(_entries(self.root, "pillars"))
        weights = [_number(p.get("weight")) for _, p in entries]
        if not entries or any(w is None for w in weights):
            return
        total = math.fsum(w for w in weights if w is not None)
        if abs(total - 100.0) > 1e-6:
            self.add(
                "error",
                L_("pillar weights sum to {total}, not 100", total=total),
                ("pillars",),
                "weights",
                L_("Change the weights so they add up to 100 (e.g. 40/30/20/10)"),
                key=True,
            )

    def ecosystem_rules(self) -> None:
        schedule = self.root.get("schedule")
        sched_nets = schedule.get("networks") if isinstance(schedule, dict) else None
        sched_nets = sched_nets if isinstance(sched_nets, dict) else {}
        for i, entry in _entries(self.root, "ecosystem"):
            net = entry.get("network")
            if not isinstance(net, str) or not net:
                continue
            role = entry.get("role")
            if not isinstance(role, str) or not role.strip():
                self.add(
                    "error",
                    L_("network {net!r} has no role", net=net),
                    ("ecosystem", i),
                    "no-role",
                    L_("Say what job it does in the strategy, e.g. `role: inspiration and community`"),
                )
            if net not in sched_nets:
                self.add(
                    "error",
                    L_("network {net!r} has no schedule", net=net),
                    ("ecosystem", i, "network"),
                    "no-schedule",
                    L_("Add schedule.networks.{net} with min_posts_per_week and slots", net=net),
                )
        for net, plan in sched_nets.items():
            path: KeyPath = ("schedule", "networks", net)
            if isinstance(net, str) and net not in self.networks:
                if net in NETWORKS:
                    self.add(
                        "error",
                        L_("schedule for {net!r}, which is not in the ecosystem", net=net),
                        path,
                        "unknown-ref",
                        L_("Add `- network: {net}` under ecosystem:, or remove this schedule", net=net),
                        key=True,
                    )
                else:
                    cands = self.networks or list(NETWORKS)
                    self.add(
                        "error",
                        L_(
                            "schedule for unknown network {net!r}{did_you_mean}",
                            net=net,
                            did_you_mean=did_you_mean(net, cands),
                        ),
                        path,
                        "unknown-ref",
                        L_("Networks of the ecosystem: {value}", value=", ".join(self.networks) or L_("none yet")),
                        key=True,
                    )
            if isinstance(plan, dict):
                self._slots(net, plan, path)

    def _slots(self, net: Any, plan: dict[str, Any], path: KeyPath) -> None:
        minimum = _number(plan.get("min_posts_per_week"))
        slots = plan.get("slots")
        if minimum is None or (slots is not None and not isinstance(slots, dict)):
            return
        count = sum(len(v) for v in (slots or {}).values() if isinstance(v, list))
        if count < minimum:
            where = (*path, "slots") if slots is not None else (*path, "min_posts_per_week")
            self.add(
                "error",
                L_(
                    "{net} has {slots} a week, fewer than its minimum of {posts} a week",
                    net=net,
                    slots=Ln_("{n} slot", "{n} slots", count),
                    posts=Ln_("{n} post", "{n} posts", 1 if minimum == 1 else 2, n=minimum),
                ),
                where,
                "too-few-slots",
                L_("Add time slots or lower min_posts_per_week"),
                key=slots is not None,
            )

    # ------------------------------------------------------------------------------------------ warnings
    def examples_matrix(self) -> None:
        filled: set[tuple[str, str]] = set()
        tactic_done: set[str] = set()
        for _, ex in _entries(self.root, "examples"):
            net, pillar, tactic = ex.get("network"), ex.get("pillar"), ex.get("tactic")
            if isinstance(pillar, str) and isinstance(net, str):
                filled.add((pillar, net))
            if isinstance(tactic, str):
                tactic_done.add(tactic)
        has_examples = "examples" in self.root
        for i, pillar in _entries(self.root, "pillars"):
            pid = pillar.get("id")
            for net in self.networks if isinstance(pid, str) else []:
                if (pid, net) not in filled:
                    anchor: KeyPath = ("examples",) if has_examples else ("pillars", i, "id")
                    self.add(
                        "warning",
                        L_("no example post for pillar {pid!r} on {net}", pid=pid, net=net),
                        anchor,
                        "missing-example",
                        L_("Add an example with `network: {net}` and `pillar: {pid}`", net=net, pid=pid),
                        key=has_examples,
                    )
                    filled.add((str(pid), net))
        for i, tactic in _entries(self.root, "tactics"):
            tid = tactic.get("id")
            if isinstance(tid, str) and tid not in tactic_done:
                anchor = ("examples",) if has_examples else ("tactics", i, "id")
                self.add(
                    "warning",
                    L_("no example post for tactic {tid!r}", tid=tid),
                    anchor,
                    "missing-example",
                    L_("Add an example with `tactic: {tid}`", tid=tid),
                    key=has_examples,
                )
                tactic_done.add(tid)

    def reviews(self) -> None:
        for i, persona in _personas(self.root):
            name = persona.get("id", f"#{i + 1}")
            self._review(L_("persona {name!r}", name=name), persona, ("audience", "personas", i))
        schedule = self.root.get("schedule")
        if isinstance(schedule, dict) and "last_reviewed" in schedule:
            self._review(L_("the schedule"), schedule, ("schedule",))

    def _review(self, what: str, node: dict[str, Any], path: KeyPath) -> None:
        last = node.get("last_reviewed")
        every = node.get("review_every_days", 90 if path[0] == "audience" else 30)
        if last is None:
            self.add(
                "warning",
                L_("{what} has never been reviewed", what=what),
                path,
                "review-due",
                L_("Review it against recent data and add `last_reviewed: YYYY-MM-DD`"),
            )
            return
        if not isinstance(last, dt.date) or isinstance(every, bool) or not isinstance(every, int):
            return
        if not (EARLIEST_DATE <= last <= LATEST_DATE and 1 <= every <= MAX_REVIEW_DAYS):
            return  # out of the model's bounds: reported there, at its line, not computed with here
        due = last + dt.timedelta(days=every)
        if due < self.today:
            self.add(
                "warning",
                L_(
                    "{what} is past its review date {due} (last reviewed {last}, every {every} days)",
                    what=what,
                    due=due.isoformat(),
                    last=last.isoformat(),
                    every=every,
                ),
                (*path, "last_reviewed"),
                "review-due",
                L_("Review it against recent data, then update last_reviewed"),
            )

    def kpi_aggregations(self) -> None:
        """A KPI that could be read several ways (a total or a per-post mean) must say which."""
        for i, kpi in _entries(self.root, "kpis"):
            metric = kpi.get("metric")
            if not isinstance(metric, str) or kpi.get("aggregation") not in (None, ""):
                continue
            allowed = allowed_aggregations(metric)
            if len(allowed) < 2:
                continue
            default = default_aggregation(metric)
            ident = kpi.get("id", f"#{i + 1}")
            self.add(
                "warning",
                L_(
                    "KPI {ident!r} does not say how it aggregates {metric}; read as {default!r}",
                    ident=ident,
                    metric=metric,
                    default=default,
                ),
                ("kpis", i, "metric"),
                "kpi-aggregation",
                L_(
                    "Add `aggregation:` with one of {choices} — e.g. `mean_per_post` for a per-post average, `sum` for "
                    "the window's total",
                    choices=", ".join(allowed),
                ),
                key=True,
            )

    def empty_factors(self) -> None:
        for label, found, path in (
            (L_("no audience personas"), list(_personas(self.root)), ("audience",)),
            (L_("no networks in the ecosystem"), list(_entries(self.root, "ecosystem")), ("ecosystem",)),
            (L_("no communication pillars"), list(_entries(self.root, "pillars")), ("pillars",)),
            (L_("no KPIs to monitor"), list(_entries(self.root, "kpis")), ("kpis",)),
        ):
            if not found:
                self.add(
                    "warning",
                    label,
                    path,
                    "empty-factor",
                    L_("See `signalboost init --template clothing-store`"),
                    key=path[0] in self.root,
                )


def check_document(root: Any, *, today: dt.date) -> list[Problem]:
    """Every cross-document problem of the parsed document ``root`` (a mapping)."""
    if not isinstance(root, dict):
        return []
    checker = _Checker(root, today)
    checker.weights()
    checker.references()
    checker.formats()
    checker.ecosystem_rules()
    checker.examples_matrix()
    checker.reviews()
    checker.kpi_aggregations()
    checker.empty_factors()
    return checker.problems
