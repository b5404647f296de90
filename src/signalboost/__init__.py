"""Signalboost: social-media strategy as data.

Library first: everything the CLI and the dashboard do is a call a notebook can make too::

    import signalboost
    ws = signalboost.open_workspace("my-brand")
    ws.posts()            # a Polars frame of every imported post
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from signalboost.errors import SignalboostError

try:
    __version__ = version("signalboost")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0.0.0"


def open_workspace(path: str = ".", *, create: bool = False, read_only: bool = False):  # type: ignore[no-untyped-def]
    """Open the workspace folder at ``path`` (see :class:`signalboost.store.workspace.Workspace`).

    ``read_only=True`` never creates the database file (an empty workspace reads as empty tables)."""
    from signalboost.store.workspace import Workspace

    return Workspace.open(path, create=create, read_only=read_only)


__all__ = ["SignalboostError", "__version__", "open_workspace"]
