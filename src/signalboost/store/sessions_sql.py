"""SQL of the dashboard's server-side sessions (table ``web_sessions``, migration 060).

A row is a logged-in session: the SHA-256 of its id (never the id itself), the user, when it started and when it
was last seen. Logging out, removing the user or changing their password deletes rows; expiry is decided by the
caller (:mod:`signalboost.web.sessions`) from the two timestamps.
"""

from __future__ import annotations

import datetime as dt

import duckdb


def create(con: duckdb.DuckDBPyConnection, session_hash: str, username: str, now: dt.datetime) -> None:
    """Record a new logged-in session."""
    con.execute(
        "INSERT INTO web_sessions (session_hash, username, created_at, last_seen_at) VALUES (?, ?, ?, ?)",
        [session_hash, username, now, now],
    )


def lookup(con: duckdb.DuckDBPyConnection, session_hash: str) -> tuple[str, dt.datetime, dt.datetime] | None:
    """``(username, created_at, last_seen_at)`` of a session, or ``None`` when it does not exist (any more)."""
    row = con.execute(
        "SELECT username, created_at, last_seen_at FROM web_sessions WHERE session_hash = ?", [session_hash]
    ).fetchone()
    return None if row is None else (str(row[0]), row[1], row[2])


def touch(con: duckdb.DuckDBPyConnection, session_hash: str, now: dt.datetime) -> None:
    """Mark a session as seen at ``now`` (what its idle expiry counts from)."""
    con.execute("UPDATE web_sessions SET last_seen_at = ? WHERE session_hash = ?", [now, session_hash])


def delete(con: duckdb.DuckDBPyConnection, session_hash: str) -> None:
    """End one session (logout)."""
    con.execute("DELETE FROM web_sessions WHERE session_hash = ?", [session_hash])


def delete_for_user(con: duckdb.DuckDBPyConnection, username: str) -> int:
    """End every session of ``username`` (removed, or its password changed); the number ended."""
    row = con.execute("SELECT count(*) FROM web_sessions WHERE username = ?", [username]).fetchone()
    con.execute("DELETE FROM web_sessions WHERE username = ?", [username])
    return int(row[0]) if row else 0


def delete_expired(con: duckdb.DuckDBPyConnection, idle_before: dt.datetime, started_before: dt.datetime) -> int:
    """Forget sessions idle since before ``idle_before`` or started before ``started_before``; the number."""
    where = "last_seen_at < ? OR created_at < ?"
    row = con.execute(f"SELECT count(*) FROM web_sessions WHERE {where}", [idle_before, started_before]).fetchone()
    con.execute(f"DELETE FROM web_sessions WHERE {where}", [idle_before, started_before])
    return int(row[0]) if row else 0


def count_for_user(con: duckdb.DuckDBPyConnection, username: str) -> int:
    """How many sessions ``username`` has."""
    row = con.execute("SELECT count(*) FROM web_sessions WHERE username = ?", [username]).fetchone()
    return int(row[0]) if row else 0
