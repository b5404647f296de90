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
            raise StrategyError("the file is empty", where=str(path), hint="Start from `signalboost init --template`")
        return cls(data, path)

    @classmethod
    def loads(cls, text: str) -> StrategyDocument:
        """Parse YAML text."""
        try:
            return cls(yaml_rt().load(text))
        except YAMLError as exc:
            raise StrategyError(f"invalid YAML: {exc}") from exc

    def strategy(self) -> Strategy:
        """Validate the current content as a :class:`Strategy`."""
        try:
            return Strategy.model_validate(self.data)
        except ValidationError as exc:
            first = exc.errors()[0]
            loc = ".".join(str(p) for p in first["loc"])
            raise StrategyError(first["msg"], where=f"{self.path or 'strategy'} ({loc})") from exc

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
        import os
        import tempfile

        target = path or self.path
        if target is None:
            raise StrategyError("no file to save to", hint="Pass a path")
        fd, tmp = tempfile.mkstemp(dir=str(target.parent), prefix=".strategy-", suffix=".yaml")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(self.dumps())
        os.replace(tmp, target)
        return target
