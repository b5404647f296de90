"""One account per network: the analytics never pool several pages or profiles of one network.

A workspace may hold several accounts on a network — two brand pages, a competitor's page imported for
comparison, the people a brand talks with. Best hours, posts per day, formats and KPIs of a pooled set answer
no one's question (days with posts of three pages look like "3 posts a day"), so each network is analysed on one
account:

1. ``--account`` (an account id or handle, ``@`` optional, any case) when given: only that account's posts;
2. else the brand's own account named in the strategy (``brand.handles`` or the ecosystem entry's ``handle``);
3. else, among accounts marked as the brand's (``accounts.is_brand``), the one with the most posts;
4. else the account with the most posts that is not registered as a competitor's (``accounts.is_competitor``,
   ``signalboost competitors add``), else the account with the most posts.

A note names the account kept and the busiest five left out (the rest counted), with how to analyse another
(``--account``).
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from signalboost.errors import AnalyticsError
from signalboost.i18n import L_, LazyText, _, format_number, ngettext

LEFT_OUT_SHOWN = 5
"""Accounts a note names as left out (the busiest); the rest are counted (a data set of 23,047 influencers
would otherwise print every one)."""
ACCOUNTS_SHOWN = 10
"""Accounts the error of an unknown ``--account`` lists (the busiest); the rest are counted."""


def _norm(value: object) -> str:
    return str(value or "").strip().lstrip("@").lower()


def account_labels(accounts: pl.DataFrame | None) -> dict[tuple[str, str], str]:
    """``(platform, account_id) -> "@handle"`` (or the id when no handle is known), for people to read."""
    if accounts is None or accounts.height == 0 or "handle" not in accounts.columns:
        return {}
    out = {}
    for platform, account_id, handle in accounts.select("platform", "account_id", "handle").iter_rows():
        out[(str(platform), str(account_id))] = f"@{str(handle).lstrip('@')}" if handle else str(account_id)
    return out


def _matches(platform: str, author: str, wanted: str, labels: Mapping[tuple[str, str], str]) -> bool:
    return _norm(author) == wanted or _norm(labels.get((platform, author), "")) == wanted


def select_accounts(
    posts: pl.DataFrame,
    accounts: pl.DataFrame | None = None,
    *,
    brand_handles: Mapping[str, str] | None = None,
    account: str | None = None,
) -> tuple[pl.DataFrame, list[str]]:
    """The posts of one account per network (module docstring gives the choice), and notes on what was left out.

    ``brand_handles`` maps network → the brand's handle there. Raises :class:`AnalyticsError` when ``account``
    matches no author, listing the accounts there are.
    """
    labels = account_labels(accounts)
    counts = (
        posts.filter(pl.col("author_id").is_not_null())
        .group_by("platform", "author_id")
        .len()
        .sort(["platform", "len", "author_id"], descending=[False, True, False])
    )
    if account is not None:
        wanted = _norm(account)
        keep = [(str(p), str(a)) for p, a, _n in counts.iter_rows() if _matches(str(p), str(a), wanted, labels)]
        if not keep:
            listed = [
                f"{labels.get((str(p), str(a)), a)} on {p} ({n} posts)"
                for p, a, n in counts.head(ACCOUNTS_SHOWN).iter_rows()
            ]
            rest = counts.height - len(listed)
            known: str | LazyText = ", ".join(listed)
            if rest > 0:
                known = L_("{items} and {n} more", items=known, n=rest)
            raise AnalyticsError(
                L_("no imported post is by account {account!r}", account=account),
                where="--account",
                hint=L_("Use one of: {choices}", choices=known or L_("none (import posts first)")),
            )
        chosen = pl.DataFrame(keep, schema={"platform": pl.String, "author_id": pl.String}, orient="row")
        return posts.join(chosen, on=["platform", "author_id"], how="semi"), [
            _("analysed account {account} only ({networks})").format(
                account=account, networks=", ".join(p for p, _a in keep)
            )
        ]
    brand = _brand_ids(accounts)
    handles = {k: _norm(v) for k, v in (brand_handles or {}).items() if v}
    notes: list[str] = []
    keep_rows: list[tuple[str, str]] = []
    for (platform,), group in counts.group_by(["platform"], maintain_order=True):
        platform = str(platform)
        rows = [(str(a), int(n)) for _, a, n in group.iter_rows()]
        if len(rows) == 1:
            keep_rows.append((platform, rows[0][0]))
            continue
        chosen_id, why = _choose(platform, rows, handles.get(platform), brand, labels, _competitor_ids(accounts))
        keep_rows.append((platform, chosen_id))
        left_out = [(a, n) for a, n in rows if a != chosen_id]  # busiest first
        others = ", ".join(
            ngettext("{account} ({n} post)", "{account} ({n} posts)", n).format(
                account=labels.get((platform, a), a), n=format_number(n)
            )
            for a, n in left_out[:LEFT_OUT_SHOWN]
        )
        if len(left_out) > LEFT_OUT_SHOWN:
            others = _("{items} and {n} more").format(items=others, n=format_number(len(left_out) - LEFT_OUT_SHOWN))
        n_kept = dict(rows)[chosen_id]
        notes.append(
            _(
                "{platform}: {k} accounts, not pooled — analysed {account} ({n} posts; {why}); left out {others}; "
                "see another with --account"
            ).format(
                platform=platform,
                k=format_number(len(rows)),
                account=labels.get((platform, chosen_id), chosen_id),
                n=format_number(n_kept),
                why=why,
                others=others,
            )
        )
    chosen = pl.DataFrame(keep_rows, schema={"platform": pl.String, "author_id": pl.String}, orient="row")
    pooled = [n.split(":", 1)[0] for n in notes]
    # posts without an author stay where the network has a single account (they can only be its posts)
    anonymous = posts.filter(pl.col("author_id").is_null() & ~pl.col("platform").is_in(pooled))
    return pl.concat([posts.join(chosen, on=["platform", "author_id"], how="semi"), anonymous]), notes


def _competitor_ids(accounts: pl.DataFrame | None) -> set[tuple[str, str]]:
    """Accounts registered as a competitor's (``is_competitor``): never chosen as the brand's by default."""
    if accounts is None or accounts.height == 0 or "is_competitor" not in accounts.columns:
        return set()
    marked = accounts.filter(pl.col("is_competitor").fill_null(False)).select("platform", "account_id")
    return {(str(p), str(a)) for p, a in marked.iter_rows()}


def _brand_ids(accounts: pl.DataFrame | None) -> set[tuple[str, str]]:
    if accounts is None or accounts.height == 0 or "is_brand" not in accounts.columns:
        return set()
    marked = accounts.filter(pl.col("is_brand")).select("platform", "account_id")
    return {(str(p), str(a)) for p, a in marked.iter_rows()}


def _choose(
    platform: str,
    rows: list[tuple[str, int]],
    handle: str | None,
    brand: set[tuple[str, str]],
    labels: Mapping[tuple[str, str], str],
    rivals: set[tuple[str, str]],
) -> tuple[str, str]:
    """``(account id, why)`` of the account to analyse among ``rows`` (``(id, posts)``, most posts first)."""
    if handle:
        for a, _n in rows:
            if _matches(platform, a, handle, labels):
                return a, _("the brand's handle in the strategy")
    marked = [(a, n) for a, n in rows if (platform, a) in brand]
    if marked:
        return marked[0][0], _("marked as the brand's (most posts of those)") if len(marked) > 1 else _(
            "marked as the brand's"
        )
    own = [(a, n) for a, n in rows if (platform, a) not in rivals]
    if own and len(own) < len(rows):
        return own[0][0], _("the most posts of the accounts not registered as competitors")
    return rows[0][0], _("the most posts")
