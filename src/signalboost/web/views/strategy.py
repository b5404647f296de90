"""The Strategy page: the seven factors, the completeness checklist, the examples matrix, and section editing.

Edits go through :class:`signalboost.model.io.StrategyDocument` (round-trip YAML), so the file keeps its comments,
key order and formatting; a change is saved only when the whole document validates, with the same messages as
``signalboost validate``.
"""

from __future__ import annotations

import copy
import hashlib
import io
import math
import threading
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from ruamel.yaml.error import YAMLError

from signalboost.errors import StrategyError
from signalboost.i18n import N_, tr
from signalboost.model.io import StrategyDocument, yaml_rt
from signalboost.model.strategy import Strategy
from signalboost.model.validate import yaml_problem
from signalboost.store.workspace import Workspace
from signalboost.web.wiring import jsonable_dict, lib

SECTIONS: tuple[str, ...] = (
    "brand",
    "audience",
    "personality",
    "ecosystem",
    "schedule",
    "pillars",
    "tactics",
    "examples",
    "kpis",
    "curation",
    "influence",
)
FACTORS: tuple[tuple[str, str], ...] = (  # factor -> its title (a msgid, translated where shown)
    ("audience", N_("1. Audience")),
    ("personality", N_("2. Personality")),
    ("ecosystem", N_("3. Digital ecosystem")),
    ("schedule", N_("4. Frequency & schedule")),
    ("pillars", N_("5. Communication pillars")),
    ("tactics", N_("6. Tactics")),
    ("examples", N_("7. Examples")),
)


@dataclass
class Issue:
    """One validation problem: where (line:column or field) and what."""

    level: str
    where: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"level": self.level, "where": self.where, "message": self.message}


@dataclass
class EditResult:
    """The outcome of an edit: saved, or the problems that stopped it."""

    saved: bool
    section: str
    issues: list[Issue] = field(default_factory=list)
    content: str = ""
    values: dict[str, str] = field(default_factory=dict)
    conflict: bool = False


_SAVE_LOCK = threading.Lock()
"""One save at a time in this server: the version check and the write are one step."""


def file_version(ws: Workspace) -> str:
    """A short fingerprint of ``strategy.yaml``'s bytes (SHA-256), sent with every edit form: a save whose page was
    opened on another version (changed by the CLI, a text editor or another tab since) is refused, not merged
    blindly over the newer file. ``""`` when there is no file."""
    try:
        return hashlib.sha256(ws.strategy_path.read_bytes()).hexdigest()[:16]
    except OSError:
        return ""


def _conflict(section: str, content: str, values: dict[str, str] | None = None) -> EditResult:
    message = (
        "strategy.yaml changed since this page was opened (by the command line, an editor or another tab); "
        "nothing was saved. The page now shows the new version with your text kept: check it and save again"
    )
    return EditResult(False, section, [Issue("error", "strategy.yaml", message)], content, values or {}, True)


def validate_text(text: str, path_label: str = "strategy.yaml") -> list[Issue]:
    """Validate a whole document's YAML text the way ``signalboost validate`` does.

    Uses :func:`signalboost.model.validate.validate_text` when installed (the CLI's messages, with line:column
    and hints); otherwise the model's own checks plus the pillar-weight sum.
    """
    validate = lib("signalboost.model.validate", "validate_text")
    if validate is None:
        return _fallback_validate(text, path_label)
    return _issues(validate(text, source=path_label), path_label)


def _issues(report: Any, path_label: str) -> list[Issue]:
    """A validation report's problems as the page's issues (location, message and hint)."""
    issues = []
    for p in report.problems:
        where = p.where(path_label) + (f" [{p.key}]" if p.key else "")
        issues.append(Issue(level=p.level, where=where, message=tr(p.message) + (f" — {tr(p.hint)}" if p.hint else "")))
    return issues


def _fallback_validate(text: str, path_label: str) -> list[Issue]:
    try:
        data = yaml_rt().load(text)
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path_label}:{mark.line + 1}:{mark.column + 1}" if mark is not None else path_label
        return [Issue("error", where, f"invalid YAML: {getattr(exc, 'problem', None) or exc}")]
    if data is None:
        return [Issue("error", path_label, "the file is empty")]
    try:
        strategy = Strategy.model_validate(data)
    except ValidationError as exc:
        return [
            Issue("error", f"{path_label} ({'.'.join(str(p) for p in e['loc'])})", str(e["msg"])) for e in exc.errors()
        ]
    total = sum(p.weight for p in strategy.pillars)
    if strategy.pillars and abs(total - 100) > 1e-9:
        return [Issue("error", f"{path_label} (pillars)", f"pillar weights sum to {total:g}, not 100")]
    return []


def _dump(node: Any) -> str:
    buf = io.StringIO()
    yaml_rt().dump(node, buf)
    return buf.getvalue()


def _completeness(s: Strategy) -> list[dict[str, Any]]:
    """One line per check: the factor, what is checked, whether it holds and what is missing."""
    checklist = lib("signalboost.model.completeness", "checklist")
    if checklist is not None:
        return [
            {"factor": f.key, "title": f.title, "check": c.label, "done": c.done, "detail": c.detail}
            for f in checklist(s)
            for c in f.checks
        ]
    nets = s.network_ids()
    checks: list[tuple[str, str, bool]] = [
        ("audience", "at least one persona", bool(s.audience.personas)),
        ("ecosystem", "every network has a role", bool(nets) and all(n.role for n in s.ecosystem)),
        ("schedule", "every network has a frequency", all(n in s.schedule.networks for n in nets)),
        ("pillars", "weights sum to 100", abs(sum(p.weight for p in s.pillars) - 100) < 1e-9),
        ("tactics", "at least one tactic", bool(s.tactics)),
        ("examples", "every pillar × network has an example", not _matrix_gaps(s)),
        ("kpis", "KPIs chosen", bool(s.kpis)),
    ]
    return [{"factor": f, "title": f, "check": c, "done": ok, "detail": ""} for f, c, ok in checks]


def _matrix_gaps(s: Strategy) -> list[tuple[str, str]]:
    have = {(e.pillar, e.network) for e in s.examples if e.pillar}
    return [(p.id, n) for p in s.pillars for n in s.network_ids() if (p.id, n) not in have]


def examples_matrix(s: Strategy) -> dict[str, Any]:
    """Rows: pillars; columns: networks; a cell holds the example's format and text, or ``None`` (a gap)."""
    nets = s.network_ids()
    cells: dict[tuple[str, str], dict[str, str]] = {}
    for e in s.examples:
        if e.pillar:
            cells.setdefault((e.pillar, e.network), {"format": e.format, "text": e.text})
    rows = [{"pillar": p.id, "name": p.name, "cells": [cells.get((p.id, n)) for n in nets]} for p in s.pillars]
    tactic_examples = {e.tactic for e in s.examples if e.tactic}
    tactics = [{"tactic": t.id, "name": t.name, "has_example": t.id in tactic_examples} for t in s.tactics]
    return {"networks": nets, "rows": rows, "tactics": tactics, "gaps": len(_matrix_gaps(s))}


def _factors(s: Strategy) -> list[dict[str, Any]]:
    """The seven factors in a line or a few each, in the page's language (the titles are the checklist's; goals,
    closeness, cadences and weights as the strategy document says them)."""
    from signalboost.i18n import _, ngettext
    from signalboost.report.strategy_doc import describe_rrule, weight_percent, word

    hh, tone = s.personality.head_and_heart, s.personality.presentation.tone_of_voice
    titles = dict(FACTORS)
    no_network, no_role = _("no network"), _("no role")
    items: dict[str, list[str]] = {
        "audience": [f"{p.name}: {', '.join(p.networks) or no_network}" for p in s.audience.personas],
        "personality": [
            _("Vision: {text}").format(text=hh.vision or "—"),
            _("Values: {values}").format(values=", ".join(hh.values) or "—"),
            _("Tone: {text} ({closeness})").format(text=tone.description or "—", closeness=word(tone.closeness)),
        ],
        "ecosystem": [f"{n.network}: {n.role or no_role}" for n in s.ecosystem],
        "schedule": [
            ngettext(
                "{network}: at least {n}/week, {slots} slot", "{network}: at least {n}/week, {slots} slots", slots
            ).format(network=net, n=ns.min_posts_per_week, slots=slots)
            for net, ns in s.schedule.networks.items()
            for slots in [ns.slots_per_week()]
        ],
        "pillars": [f"{p.name} — {weight_percent(p.weight)}" for p in s.pillars],
        "tactics": [f"{t.name} ({word(t.goal)}, {describe_rrule(t.rrule)})" for t in s.tactics],
        "examples": [ngettext("{n} example post", "{n} example posts", len(s.examples)).format(n=len(s.examples))],
    }
    return [{"id": key, "title": _(titles[key]), "items": items[key]} for key, _title in FACTORS]


def _parse_once(ws: Workspace, text: str, out: dict[str, Any]) -> Strategy | None:
    """Parse ``text`` once, fill ``out``'s sections and issues, and return the strategy (``StrategyError`` as
    ``doc.strategy()`` raises it); ``None`` when the text does not parse (the caller reports it).

    The same checks as ``validate_text`` (parse + ``validate_data``) followed by ``StrategyDocument.load`` and
    ``doc.strategy()`` (parse + ``validate_data`` again), with one parse and one validation instead of two each.
    """
    from signalboost.model.io import strategy_or_raise

    if "\x00" in text:
        return None
    try:
        doc = StrategyDocument.loads(text, source=ws.strategy_path.name)
    except StrategyError:
        return None
    doc.path = ws.strategy_path
    out["sections"] = {k: _dump(doc.data[k]) for k in SECTIONS if k in doc.data}
    report = doc.validate()
    out["issues"] = [i.as_dict() for i in _issues(report, ws.strategy_path.name)]
    return strategy_or_raise(report, strict=False)


def build(ws: Workspace) -> dict[str, Any]:
    """The Strategy page's data (and JSON twin)."""
    if not ws.has_strategy():
        return {
            "available": False,
            "message": "This workspace has no strategy.yaml yet.",
            "hint": "Create one with `signalboost init --template clothing-store`.",
        }
    text = ws.strategy_path.read_text(encoding="utf-8", errors="replace")
    out: dict[str, Any] = {"available": True, "issues": [], "sections": {}}
    try:
        parsed = _parse_once(ws, text, out)
        if parsed is None:  # the file does not parse: the validator's message says where
            out["issues"] = [i.as_dict() for i in validate_text(text, str(ws.strategy_path.name))]
            doc = StrategyDocument.load(ws.strategy_path)  # raises the same error, for the page's banner
            strategy = doc.strategy()
        else:
            strategy = parsed
    except StrategyError as exc:
        out["error"] = exc.message()
        return out
    out.update(
        brand=strategy.brand.name,
        factors=_factors(strategy),
        checklist=_completeness(strategy),
        matrix=examples_matrix(strategy),
        pillars=[{"id": p.id, "name": p.name, "weight": p.weight} for p in strategy.pillars],
    )
    return jsonable_dict(out)


def edit_section(ws: Workspace, section: str, content: str, version: str | None = None) -> EditResult:
    """Replace one top-level section with the YAML ``content``; save only if the document validates and (when
    ``version`` is given) the file is still the version the form was made from (:func:`file_version`)."""
    if section not in SECTIONS:
        return EditResult(False, section, [Issue("error", "section", f"unknown section {section!r}")], content)
    doc = StrategyDocument.load(ws.strategy_path)
    try:
        value = yaml_rt().load(content) if content.strip() else None
    except YAMLError as exc:
        problem = yaml_problem(exc)
        where = f"{section}:{problem.line}:{problem.column}" if problem.line is not None else section
        return EditResult(False, section, [Issue("error", where, tr(problem.message))], content)
    new = copy.deepcopy(doc.data)
    new[section] = value
    result = _save_if_valid(ws, StrategyDocument(new, ws.strategy_path), section, content, version)
    result.section = section
    return result


def edit_pillar_weights(
    ws: Workspace, pillars: list[str], weights: list[str], version: str | None = None
) -> EditResult:
    """Set each pillar's weight (percent); save only if the document validates (e.g. weights sum to 100) and the
    file is still ``version`` (when given)."""
    doc = StrategyDocument.load(ws.strategy_path)
    new = StrategyDocument(copy.deepcopy(doc.data), ws.strategy_path)
    index = {str(p.get("id")): i for i, p in enumerate(new.data.get("pillars") or [])}
    issues: list[Issue] = []
    if len(pillars) != len(weights):
        issues.append(Issue("error", "pillars", "each pillar needs exactly one weight"))
    for pid, raw in zip(pillars, weights, strict=False):
        if pid not in index:
            issues.append(Issue("error", "pillars", f"unknown pillar {pid!r}"))
            continue
        value, problem = _weight(raw)
        if problem:
            issues.append(Issue("error", f"pillars ({pid}.weight)", problem))
            continue
        new.set(("pillars", index[pid], "weight"), int(value) if value.is_integer() else value)
    submitted = dict(zip(pillars, weights, strict=False))
    if issues:
        return EditResult(False, "pillars", issues, values=submitted)
    result = _save_if_valid(ws, new, "pillars", "", version)
    result.values = submitted
    return result


def _weight(raw: str) -> tuple[float, str]:
    """A pillar weight typed in the form (percent): the number, or ``(nan, why it is refused)``."""
    try:
        value = float(raw)
    except ValueError:
        return math.nan, f"weight {raw[:40]!r} is not a number"
    if not math.isfinite(value) or not 0 <= value <= 100:
        return math.nan, f"weight {raw[:40]!r} is not a percentage between 0 and 100"
    return value, ""


def _save_if_valid(
    ws: Workspace, doc: StrategyDocument, section: str, content: str, version: str | None = None
) -> EditResult:
    issues = [i for i in validate_text(doc.dumps(), ws.strategy_path.name) if i.level == "error"]
    if issues:
        return EditResult(False, section, issues, content)
    with _SAVE_LOCK:
        if version and version != file_version(ws):
            return _conflict(section, content)
        doc.save(ws.strategy_path)
    return EditResult(True, section, [], content)
