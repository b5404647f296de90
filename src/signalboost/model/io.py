"""Load and save ``strategy.yaml``.

Loading uses ruamel.yaml's round-trip mode so comments, key order and formatting survive a save.
(Line:column error reporting is done in :mod:`signalboost.model.validate`.)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from signalboost.errors import StrategyError
from signalboost.model.strategy import Strategy


def yaml_rt() -> YAML:
    """A round-trip YAML instance configured the Signalboost way."""
    y = YAML(typ="rt")
    y.preserve_quotes = True
    y.width = 4096
    y.indent(mapping=2, sequence=4, offset=2)
    return y


def read_document(path: Path) -> Any:
    """Parse the YAML file at ``path`` into ruamel's commented structures."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise StrategyError("the file is not UTF-8 text", where=str(path), hint="Save it as UTF-8 YAML") from exc
    except OSError as exc:
        raise StrategyError(f"cannot read the file: {exc.strerror}", where=str(path)) from exc
    try:
        return yaml_rt().load(text)
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark is not None else str(path)
        problem = getattr(exc, "problem", None) or str(exc)
        raise StrategyError(f"invalid YAML: {problem}", where=where, hint="Fix the YAML syntax") from exc


def load_strategy(path: Path) -> Strategy:
    """Load ``strategy.yaml`` and return the validated :class:`Strategy`."""
    data = read_document(path)
    if data is None:
        raise StrategyError("the file is empty", where=str(path), hint="Start from `signalboost init --template`")
    try:
        return Strategy.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first["loc"])
        raise StrategyError(first["msg"], where=f"{path} ({loc})", hint="Run `signalboost validate`") from exc
