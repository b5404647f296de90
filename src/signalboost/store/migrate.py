"""Numbered schema migrations: ``migrations/NNN_name.sql`` files applied in order, each once.

Number ranges by subsystem, so parallel work never collides: 001-009 core and ingest, 010-019 plan,
020-029 analytics, 030-039 influence, 040-049 outreach and partners, 050-059 web, 060-069 web sessions,
070-079 live accounts (connect, sync, publish), 080-089 competitors, 090 audience, 100 influence raw values,
110-124 reserved, 130-139 text analysis (post languages).
"""

from __future__ import annotations

import re
from importlib import resources
from typing import Any

from signalboost.errors import StoreError
from signalboost.i18n import L_

_NAME = re.compile(r"^(\d{3})_([a-z0-9_]+)\.sql$")


def available_migrations() -> list[tuple[int, str, str]]:
    """``(version, name, sql)`` for every migration shipped with the package, in order."""
    found: list[tuple[int, str, str]] = []
    for entry in resources.files("signalboost.store").joinpath("migrations").iterdir():
        m = _NAME.match(entry.name)
        if m:
            found.append((int(m.group(1)), m.group(2), entry.read_text(encoding="utf-8")))
    found.sort()
    versions = [v for v, _, _ in found]
    if len(versions) != len(set(versions)):
        raise StoreError(L_("two migrations share a number"), where="signalboost/store/migrations")
    return found


def applied_versions(con: Any) -> set[int]:
    """Versions already applied to the database behind ``con``."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations "
        "(version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMPTZ DEFAULT now())"
    )
    return {int(r[0]) for r in con.execute("SELECT version FROM schema_migrations").fetchall()}


def migrate(con: Any) -> list[int]:
    """Apply every pending migration, each in its own transaction; return the versions applied."""
    done = applied_versions(con)
    applied: list[int] = []
    for version, name, sql in available_migrations():
        if version in done:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(sql)
            con.execute("INSERT INTO schema_migrations (version, name) VALUES (?, ?)", [version, name])
            con.execute("COMMIT")
        except Exception as exc:
            con.execute("ROLLBACK")
            raise StoreError(
                L_("migration {version:03d}_{name} failed: {exc}", version=version, name=name, exc=exc),
                where="workspace database",
                hint=L_("The database was left as it was; report this with the file signalboost.duckdb"),
            ) from exc
        applied.append(version)
    return applied
