"""The workspace: a folder with ``strategy.yaml``, ``signalboost.duckdb`` and ``exports/``.

All SQL lives in ``signalboost.store``; this module opens the database (migrating it on first use), and offers
the notebook-friendly readers (``ws.posts()`` returns a Polars frame).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from signalboost.errors import StoreError, WorkspaceError
from signalboost.i18n import L_
from signalboost.store.lock import workspace_lock
from signalboost.store.migrate import migrate

if TYPE_CHECKING:
    import polars as pl

    from signalboost.model.strategy import Strategy

STRATEGY_FILE = "strategy.yaml"
DATABASE_FILE = "signalboost.duckdb"
EXPORTS_DIR = "exports"


class Workspace:
    """A Signalboost workspace folder. Open one with :meth:`Workspace.open` or ``signalboost.open_workspace``."""

    def __init__(self, root: Path, *, read_only: bool = False) -> None:
        self.root = root
        #: ``True``: this handle never creates the database file (see :meth:`open`).
        self.read_only = read_only
        self._migrated = False
        self._strategy_lock = threading.Lock()
        self._strategy_memo: tuple[tuple[bytes, dt.date], Strategy] | None = None

    # -------------------------------------------------------------------------------------------- opening
    @classmethod
    def open(cls, path: str | Path = ".", *, create: bool = False, read_only: bool = False) -> Workspace:
        """Open the workspace at ``path``; with ``create=True`` make the folder if it does not exist.

        ``read_only=True`` (viewing commands): the database file is never created. While the workspace has none,
        :meth:`connect` hands out an empty in-memory database with the full schema, so readers see empty tables
        and the folder is left exactly as it was (no database, no lock file). An existing database is opened as
        usual."""
        root = Path(path).expanduser().resolve()
        if not root.exists():
            if not create:
                raise WorkspaceError(
                    L_("no such workspace folder"),
                    where=str(root),
                    hint=L_(
                        "Create one with `signalboost init DIR`, or pass -w/--workspace with your workspace folder"
                    ),
                )
            root.mkdir(parents=True)
        if not root.is_dir():
            raise WorkspaceError(L_("not a folder"), where=str(root), hint=L_("A workspace is a folder; pass its path"))
        return cls(root, read_only=read_only)

    @property
    def strategy_path(self) -> Path:
        return self.root / STRATEGY_FILE

    @property
    def db_path(self) -> Path:
        return self.root / DATABASE_FILE

    @property
    def exports_dir(self) -> Path:
        path = self.root / EXPORTS_DIR
        path.mkdir(exist_ok=True)
        return path

    def has_strategy(self) -> bool:
        return self.strategy_path.exists()

    def is_workspace(self) -> bool:
        """Whether the folder holds a strategy or a database (a folder with neither is not a workspace)."""
        return self.has_strategy() or self.db_path.exists()

    def strategy(self) -> Strategy:
        """Load and check ``strategy.yaml`` (raises ``StrategyError`` with line:column on problems).

        The parse (a validated YAML round trip, ~60 ms on the templates) is kept per workspace object and reused
        while the file's bytes (SHA-256) and the date are the same; a changed file — even one rewritten within the
        file system's timestamp resolution at the same size — is parsed again. Each call returns its own deep copy,
        so a caller that changes the strategy never changes another's. Errors are never cached.
        """
        from signalboost.model.io import load_strategy, strategy_or_raise
        from signalboost.model.validate import validate_bytes

        if not self.has_strategy():
            raise WorkspaceError(
                L_("no {strategy_file} in the workspace", strategy_file=STRATEGY_FILE),
                where=str(self.root),
                hint=L_("Create one with `signalboost init --template clothing-store`"),
            )
        try:
            raw = self.strategy_path.read_bytes()
        except OSError:
            return load_strategy(self.strategy_path)  # its clear "cannot read the file" error
        key = (hashlib.sha256(raw).digest(), dt.date.today())
        with self._strategy_lock:
            memo = self._strategy_memo
        if memo is None or memo[0] != key:
            # the same bytes load_strategy would read (one read: the key and the parse cannot disagree)
            memo = (key, strategy_or_raise(validate_bytes(raw, source=str(self.strategy_path)), strict=False))
            with self._strategy_lock:
                self._strategy_memo = memo
        return memo[1].model_copy(deep=True)

    # ------------------------------------------------------------------------------------------- database
    @contextmanager
    def connect(self, *, timeout: float = 60.0, purpose: str = "use") -> Iterator[duckdb.DuckDBPyConnection]:
        """Open the database under the workspace lock; migrate it on first use. Closed on exit.

        A read-only handle on a workspace without a database gets an empty in-memory one (nothing is created)."""
        if self.read_only and not self.db_path.exists():
            with _empty_database() as con:
                yield con
            return
        with workspace_lock(self.root, timeout=timeout, purpose=purpose):
            try:
                con = duckdb.connect(str(self.db_path))
            except duckdb.Error as exc:
                raise StoreError(
                    L_("cannot open the database: {exc}", exc=exc),
                    where=str(self.db_path),
                    hint=L_("Check the file is a Signalboost workspace database and not open in another program"),
                ) from exc
            try:
                con.execute("SET TimeZone = 'UTC'")
                con.execute("SET enable_progress_bar = false")  # it would print on stdout and break --format json
                if not self._migrated:
                    migrate(con)
                    self._migrated = True
                yield con
            finally:
                con.close()

    @contextmanager
    def transaction(self, *, timeout: float = 60.0, purpose: str = "write") -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection inside one transaction: committed on success, rolled back on any exception.

        The commit writes the write-ahead log only; the checkpoint (writing the changes into the database file)
        follows it as a statement of its own. DuckDB would otherwise checkpoint a large commit inside the
        ``COMMIT``, while the transaction's own memory (staging tables, undo buffers) is still held: importing 2M
        posts peaked ~140 MB higher that way. Durability is the same (a commit is in the log); a checkpoint that
        cannot run now is done by the next one, or when the database is closed."""
        with self.connect(timeout=timeout, purpose=purpose) as con:
            con.execute("BEGIN TRANSACTION")
            try:
                yield con
            except BaseException:
                con.execute("ROLLBACK")
                raise
            threshold = con.execute("SELECT current_setting('checkpoint_threshold')").fetchall()[0][0]
            con.execute("SET checkpoint_threshold = '1000GB'")
            try:
                con.execute("COMMIT")
            finally:
                con.execute(f"SET checkpoint_threshold = '{threshold}'")
            with suppress(duckdb.Error):
                con.execute("CHECKPOINT")

    def query(self, sql: str, params: Sequence[Any] | None = None) -> pl.DataFrame:
        """Run one read query and return a Polars frame (Arrow-backed)."""
        import polars as pl  # here, not at the top: a command that reads no frame (import) starts without it

        with self.connect(purpose="read") as con:
            table = con.sql(sql, params=list(params or [])).to_arrow_table()
        frame = pl.from_arrow(table)
        assert isinstance(frame, pl.DataFrame)
        return frame

    # ---------------------------------------------------------------------------------------- readers
    def table(self, name: str, *, platform: str | None = None) -> pl.DataFrame:
        """One canonical table as a frame, optionally for one platform."""
        from signalboost.store.queries import table_sql

        sql, params = table_sql(name, platform=platform)
        return self.query(sql, params)

    def posts(self, platform: str | None = None) -> pl.DataFrame:
        """Every imported post (one row per post)."""
        return self.table("posts", platform=platform)

    def post_metrics(self, platform: str | None = None) -> pl.DataFrame:
        """Every metrics snapshot (one row per post and observation time)."""
        return self.table("post_metrics", platform=platform)

    def accounts(self, platform: str | None = None) -> pl.DataFrame:
        return self.table("accounts", platform=platform)

    def follows(self, platform: str | None = None) -> pl.DataFrame:
        return self.table("follows", platform=platform)

    def interactions(self, platform: str | None = None) -> pl.DataFrame:
        return self.table("interactions", platform=platform)

    def __repr__(self) -> str:
        return f"Workspace({str(self.root)!r})"


@contextmanager
def _empty_database() -> Iterator[duckdb.DuckDBPyConnection]:
    """An in-memory database with every migration applied: what a workspace holds before its first import."""
    con = duckdb.connect(":memory:")
    try:
        con.execute("SET TimeZone = 'UTC'")
        con.execute("SET enable_progress_bar = false")
        migrate(con)
        yield con
    finally:
        con.close()
