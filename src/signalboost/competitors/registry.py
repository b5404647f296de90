"""The competitors registry: a competitor's name and its accounts, one or more per network.

A competitor's posts are ordinary imported posts (a CSV of its page imported with ``--map author_id==@handle``,
a tool's export with an account column, a live connector's public read) whose author is one of its accounts.
An account is matched to a post's ``author_id`` or to the ``handle`` the workspace's ``accounts`` table gives
that author, both compared without ``@`` and without case (:func:`normalise_account`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import polars as pl

from signalboost.errors import CompetitorsError, UsageError
from signalboost.i18n import L_
from signalboost.model.vocab import NETWORKS

if TYPE_CHECKING:
    from signalboost.store.workspace import Workspace

_ACCOUNT = re.compile(r"^[\w.@:/+-]{1,200}$")
MAX_NAME = 100


@dataclass(frozen=True)
class AddResult:
    """What ``add_competitor`` did: the accounts added and those the competitor already had."""

    name: str
    platform: str
    added: list[str]
    already: list[str]


def normalise_account(value: str) -> str:
    """An account id or handle as stored and compared: trimmed, without a leading ``@``, in lower case."""
    return str(value).strip().lstrip("@").lower()


def check_name(name: str) -> str:
    """The competitor's name, trimmed; ``UsageError`` when empty, too long or made of control characters."""
    clean = " ".join(str(name).split())
    if not clean:
        raise UsageError(L_("the competitor's name is empty"), where="NAME", hint=L_('Give a name, e.g. "Acme Coffee"'))
    if len(clean) > MAX_NAME or any(ord(c) < 32 for c in clean):
        raise UsageError(
            L_("the competitor's name is not usable ({n} characters)", n=len(clean)),
            where="NAME",
            hint=L_("Use a plain name of at most {max_name} characters", max_name=MAX_NAME),
        )
    return clean


def check_platform(platform: str) -> str:
    """A known network id (``instagram``, ``x``, …); ``UsageError`` listing them otherwise."""
    value = str(platform).strip().lower()
    if value not in NETWORKS:
        raise UsageError(
            L_("unknown platform {platform!r}", platform=platform),
            where="--platform",
            hint=L_("Use one of: {choices}", choices=", ".join(NETWORKS)),
        )
    return value


def check_accounts(accounts: Iterable[str]) -> list[str]:
    """The accounts normalised and de-duplicated (order kept); ``UsageError`` naming the first bad one."""
    out: list[str] = []
    for raw in accounts:
        value = normalise_account(raw)
        if not value or not _ACCOUNT.match(value):
            raise UsageError(
                L_("{raw!r} is not an account id or handle", raw=raw),
                where="--account",
                hint=L_("Give the id or @handle as the network shows it, e.g. @acme or acme@mastodon.social"),
            )
        if value not in out:
            out.append(value)
    if not out:
        raise UsageError(L_("no account given"), where="--account", hint=L_("Add at least one: --account @handle"))
    return out


def add_competitor(ws: Workspace, name: str, platform: str, accounts: Sequence[str]) -> AddResult:
    """Register ``accounts`` on ``platform`` under the competitor ``name`` (created when new).

    An account already registered under another competitor is refused with a :class:`CompetitorsError` (an
    account belongs to one competitor); nothing is stored then. Adding an account the competitor already has
    changes nothing.
    """
    from signalboost.store.competitors_sql import insert_competitor_accounts, owners_of

    name, platform, wanted = check_name(name), check_platform(platform), check_accounts(accounts)
    owners = owners_of(ws, platform, wanted)
    taken = {a: n for a, n in owners.items() if n != name}
    if taken:
        account, owner = next(iter(taken.items()))
        raise CompetitorsError(
            L_(
                "@{account} on {platform} is already registered under competitor {owner!r}",
                account=account,
                platform=platform,
                owner=owner,
            ),
            where="--account",
            hint=L_(
                "Remove it first: signalboost competitors remove {owner!r} --platform {platform} --account {account}",
                owner=owner,
                platform=platform,
                account=account,
            ),
        )
    fresh = [a for a in wanted if a not in owners]
    insert_competitor_accounts(ws, name, platform, fresh)
    return AddResult(name=name, platform=platform, added=fresh, already=[a for a in wanted if a in owners])


def list_competitors(ws: Workspace) -> pl.DataFrame:
    """Every registered account: ``name, platform, account, added_at``."""
    from signalboost.store.competitors_sql import read_competitors

    return read_competitors(ws)


def remove_competitor(ws: Workspace, name: str, *, platform: str | None = None, account: str | None = None) -> int:
    """Remove a competitor (or only its accounts on ``platform``, or one ``account``); return the rows removed.

    ``CompetitorsError`` when nothing matches, naming the competitors there are. The imported posts stay.
    """
    from signalboost.store.competitors_sql import delete_competitor, read_competitors

    name = check_name(name)
    plat = check_platform(platform) if platform is not None else None
    acc = check_accounts([account])[0] if account is not None else None
    n = delete_competitor(ws, name, platform=plat, account=acc)
    if n == 0:
        known = sorted(set(read_competitors(ws)["name"].to_list()))
        what = name + (f" on {plat}" if plat else "") + (f" with account {acc}" if acc else "")
        raise CompetitorsError(
            L_("no competitor account matches {what!r}", what=what),
            where="NAME",
            hint=L_(
                "Registered competitors: {names}",
                names=", ".join(known) if known else L_("none (add one with `competitors add`)"),
            ),
        )
    return n


def match_accounts(registry: pl.DataFrame, authors: pl.DataFrame) -> pl.DataFrame:
    """Which imported authors are registered competitor accounts.

    ``registry``: ``name, platform, account``; ``authors``: ``platform, author_id`` and optionally ``handle``
    (the workspace's accounts table). Returns ``platform, author_id, competitor`` — an author matches when its
    id or its handle equals a registered account (normalised).
    """
    schema = {"platform": pl.String, "author_id": pl.String, "competitor": pl.String}
    if registry.height == 0 or authors.height == 0:
        return pl.DataFrame(schema=schema)
    reg = registry.select("platform", pl.col("account").alias("_key"), pl.col("name").alias("competitor"))
    keys = authors.select(
        "platform", "author_id", "handle" if "handle" in authors.columns else pl.lit(None).alias("handle")
    )
    by_id = keys.with_columns(_key=_norm_expr(pl.col("author_id")))
    by_handle = keys.filter(pl.col("handle").is_not_null()).with_columns(
        _key=_norm_expr(pl.col("handle").cast(pl.String))
    )
    both = pl.concat([by_id, by_handle]).join(reg, on=["platform", "_key"], how="inner")
    return both.select("platform", "author_id", "competitor").unique(subset=["platform", "author_id"], keep="first")


def _norm_expr(expr: pl.Expr) -> pl.Expr:
    return expr.cast(pl.String).str.strip_chars().str.strip_chars_start("@").str.to_lowercase()
