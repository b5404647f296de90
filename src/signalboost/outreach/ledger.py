"""The relationship ledger: every touch between the brand and an influencer, both ways, and the give/ask ratio.

*Ours*: ``like``, ``reply``, ``share`` (of their content), ``message``, ``gift``; each may be flagged as an
*ask* (a request: share this, post about us, collaborate). *Theirs*: ``interaction`` (a like, reply or mention
of us) and ``amplification`` (a repost or quote of our content).

Touches come from imported interactions (:func:`sync_from_interactions`) and from hand logging (:func:`log_touch`).
Each touch is stored under its natural key ``(platform, account_id, direction, kind, post_id, occurred_at)``
(hashed into ``event_key``), so logging or importing the same touch twice stores it once. A touch logged with
a date but no time is keyed at 00:00 UTC that day: two gifts the same day need a ``post_id``/reference to differ.

Give more than you ask (the method's *retain* step)::

    gives = our touches not flagged as asks,   asks = our touches flagged as asks
    give_ask_ratio = gives / asks              (None when there are no asks yet)
    flagged        = asks > gives
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from signalboost.errors import OutreachError
from signalboost.i18n import L_
from signalboost.store import outreach_sql as sql
from signalboost.store.workspace import Workspace

if TYPE_CHECKING:  # polars is imported where it is used: importing it costs every command ~25 MB
    import polars as pl

OUR_KINDS: tuple[str, ...] = ("like", "reply", "share", "message", "gift")
THEIR_KINDS: tuple[str, ...] = ("interaction", "amplification")
DIRECTIONS: tuple[str, ...] = ("ours", "theirs")
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def as_utc(value: dt.datetime | dt.date) -> dt.datetime:
    """A date becomes 00:00 UTC that day; a naive datetime is taken as UTC; an aware one is converted to UTC."""
    if not isinstance(value, dt.datetime):
        return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


def event_key(platform: str, account_id: str, direction: str, kind: str, post_id: str, occurred_at: dt.datetime) -> str:
    """md5 of the natural key, the same string ``store.outreach_sql.EVENT_KEY_SQL`` builds in the database."""
    micros = (as_utc(occurred_at) - _EPOCH) // dt.timedelta(microseconds=1)
    text = "|".join((platform, account_id, direction, kind, post_id, str(micros)))
    return hashlib.md5(text.encode("utf-8")).hexdigest()


def check_touch(direction: str, kind: str, is_ask: bool) -> None:
    """Refuse an unknown direction or kind, and an ask on their side."""
    if direction not in DIRECTIONS:
        raise OutreachError(
            L_("unknown direction {direction!r}", direction=direction), where="direction", hint=L_("Use ours or theirs")
        )
    kinds = OUR_KINDS if direction == "ours" else THEIR_KINDS
    if kind not in kinds:
        raise OutreachError(
            L_("{kind!r} is not a touch of {direction}", kind=kind, direction=direction),
            where="KIND",
            hint=L_("Use one of: {choices}", choices=", ".join(kinds)),
        )
    if is_ask and direction != "ours":
        raise OutreachError(L_("only our touches can be asks"), where="--ask", hint=L_("Drop --ask for their touches"))


def log_touch(
    ws: Workspace,
    platform: str,
    account_id: str,
    kind: str,
    *,
    direction: str = "ours",
    is_ask: bool = False,
    post_id: str = "",
    at: dt.datetime | dt.date | None = None,
    note: str | None = None,
) -> bool:
    """Log one touch by hand; return True if it was new, False if the same touch was already in the ledger."""
    check_touch(direction, kind, is_ask)
    when = as_utc(at if at is not None else dt.datetime.now(dt.UTC).date())
    row = {
        "event_key": event_key(platform, account_id, direction, kind, post_id, when),
        "platform": platform,
        "account_id": account_id,
        "direction": direction,
        "kind": kind,
        "detail": None,
        "is_ask": is_ask,
        "post_id": post_id,
        "occurred_at": when,
        "note": note,
        "source": "manual",
    }
    with ws.transaction() as con:
        if sql.fetch_outreach(con, platform, account_id) is None:
            raise OutreachError(
                L_("{platform}:{account_id} is not in the pipeline", platform=platform, account_id=account_id),
                where="table outreach",
                hint=L_("Add it first with `signalboost outreach add HANDLE`"),
            )
        return sql.insert_events(con, [row]) == 1


def brand_ids(ws: Workspace, platform: str | None = None) -> list[tuple[str, str]]:
    """The brand's ``(platform, account_id)``: accounts flagged ``is_brand`` or named in ``brand.handles``."""
    handles: list[str] = []
    if ws.has_strategy():
        handles = list(ws.strategy().brand.handles.values())
    with ws.connect(purpose="read") as con:
        return sql.brand_account_ids(con, platform, handles)


def sync_from_interactions(ws: Workspace, *, brand: Sequence[tuple[str, str]] | None = None) -> int:
    """Fill the ledger from imported interactions between the brand and pipeline accounts; return new touches.

    ``brand`` defaults to :func:`brand_ids`. Running it twice adds nothing the second time (natural keys).
    """
    pairs = list(brand) if brand is not None else brand_ids(ws)
    if not pairs:
        raise OutreachError(
            L_("the brand's own account is unknown"),
            where="strategy.yaml brand.handles / accounts.is_brand",
            hint=L_("Set brand.handles in strategy.yaml (e.g. {{x: mybrand}}) to the handle of an imported account"),
        )
    by_platform: dict[str, list[str]] = {}
    for platform, account in pairs:
        by_platform.setdefault(platform, []).append(account)
    added = 0
    with ws.transaction() as con:
        for platform, ids in sorted(by_platform.items()):
            added += sql.sync_events_from_interactions(con, platform, ids)
    return added


def refresh(ws: Workspace) -> int | None:
    """:func:`sync_from_interactions` when the brand is known (new touches), else None — for read commands."""
    pairs = brand_ids(ws)
    if not pairs:
        return None
    return sync_from_interactions(ws, brand=pairs)


def touches(
    ws: Workspace,
    *,
    platform: str | None = None,
    account_id: str | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
) -> pl.DataFrame:
    """The ledger's touches (columns of ``outreach_events``), oldest first."""
    with ws.connect(purpose="read") as con:
        return sql.events_frame(con, platform=platform, account_id=account_id, since=since, until=until)


@dataclass(frozen=True)
class Balance:
    """The give/ask balance of one relationship."""

    platform: str
    account_id: str
    gives: int
    asks: int
    their_interactions: int
    their_amplifications: int
    give_ask_ratio: float | None
    flagged: bool
    last_ours: dt.datetime | None
    last_theirs: dt.datetime | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def balances(events: pl.DataFrame) -> list[Balance]:
    """Per account, the give/ask balance of a frame of touches (see the module docstring for the formula)."""
    import polars as pl

    if events.height == 0:
        return []
    grouped = (
        events.group_by("platform", "account_id")
        .agg(
            gives=((pl.col("direction") == "ours") & ~pl.col("is_ask")).sum(),
            asks=((pl.col("direction") == "ours") & pl.col("is_ask")).sum(),
            inter=((pl.col("direction") == "theirs") & (pl.col("kind") == "interaction")).sum(),
            amp=((pl.col("direction") == "theirs") & (pl.col("kind") == "amplification")).sum(),
            last_ours=pl.col("occurred_at").filter(pl.col("direction") == "ours").max(),
            last_theirs=pl.col("occurred_at").filter(pl.col("direction") == "theirs").max(),
        )
        .sort("platform", "account_id")
    )
    out: list[Balance] = []
    for r in grouped.iter_rows(named=True):
        gives, asks = int(r["gives"]), int(r["asks"])
        out.append(
            Balance(
                platform=r["platform"],
                account_id=r["account_id"],
                gives=gives,
                asks=asks,
                their_interactions=int(r["inter"]),
                their_amplifications=int(r["amp"]),
                give_ask_ratio=(gives / asks) if asks else None,
                flagged=asks > gives,
                last_ours=r["last_ours"],
                last_theirs=r["last_theirs"],
            )
        )
    return out


def ledger_balances(ws: Workspace, *, platform: str | None = None) -> list[Balance]:
    """The give/ask balance of every relationship with at least one touch, plus those in the pipeline with none."""
    with ws.connect(purpose="read") as con:
        events = sql.events_frame(con, platform=platform)
        records = sql.list_outreach(con, platform=platform)
    found = {(b.platform, b.account_id): b for b in balances(events)}
    for r in records:
        key = (r["platform"], r["account_id"])
        if key not in found:
            found[key] = Balance(key[0], key[1], 0, 0, 0, 0, None, False, None, None)
    return [found[k] for k in sorted(found)]
