"""Positions of keys and values in a ruamel.yaml round-trip document (1-based line and column).

ruamel records, for every mapping, ``node.lc.data[key] = [key_line, key_col, value_line, value_col]`` and for every
sequence ``node.lc.data[index] = [line, col]`` (0-based). A key path that does not fully exist (a missing key, a
wrong type half way) resolves to the deepest node that does.
"""

from __future__ import annotations

from typing import Any

KeyPath = tuple[str | int, ...]


def render_path(path: KeyPath) -> str:
    """``("pillars", 2, "weight")`` -> ``pillars[2].weight``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _node_start(node: Any) -> tuple[int, int] | None:
    lc = getattr(node, "lc", None)
    if lc is None or lc.line is None:
        return None
    return lc.line + 1, lc.col + 1


def _child(node: Any, part: str | int) -> tuple[bool, Any]:
    if isinstance(node, dict) and not isinstance(part, int) and part in node:
        return True, node[part]
    if isinstance(node, dict) and isinstance(part, int) and part in node:
        return True, node[part]
    if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
        return True, node[part]
    return False, None


def _entry(node: Any, part: str | int, *, want_key: bool) -> tuple[int, int] | None:
    """Position of the key (``want_key``) or the value of ``part`` inside ``node``."""
    lc = getattr(node, "lc", None)
    if lc is None:
        return None
    data = getattr(lc, "data", {})
    if part not in data:
        return None
    entry = data[part]
    if isinstance(node, list) or len(entry) < 4:
        return entry[0] + 1, entry[1] + 1
    if want_key or node.get(part) is None:
        return entry[0] + 1, entry[1] + 1
    return entry[2] + 1, entry[3] + 1


def position(root: Any, path: KeyPath) -> tuple[int, int]:
    """Line and column of the value at ``path``, or of the deepest existing ancestor (1, 1 at worst)."""
    pos = _node_start(root) or (1, 1)
    node = root
    for part in path:
        found, child = _child(node, part)
        if not found:
            break
        pos = _entry(node, part, want_key=False) or pos
        node = child
    return pos


def key_position(root: Any, path: KeyPath) -> tuple[int, int]:
    """Line and column of the *key* at the end of ``path`` (for unknown keys); falls back to :func:`position`."""
    if not path:
        return position(root, path)
    parent_path = path[:-1]
    node = root
    for part in parent_path:
        found, node = _child(node, part)
        if not found:
            return position(root, path)
    return _entry(node, path[-1], want_key=True) or position(root, path)
