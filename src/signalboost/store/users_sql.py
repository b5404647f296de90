"""The dashboard's logins (table ``web_users``): create, check, list and remove.

Every function takes an open connection from :meth:`Workspace.connect` (which holds the workspace lock).
"""

from __future__ import annotations

from typing import Any

import duckdb


def upsert_user(con: duckdb.DuckDBPyConnection, username: str, password_hash: str) -> None:
    """Create the login ``username`` or replace its password hash."""
    con.execute(
        "INSERT INTO web_users (username, password_hash) VALUES (?, ?) "
        "ON CONFLICT (username) DO UPDATE SET password_hash = excluded.password_hash",
        [username, password_hash],
    )


def user_hash(con: duckdb.DuckDBPyConnection, username: str) -> str | None:
    """The stored argon2 hash of ``username``, or ``None`` when there is no such login."""
    row = con.execute("SELECT password_hash FROM web_users WHERE username = ?", [username]).fetchone()
    return None if row is None else str(row[0])


def touch_login(con: duckdb.DuckDBPyConnection, username: str) -> None:
    """Record a successful login."""
    con.execute("UPDATE web_users SET last_login_at = now() WHERE username = ?", [username])


def delete_user(con: duckdb.DuckDBPyConnection, username: str) -> bool:
    """Remove a login; ``True`` if it existed."""
    existed = user_hash(con, username) is not None
    con.execute("DELETE FROM web_users WHERE username = ?", [username])
    return existed


def list_users(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Every login (without hashes)."""
    rows = con.execute("SELECT username, created_at, last_login_at FROM web_users ORDER BY username").fetchall()
    return [{"username": r[0], "created_at": r[1], "last_login_at": r[2]} for r in rows]


def count_users(con: duckdb.DuckDBPyConnection) -> int:
    row = con.execute("SELECT count(*) FROM web_users").fetchone()
    return int(row[0]) if row else 0
