"""Load and save ``strategy.yaml``.

Loading uses ruamel.yaml's round-trip mode so comments, key order and formatting survive a save.
Every problem is reported with its line:column by :mod:`signalboost.model.validate`.
"""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ruamel.yaml import YAML
from ruamel.yaml.composer import MaxDepthExceededError
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scanner import RoundTripScanner

from signalboost.errors import StrategyError
from signalboost.i18n import L_, Ln_
from signalboost.model.strategy import Strategy

if TYPE_CHECKING:
    from signalboost.model.validate import ValidationReport


MAX_DEPTH = 64
"""Deepest nesting of lists and mappings accepted in a strategy document (a real one nests about 6 deep).

Deeper input (``[[[[…`` 10,000 levels, or 2,000 levels of indented keys) is refused while it is read, before the
recursive parts of parsing, copying and validation could exhaust the stack."""


class _Constructor(RoundTripConstructor):
    """Round-trip constructor that keeps an impossible date (``2026-13-01``) as text instead of failing.

    ruamel raises a bare ``ValueError`` without a position for such a value; kept as text, the model then reports
    it at its line:column ("must be a date").
    """

    def construct_yaml_timestamp(self, node: Any, values: Any = None) -> Any:
        try:
            return super().construct_yaml_timestamp(node, values)
        except ValueError:
            return self.construct_scalar(node)


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _Constructor.construct_yaml_timestamp)


class _Scanner(RoundTripScanner):
    """Round-trip scanner that stops at flow brackets nested deeper than :data:`MAX_DEPTH`.

    ruamel's scanner looks ahead over every open bracket for possible keys (quadratic in the depth: 1.6 s for
    ``[`` × 10,000 before the composer's ``max_depth`` is reached); stopping at the bracket keeps it instant.
    """

    def fetch_flow_collection_start(self, TokenClass: Any, to_push: str) -> None:
        if len(self.flow_context) >= MAX_DEPTH:
            raise MaxDepthExceededError(
                None, None, f"maximum depth of data structure exceeded ({MAX_DEPTH + 1})", self.reader.get_mark()
            )
        super().fetch_flow_collection_start(TokenClass, to_push)


def yaml_rt() -> YAML:
    """A round-trip YAML instance configured the Signalboost way (nesting limited to :data:`MAX_DEPTH`)."""
    y = YAML(typ="rt")
    y.Scanner = _Scanner
    y.max_depth = MAX_DEPTH
    y.Constructor = _Constructor
    y.preserve_quotes = True
    y.width = 4096
    y.indent(mapping=2, sequence=4, offset=2)
    # A value set twice (e.g. today's date as several review dates) must not become a YAML anchor/alias.
    y.representer.ignore_aliases = lambda *_: True
    return y


def read_document(path: Path) -> Any:
    """Parse the YAML file at ``path`` into ruamel's commented structures (errors carry line:column)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise StrategyError(
            L_("the file is not UTF-8 text"), where=str(path), hint=L_("Save it as UTF-8 YAML")
        ) from exc
    except OSError as exc:
        raise StrategyError(
            L_("cannot read the file: {strerror}", strerror=exc.strerror),
            where=str(path),
            hint=L_("Check the path, or create one with `signalboost init --template blank`"),
        ) from exc
    try:
        return yaml_rt().load(text)
    except YAMLError as exc:
        from signalboost.model.validate import yaml_problem

        p = yaml_problem(exc)
        raise StrategyError(p.message, where=p.where(str(path)), hint=p.hint) from exc


def load_strategy(path: Path, *, today: dt.date | None = None, strict: bool = False) -> Strategy:
    """Load ``strategy.yaml`` and return it as a :class:`Strategy`.

    Raises :class:`StrategyError` carrying the first error's ``file:line:column``. By default only a document that
    cannot be read as a Strategy (YAML syntax, wrong types, unknown keys, bad time zone or RRULE) is refused;
    with ``strict=True`` the document's rules count too (weights summing to 100, references, slots …), as in
    ``signalboost validate``. Warnings never stop loading.
    """
    from signalboost.model.validate import validate_file

    return strategy_or_raise(validate_file(path, today=today), strict=strict)


def strategy_or_raise(report: ValidationReport, *, strict: bool = True) -> Strategy:
    """The report's strategy, or a :class:`StrategyError` at the first (structural unless ``strict``) error."""
    if report.strategy is not None and report.ok:
        return report.strategy
    if not strict and report.model is not None:
        return report.model
    errors = report.errors if strict else [p for p in report.errors if p.structural]
    first = errors[0]
    more = len(errors) - 1
    hint: str = first.hint
    if more:
        also = Ln_(
            "{n} more error: run `signalboost validate` to see them all",
            "{n} more errors: run `signalboost validate` to see them all",
            more,
        )
        hint = L_("{hint}; {also}", hint=hint, also=also) if hint else also
    elif not hint:
        hint = L_("Fix it in strategy.yaml; `signalboost validate` checks the file")
    what = L_("{message} (at {key})", message=first.message, key=first.key) if first.key else first.message
    raise StrategyError(what, where=first.where(report.source), hint=hint or None)


class StrategyDocument:
    """``strategy.yaml`` as an editable round-trip document: change values, save, keep comments and order.

    Later commands (``recommend --apply``, the dashboard's editor) write into the file a person edits through this.
    """

    def __init__(self, data: Any, path: Path | None = None) -> None:
        self.data = data
        self.path = path

    @classmethod
    def load(cls, path: Path) -> StrategyDocument:
        """Read the file at ``path`` (YAML errors carry line:column)."""
        data = read_document(path)
        if data is None:
            raise StrategyError(
                L_("the file is empty"), where=str(path), hint=L_("Start from `signalboost init --template`")
            )
        return cls(data, path)

    @classmethod
    def loads(cls, text: str, *, source: str = "strategy.yaml") -> StrategyDocument:
        """Parse YAML text (a syntax error raises :class:`StrategyError` with line:column)."""
        from signalboost.model.validate import yaml_problem

        try:
            data = yaml_rt().load(text)
        except YAMLError as exc:
            p = yaml_problem(exc)
            raise StrategyError(p.message, where=p.where(source), hint=p.hint) from exc
        if data is None:
            raise StrategyError(
                L_("the file is empty"), where=source, hint=L_("Start from `signalboost init --template`")
            )
        return cls(data)

    def validate(self, *, today: dt.date | None = None) -> ValidationReport:
        """Every problem of the current content (positions are those of the loaded text)."""
        from signalboost.model.validate import validate_data

        return validate_data(self.data, source=str(self.path or "strategy.yaml"), today=today)

    def strategy(self, *, today: dt.date | None = None, strict: bool = False) -> Strategy:
        """The current content as a :class:`Strategy` (``StrategyError`` at the first error; see ``load_strategy``)."""
        return strategy_or_raise(self.validate(today=today), strict=strict)

    def get(self, keys: tuple[str | int, ...]) -> Any:
        """The value at a key path, e.g. ``("schedule", "networks", "instagram", "min_posts_per_week")``."""
        node = self.data
        for key in keys:
            node = node[key]
        return node

    def set(self, keys: tuple[str | int, ...], value: Any) -> None:
        """Set the value at a key path (the parent must exist); comments around it are kept."""
        parent = self.get(keys[:-1])
        parent[keys[-1]] = value

    def dumps(self) -> str:
        """The document as YAML text."""
        import io

        buf = io.StringIO()
        yaml_rt().dump(self.data, buf)
        return buf.getvalue()

    def save(self, path: Path | None = None) -> Path:
        """Write the document (atomically: a temporary file renamed over the target)."""
        import contextlib
        import os
        import tempfile

        target = path or self.path
        if target is None:
            raise StrategyError(L_("no file to save to"), hint=L_("Pass a path"))
        tmp: str | None = None
        try:
            fd, tmp = tempfile.mkstemp(dir=str(target.parent), prefix=".strategy-", suffix=".yaml")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(self.dumps())
            os.replace(tmp, target)
        except OSError as exc:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
            raise StrategyError(
                L_("cannot save the strategy document: {reason}", reason=str(exc.strerror or exc).lower()),
                where=str(target),
                hint=L_("Check that the file and its folder are writable (not read-only, not open elsewhere)"),
            ) from exc
        return target


def peek_language(path: Path) -> str | None:
    """``brand.language`` of the strategy at ``path`` without validating the rest (``None`` when the file, the key
    or a supported value is missing): the language a command speaks in before it loads the strategy."""
    try:
        if not path.is_file() or path.stat().st_size > 5_000_000:
            return None
        return _language_of(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return None


@functools.lru_cache(maxsize=4)
def _language_of(text: str) -> str | None:
    """``brand.language`` of a strategy's text (see :func:`peek_language`). Kept per text: one command asks up
    to three times (the root's language, the workspace's, the dashboard per request), and each parse of the
    YAML costs ~0.1 CPU-s; a changed file is a different text, so never a stale answer."""
    from signalboost.model.strategy import check_language_code

    try:
        doc = YAML(typ="safe", pure=True).load(text)
        value = doc.get("brand", {}).get("language") if isinstance(doc, dict) else None
        return check_language_code(str(value)) if value else None
    except (YAMLError, ValueError, AttributeError, RecursionError):
        return None
