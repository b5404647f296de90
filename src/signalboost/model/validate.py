"""Validate ``strategy.yaml``: every problem at once, each with its YAML line and column.

Three layers, each reported with positions taken from ruamel.yaml's round-trip nodes (``.lc``):

1. the file itself — binary, not UTF-8, empty, invalid YAML, not a mapping;
2. structure and field formats — the pydantic model (:mod:`signalboost.model.strategy`): types, unknown keys
   (with the closest allowed key), ids, time zones, RRULEs, slot times;
3. the document as a whole (:mod:`signalboost.model.checks`) — pillar weights summing to 100, unique ids,
   references that resolve (with "did you mean …"), every network with a role and a schedule, slots not below
   the minimum frequency, and warnings for gaps in the examples matrix and personas past their review date.

Library use::

    report = validate_file(Path("strategy.yaml"))
    for p in report.problems:
        print(p.line, p.column, p.level, p.message)
    strategy = report.strategy  # the Strategy when there is no error, else None
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails
from ruamel.yaml.error import YAMLError

from signalboost.i18n import L_, N_, LazyText, tr
from signalboost.model.positions import KeyPath, key_position, position, render_path
from signalboost.model.strategy import Strategy
from signalboost.model.suggest import did_you_mean

Level = Literal["error", "warning"]
Layer = Literal["file", "model", "document"]
"""Where a problem was found: the file (bytes, YAML), the model (types, keys, formats) or the document's rules."""
MAX_BYTES = 5_000_000
"""Largest strategy file accepted (a real one is a few kilobytes)."""


@dataclass(frozen=True)
class Problem:
    """One problem found in a strategy document.

    ``line`` and ``column`` are 1-based positions in the YAML file (``None`` only when there is no file position);
    ``path`` is the key path, e.g. ``("pillars", 2, "weight")``; ``code`` a stable machine-readable kind
    (``weights``, ``unknown-key``, ``unknown-ref``, …); ``hint`` says what to do.
    """

    level: Level
    message: str
    line: int | None = None
    column: int | None = None
    path: KeyPath = ()
    code: str = ""
    hint: str = ""
    layer: Layer = "document"

    @property
    def structural(self) -> bool:
        """True for problems of the file or of the model's structure (the document cannot be read as a Strategy)."""
        return self.layer != "document"

    @property
    def key(self) -> str:
        """The key path as text, e.g. ``pillars[2].weight`` (empty for the whole document)."""
        return render_path(self.path)

    def where(self, source: str) -> str:
        """``source:line:column`` (or just ``source``)."""
        if self.line is None:
            return source
        return f"{source}:{self.line}:{self.column or 1}"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "level": self.level,
            "message": tr(self.message),
            "line": self.line,
            "column": self.column,
            "path": self.key,
            "code": self.code,
            "hint": tr(self.hint),
            "layer": self.layer,
        }


@dataclass
class ValidationReport:
    """Everything :func:`validate_file` found; ``strategy`` is the validated model when there is no error.

    ``model`` is the document read as a Strategy when only the document's rules fail (weights, references, …):
    lenient readers (:func:`signalboost.model.io.load_strategy`) use it.
    """

    source: str
    problems: list[Problem] = field(default_factory=list)
    strategy: Strategy | None = None
    model: Strategy | None = None
    """The document read as a :class:`Strategy` even when the document's rules fail (``None`` when it cannot be)."""

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "warning"]

    @property
    def ok(self) -> bool:
        """True when there is no error (warnings allowed)."""
        return not self.errors

    def summary(self) -> str:
        """``"valid"`` or e.g. ``"2 errors, 1 warning"``."""
        from signalboost.i18n import _, ngettext

        e, w = len(self.errors), len(self.warnings)
        if not e and not w:
            return _("valid, no problems")
        parts = []
        if e:
            parts.append(ngettext("{n} error", "{n} errors", e).format(n=e))
        if w:
            parts.append(ngettext("{n} warning", "{n} warnings", w).format(n=w))
        return _("valid with {problems}").format(problems=", ".join(parts)) if not e else ", ".join(parts)

    def lines(self) -> list[str]:
        """One line per problem: ``file:line:col: level: message [path] — hint``."""
        out = []
        for p in self.problems:
            text = f"{p.where(self.source)}: {p.level}: {tr(p.message)}"
            if p.key:
                text += f" [{p.key}]"
            if p.hint:
                text += f" — {tr(p.hint)}"
            out.append(text)
        return out

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: source, valid, counts and the problems."""
        return {
            "source": self.source,
            "valid": self.ok,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "problems": [p.to_dict() for p in self.problems],
        }


# ---------------------------------------------------------------------------------------------------- entry


def validate_file(path: str | Path, *, today: dt.date | None = None) -> ValidationReport:
    """Validate the strategy document at ``path``. ``today`` (default: the local date) dates review warnings.

    A file that cannot be read raises :class:`~signalboost.errors.StrategyError`; every problem *in* the file is
    returned in the report instead.
    """
    from signalboost.errors import StrategyError

    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        hint = L_("Check the path, or create one with `signalboost init --template blank`")
        raise StrategyError(
            L_("cannot read the file: {strerror}", strerror=exc.strerror), where=str(p), hint=hint
        ) from exc
    return validate_bytes(raw, source=str(p), today=today)


def validate_bytes(raw: bytes, *, source: str = "strategy.yaml", today: dt.date | None = None) -> ValidationReport:
    """Validate a document given as bytes (checks it is UTF-8 text first)."""
    report = ValidationReport(source)
    if len(raw) > MAX_BYTES:
        report.problems.append(
            Problem(
                "error",
                L_("the file is too large ({n:,} bytes; at most {max_bytes:,})", n=len(raw), max_bytes=MAX_BYTES),
                1,
                1,
                code="size",
                layer="file",
            )
        )
        return report
    nul = raw.find(b"\x00")
    if nul >= 0:
        line, col = _offset_position(raw, nul)
        report.problems.append(
            Problem(
                "error",
                L_("the file is binary, not YAML text (it contains a NUL byte)"),
                line,
                col,
                code="binary",
                layer="file",
                hint=L_(
                    "A strategy document is a UTF-8 YAML text file; start from `signalboost init --template blank`"
                ),
            )
        )
        return report
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, col = _offset_position(raw, exc.start)
        report.problems.append(
            Problem(
                "error",
                L_("the file is not UTF-8 text (byte 0x{byte:02x} cannot be decoded)", byte=raw[exc.start]),
                line,
                col,
                code="encoding",
                layer="file",
                hint=L_("Save the file as UTF-8"),
            )
        )
        return report
    return validate_text(text, source=source, today=today)


def validate_text(text: str, *, source: str = "strategy.yaml", today: dt.date | None = None) -> ValidationReport:
    """Validate YAML text; ``source`` names it in messages."""
    from signalboost.model.io import yaml_rt

    report = ValidationReport(source)
    if "\x00" in text:
        report.problems.append(
            Problem(
                "error",
                L_("the file is binary, not YAML text (it contains a NUL byte)"),
                *_text_position(text),
                code="binary",
                layer="file",
            )
        )
        return report
    try:
        data = yaml_rt().load(text)
    except YAMLError as exc:
        report.problems.append(yaml_problem(exc))
        return report
    return validate_data(data, source=source, today=today)


def validate_data(data: Any, *, source: str = "strategy.yaml", today: dt.date | None = None) -> ValidationReport:
    """Validate an already parsed document (ruamel round-trip structures keep the positions)."""
    from signalboost.model.checks import check_document

    report = ValidationReport(source)
    if data is None:
        report.problems.append(
            Problem(
                "error",
                L_("the file is empty"),
                1,
                1,
                code="empty",
                layer="file",
                hint=L_("Start from a template: `signalboost init --template blank` (or clothing-store, cosmetics, …)"),
            )
        )
        return report
    if not isinstance(data, dict):
        report.problems.append(
            Problem(
                "error",
                L_(
                    "the document must be a mapping of sections (brand:, audience:, pillars:, …), not {value}",
                    value=describe(data),
                ),
                1,
                1,
                code="not-mapping",
                layer="file",
                hint=L_("Start from a template: `signalboost init --template blank`"),
            )
        )
        return report
    strategy: Strategy | None = None
    try:
        strategy = Strategy.model_validate(data)
    except ValidationError as exc:
        report.problems.extend(
            replace(pydantic_problem(data, err), layer="model") for err in exc.errors(include_url=False)
        )
    report.problems.extend(check_document(data, today=today or dt.date.today()))
    if strategy is not None and not any(p.level == "error" for p in report.problems):
        report.problems.extend(_forced_mix_problems(data, strategy, today or dt.date.today()))
    report.problems.sort(key=lambda p: (p.line or 0, p.column or 0, p.level != "error"))
    report.problems = _dedupe(report.problems)
    report.model = strategy
    if not report.errors:
        report.strategy = strategy
    return report


#: weeks planned by ``validate`` to find tactics that make the ±1 pillar bound impossible
FORCED_MIX_WEEKS = 12


def _forced_mix_problems(data: Any, strategy: Strategy, today: dt.date) -> list[Problem]:
    """A warning on each tactic whose fixed pillars keep a network's mix more than one post off the weights."""
    from signalboost.model.checks import _problem
    from signalboost.plan.calendar import forced_mix

    out: list[Problem] = []
    index = {f"tactic {t.id}": i for i, t in enumerate(strategy.tactics)}
    for network, (lowest, sources) in forced_mix(strategy, today, FORCED_MIX_WEEKS).items():
        for source in sources:
            i = index.get(source)
            if i is None:
                continue
            tactic = strategy.tactics[i]
            out.append(
                _problem(
                    data,
                    "warning",
                    L_(
                        "tactic {id!r} fixes pillars {pillars} on so many {network} posts that its pillar mix cannot "
                        "stay within 1 post of the weights (lowest possible {lowest:.1f} posts over {weeks} weeks)",
                        id=tactic.id,
                        pillars=", ".join(tactic.pillars),
                        network=network,
                        lowest=lowest,
                        weeks=FORCED_MIX_WEEKS,
                    ),
                    ("tactics", i, "pillars"),
                    "tactic-overfills-pillar",
                    L_(
                        "Give the tactic more pillars or fewer dates, raise those pillars' weights, or add slots on "
                        "{network} (schedule.networks)",
                        network=network,
                    ),
                )
            )
    return out


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen: set[tuple[Any, ...]] = set()
    out = []
    for p in problems:
        k = (p.level, p.message, p.line, p.column)
        if k not in seen:
            seen.add(k)
            out.append(p)
    return out


# ------------------------------------------------------------------------------------------------ file level


def _offset_position(raw: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column (in bytes) of byte ``offset``."""
    before = raw[:offset]
    line = before.count(b"\n") + 1
    col = offset - (before.rfind(b"\n") + 1) + 1
    return line, col


def _text_position(text: str) -> tuple[int, int]:
    offset = text.index("\x00")
    before = text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


def yaml_problem(exc: YAMLError) -> Problem:
    """A YAML syntax error as a problem at its line:column, with the construct it was reading."""
    from ruamel.yaml.composer import MaxDepthExceededError

    from signalboost.model.io import MAX_DEPTH

    mark = getattr(exc, "problem_mark", None)
    if isinstance(exc, MaxDepthExceededError):
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (None, None)
        return Problem(
            "error",
            L_(
                "the document is nested more than {max_depth} levels deep (lists and mappings inside each other)",
                max_depth=MAX_DEPTH,
            ),
            line,
            col,
            code="too-deep",
            hint=L_("A strategy nests a few levels deep: check the brackets and the indentation around here"),
            layer="file",
        )
    problem = getattr(exc, "problem", None) or str(exc).strip().splitlines()[0]
    # the parser's own words (``problem``, ``context``) are quoted as ruamel.yaml gives them
    message = L_("invalid YAML: {problem}", problem=problem)
    context = getattr(exc, "context", None)
    cmark = getattr(exc, "context_mark", None)
    if context and cmark is not None and context != "while scanning for the next token":
        message = L_(
            "invalid YAML: {problem} ({context} started at line {line!s}, column {column!s})",
            problem=problem,
            context=context,
            line=cmark.line + 1,
            column=cmark.column + 1,
        )
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (None, None)
    hint = L_("Fix the YAML syntax")
    if "\\t" in problem or "'\\t'" in problem:
        hint = L_("YAML does not allow tabs for indentation: indent with spaces")
    elif "duplicate key" in problem:
        hint = L_("Each key may appear once in a mapping: remove or rename one")
    elif "mapping values are not allowed" in problem:
        hint = L_("Check the indentation, and quote values that contain ': '")
    return Problem("error", message, line, col, code="yaml", hint=hint, layer="file")


# -------------------------------------------------------------------------------------------- pydantic level

_TYPE_WORDS = {
    "string_type": N_("text"),
    "int_type": N_("a whole number"),
    "int_parsing": N_("a whole number"),
    "int_from_float": N_("a whole number"),
    "float_type": N_("a number"),
    "float_parsing": N_("a number"),
    "bool_type": N_("true or false"),
    "bool_parsing": N_("true or false"),
    "list_type": N_("a list"),
    "dict_type": N_("a mapping (key: value)"),
    "model_type": N_("a mapping (key: value)"),
    "model_attributes_type": N_("a mapping (key: value)"),
    "date_type": N_("a date (YYYY-MM-DD)"),
    "date_parsing": N_("a date (YYYY-MM-DD)"),
    "date_from_datetime_parsing": N_("a date (YYYY-MM-DD)"),
    "date_from_datetime_inexact": N_("a date (YYYY-MM-DD)"),
}


def describe(value: Any) -> str:
    """A person's description of a YAML value: ``text 'abc'``, ``a list``, ``nothing``, …"""
    if value is None:
        return L_("nothing (an empty value)")
    if isinstance(value, bool):
        return f"{str(value).lower()}"
    if isinstance(value, str):
        short = value if len(value) <= 40 else value[:37] + "…"
        return L_("text {short!r}", short=short)
    if isinstance(value, int | float):
        return L_("the number {value!s}", value=value)
    if isinstance(value, dict):
        return L_("a mapping")
    if isinstance(value, list):
        return L_("a list")
    if isinstance(value, dt.date):
        return L_("the date {date}", date=value.isoformat())
    return type(value).__name__


def pydantic_problem(data: Any, err: ErrorDetails) -> Problem:
    """One pydantic error as a :class:`Problem` at the YAML position of the offending key or value."""
    loc = tuple(err["loc"])
    kind = err["type"]
    value = err.get("input")
    if loc and loc[-1] == "[key]":
        path: KeyPath = tuple(loc[:-1])
        line, col = key_position(data, path)
        label = render_path(path[:-1]) or L_("the document")
        expected = _expected(err)
        msg = L_(
            "{key!r} is not allowed as a key of {label}; expected one of {choices}{did_you_mean}",
            key=path[-1],
            label=label,
            choices=", ".join(expected),
            did_you_mean=did_you_mean(str(path[-1]), expected),
        )
        return Problem("error", msg, line, col, path, code="unknown-key")
    path = loc
    label = render_path(path) or L_("the document")
    if kind == "extra_forbidden":
        return _unknown_key(data, path)
    if kind == "missing":
        line, col = position(data, path)
        parent = render_path(path[:-1])
        where = L_("in {parent}", parent=parent) if parent else L_("at the top level")
        hint = (
            L_("Add `{key}:` under {parent}", key=path[-1], parent=parent)
            if parent
            else L_("Add a `{key}:` section", key=path[-1])
        )
        return Problem(
            "error",
            L_("missing required key {key!r} {where}", key=path[-1], where=where),
            line,
            col,
            path,
            "missing",
            hint,
        )
    line, col = position(data, path)
    if kind in _TYPE_WORDS:
        expected_type = L_(_TYPE_WORDS[kind])  # the msgids are marked with N_ in _TYPE_WORDS
        msg = L_("{label} must be {expected}, got {value}", label=label, expected=expected_type, value=describe(value))
        if kind == "date_from_datetime_parsing" and isinstance(err.get("ctx"), dict):
            msg = L_(
                "{label} must be {expected}, got {value} ({reason})",
                label=label,
                expected=expected_type,
                value=describe(value),
                reason=str(err["ctx"].get("error")),
            )
        return Problem("error", msg, line, col, path, code="type")
    if kind == "literal_error":
        expected = _expected(err)
        shown = repr(value) if isinstance(value, str) else describe(value)
        msg = L_(
            "{label}: {value} is not one of {choices}{did_you_mean}",
            label=label,
            value=shown,
            choices=", ".join(expected),
            did_you_mean=did_you_mean(str(value), expected),
        )
        return Problem("error", msg, line, col, path, code="choice")
    if kind == "value_error":
        return Problem("error", _value_error_text(err), line, col, path, code="value")
    if kind == "string_pattern_mismatch" and path[-1] == "id":
        suggestion = re.sub(r"[^a-z0-9_-]+", "-", str(value).lower()).strip("-_") or "my-id"
        msg = L_("id {value!r} is not a valid id: use lower-case letters, digits, '-' and '_'", value=value)
        return Problem("error", msg, line, col, path, code="id", hint=L_("e.g. {suggestion!r}", suggestion=suggestion))
    if kind == "string_too_short":
        return Problem("error", L_("{label} must not be empty", label=label), line, col, path, code="empty-value")
    said = err["msg"].replace("Input should", "should")  # pydantic's own words, as it gives them
    return Problem(
        "error",
        L_("{label} {msg}, got {value}", label=label, msg=said, value=describe(value)),
        line,
        col,
        path,
        code=kind,
    )


def _value_error_text(err: ErrorDetails) -> str:
    """A validator's ``ValueError`` message: its ``L_()`` text (translated when shown) when it has one, else
    pydantic's English line without the ``Value error, `` prefix."""
    error = (err.get("ctx") or {}).get("error")
    text = error.args[0] if isinstance(error, ValueError) and error.args else None
    return text if isinstance(text, LazyText) else err["msg"].removeprefix("Value error, ")


def _expected(err: ErrorDetails) -> list[str]:
    ctx = err.get("ctx") or {}
    expected = str(ctx.get("expected", ""))
    return re.findall(r"'([^']*)'", expected) or [e for e in re.split(r", | or ", expected) if e]


def _unknown_key(data: Any, path: KeyPath) -> Problem:
    line, col = key_position(data, path)
    model = model_at(path[:-1])
    allowed = list(model.model_fields) if model is not None else []
    parent = render_path(path[:-1])
    suggestion = did_you_mean(str(path[-1]), allowed)
    msg = L_(
        "unknown key {key!r} {where}{did_you_mean}",
        key=path[-1],
        where=L_("in {parent}", parent=parent) if parent else L_("at the top level"),
        did_you_mean=suggestion,
    )
    hint = ""
    if not suggestion and allowed:
        hint = L_("Allowed keys: {choices}", choices=", ".join(allowed))
    return Problem("error", msg, line, col, path, code="unknown-key", hint=hint)


def _unwrap(tp: Any) -> Any:
    """Strip ``Annotated`` and ``X | None``."""
    while True:
        origin = get_origin(tp)
        if origin is not None and str(origin).endswith("Annotated"):
            tp = get_args(tp)[0]
            continue
        if origin in (Union, getattr(__import__("types"), "UnionType", None)):
            args = [a for a in get_args(tp) if a is not type(None)]
            if len(args) == 1:
                tp = args[0]
                continue
        return tp


def model_at(path: KeyPath) -> type[BaseModel] | None:
    """The pydantic model class that validates the node at ``path`` (``None`` if it is not a model)."""
    tp: Any = Strategy
    for part in path:
        tp = _unwrap(tp)
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            if not isinstance(part, str) or part not in tp.model_fields:
                return None
            tp = tp.model_fields[part].annotation
        elif get_origin(tp) is list:
            tp = get_args(tp)[0]
        elif get_origin(tp) is dict:
            tp = get_args(tp)[1]
        else:
            return None
    tp = _unwrap(tp)
    return tp if isinstance(tp, type) and issubclass(tp, BaseModel) else None
