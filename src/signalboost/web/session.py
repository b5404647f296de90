"""The dashboard's view of a workspace: ``strategy.yaml`` parsed once per version, one database connection per
request.

Profiling the pages on the demo workspace (Higgs data, ~300k scored accounts) showed two costs repeated inside
one request: the library functions the pages call (``outreach.kpis.due``, ``outreach.overlap``,
``influence.job``) each call ``ws.strategy()`` — a validated YAML round-trip parse of 0.3–0.45 s — and each open
their own DuckDB connection (~30 ms per ``duckdb.connect`` + close on a large file, 4–10 per page).

:class:`WebWorkspace` is a :class:`~signalboost.store.workspace.Workspace` (whose ``strategy()`` keeps the parse
while the file's bytes are the same), and, inside :meth:`WebWorkspace.request_scope`, hands every
``connect()`` of the same thread a cursor of the one connection the scope opened on first use (the workspace
lock is taken once, when that connection opens, and released when the scope ends).
Outside a scope it behaves exactly like a ``Workspace``: writes from forms and upload jobs
take the lock and a connection of their own.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import duckdb

from signalboost.store.workspace import Workspace


class _Scope:
    """One request's lazily opened connection (per thread)."""

    def __init__(self) -> None:
        self.stack = ExitStack()
        self.con: duckdb.DuckDBPyConnection | None = None


class WebWorkspace(Workspace):
    """A workspace with request-scoped connections (see the module docstring)."""

    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self._local = threading.local()

    @classmethod
    def wrap(cls, workspace: Workspace | str | Path) -> WebWorkspace:
        """``workspace`` as a ``WebWorkspace`` (the same folder; a path is opened like ``Workspace.open``)."""
        if isinstance(workspace, WebWorkspace):
            return workspace
        root = workspace.root if isinstance(workspace, Workspace) else Workspace.open(workspace).root
        out = cls(root)
        out._migrated = getattr(workspace, "_migrated", False)
        return out

    @contextmanager
    def request_scope(self) -> Iterator[None]:
        """Share one connection among every ``connect()`` of this thread until the block ends (re-entrant)."""
        if getattr(self._local, "scope", None) is not None:
            yield
            return
        scope = _Scope()
        self._local.scope = scope
        try:
            with scope.stack:
                yield
        finally:
            self._local.scope = None

    @contextmanager
    def connect(self, *, timeout: float = 60.0, purpose: str = "use") -> Iterator[duckdb.DuckDBPyConnection]:
        scope: _Scope | None = getattr(self._local, "scope", None)
        if scope is None:
            with super().connect(timeout=timeout, purpose=purpose) as con:
                yield con
            return
        if scope.con is None:
            scope.con = scope.stack.enter_context(super().connect(timeout=timeout, purpose=purpose))
        cursor = scope.con.cursor()  # its own results and settings; shares the open database (no file open)
        try:
            cursor.execute("SET TimeZone = 'UTC'")
            cursor.execute("SET enable_progress_bar = false")
            yield cursor
        finally:
            cursor.close()
