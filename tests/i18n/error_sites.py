"""Find error messages written as plain text: an error of ``signalboost.errors`` (or a strategy validation
problem) whose ``what`` or ``hint`` is a string literal, an f-string, or a sum or choice of them, instead of
``L_()``/``Ln_()`` (docs/CONTRIBUTING.md, "Errors people read"). Used by ``test_error_messages.py``."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

from signalboost import errors

#: the classes of the exception tree, by name (a new subclass is checked without being listed)
ERROR_CLASSES = frozenset(
    name for name, obj in vars(errors).items() if inspect.isclass(obj) and issubclass(obj, errors.SignalboostError)
)


#: other constructors of messages people read, and the positions of their message and hint: the strategy
#: validator's problems (``Problem(level, message, …, hint)``, ``_problem(root, level, message, path, code, hint)``)
#: and the importers' ``malformed(path, what, line=…, hint=…)``
MESSAGE_ARGS: dict[str, tuple[int, ...]] = {"Problem": (1, 6), "_problem": (2, 5), "malformed": (1,)}


def is_plain_text(node: ast.expr | None) -> bool:
    """True when ``node`` builds English text a translator never sees (``L_(…)`` calls and variables are not)."""
    if node is None:
        return False
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and bool(node.value.strip())
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp):
        return is_plain_text(node.left) or is_plain_text(node.right)
    if isinstance(node, ast.IfExp):
        return is_plain_text(node.body) or is_plain_text(node.orelse)
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in ("format", "capitalize")
    ):
        return is_plain_text(node.func.value)
    return False


def plain_error_texts(source: str) -> list[int]:
    """The line of each error construction in ``source`` whose what or hint is plain text."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        if name in MESSAGE_ARGS:
            parts = [node.args[i] for i in MESSAGE_ARGS[name] if i < len(node.args)]
            parts += [k.value for k in node.keywords if k.arg in ("message", "what", "hint")]
        elif name in ERROR_CLASSES:
            parts = [node.args[0]] if node.args else []
        else:
            continue
        parts += [k.value for k in node.keywords if k.arg in ("what", "hint")]
        if any(is_plain_text(p) for p in parts):
            found.append(node.lineno)
    return found


def scan(package: Path) -> dict[str, list[int]]:
    """Module path (relative to ``package``, ``/``-separated) → lines of plain-text errors, for every module."""
    out: dict[str, list[int]] = {}
    for path in sorted(package.rglob("*.py")):
        lines = plain_error_texts(path.read_text(encoding="utf-8"))
        if lines:
            out[path.relative_to(package).as_posix()] = lines
    return out
