"""Find the library functions the pages call, and say clearly when a subsystem has not landed yet.

The dashboard is a thin layer over the library: each page asks :func:`lib` for the function it needs. When the
module or function is absent (an older or partial installation), the page shows a "not available yet" panel
instead of failing, and the JSON twin carries ``{"available": false, "message": …}``.
"""

from __future__ import annotations

import datetime as dt
import importlib
import math
from collections.abc import Mapping, Sequence
from typing import Any


def lib(module: str, attr: str) -> Any | None:
    """``module.attr`` if it is installed, else ``None``."""
    try:
        mod = importlib.import_module(module)
    except ImportError:
        return None
    return getattr(mod, attr, None)


def unavailable(feature: str, module: str) -> dict[str, Any]:
    """The panel shown for a feature whose library has not landed: what is missing and what to do."""
    return {
        "available": False,
        "message": f"{feature} is not available yet in this installation ({module} is missing).",
        "hint": "Update Signalboost; the rest of the dashboard works without it.",
    }


def failed(feature: str, exc: Exception) -> dict[str, Any]:
    """The panel shown when a library call raised a user-facing error (e.g. no data yet)."""
    message = getattr(exc, "message", None)
    text = message() if callable(message) else str(exc)
    return {"available": False, "failed": True, "message": f"{feature}: {text}", "hint": ""}


def jsonable(value: Any) -> Any:
    """Plain JSON types: dates as ISO strings, NaN as ``None``, tuples as lists, dataclass-likes via ``as_dict``."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else value
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [jsonable(v) for v in value]
    as_dict = getattr(value, "as_dict", None)
    if callable(as_dict):
        return jsonable(as_dict())
    if hasattr(value, "item"):  # numpy scalar
        return jsonable(value.item())
    if hasattr(value, "to_dicts"):  # polars frame
        return jsonable(value.to_dicts())
    if hasattr(value, "model_dump"):
        return jsonable(value.model_dump(mode="json"))
    return str(value)


def rows(frame: Any, limit: int | None = None) -> list[dict[str, Any]]:
    """A Polars frame (or a list of dicts / objects with ``as_dict``) as JSON-safe rows."""
    if frame is None:
        return []
    if hasattr(frame, "to_dicts"):
        data: Sequence[Any] = frame.head(limit).to_dicts() if limit else frame.to_dicts()
    else:
        data = list(frame)[:limit] if limit else list(frame)
    out = jsonable(data)
    assert isinstance(out, list)
    return out


def jsonable_dict(value: Mapping[str, Any]) -> dict[str, Any]:
    """:func:`jsonable` for a mapping, typed as a dict."""
    out = jsonable(value)
    assert isinstance(out, dict)
    return out


def strategy_of(ws: Any) -> Any:
    """``ws.strategy()`` (``Workspace.strategy`` keeps the parse while the file's bytes are the same).

    Raises what ``ws.strategy()`` raises (a missing or invalid file), every time, so errors stay visible.
    """
    return ws.strategy()
