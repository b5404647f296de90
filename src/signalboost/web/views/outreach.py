"""The Outreach page: the pipeline as a board by stage, logging a touch, and the give/ask ledger.

Thin calls into :mod:`signalboost.outreach` (``list_records``, ``move``, ``allowed_moves``, ``log_touch``,
``ledger_balances``); the page shows "not available yet" until that library is installed.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from signalboost.errors import OutreachError, SignalboostError, WebError
from signalboost.i18n import L_
from signalboost.store import accounts_sql, outreach_sql
from signalboost.store.workspace import Workspace
from signalboost.web.context import READ_TIMEOUT
from signalboost.web.wiring import failed, jsonable, lib, unavailable

PIPELINE = "signalboost.outreach.pipeline"
LEDGER = "signalboost.outreach.ledger"


def build(ws: Workspace) -> dict[str, Any]:
    """Board columns (stage -> cards with the allowed moves), and the ledger balances."""
    list_records = lib(PIPELINE, "list_records")
    stages = lib(PIPELINE, "STAGES")
    allowed = lib(PIPELINE, "allowed_moves")
    if list_records is None or stages is None or allowed is None:
        return unavailable("The outreach pipeline", PIPELINE)
    try:
        records = list_records(ws)
    except SignalboostError as exc:  # a library error the person can act on (a bug is a bug: not hidden)
        return failed("The outreach pipeline", exc)
    board = []
    for stage in stages:
        cards = [
            {**jsonable(r.as_dict()), "label": r.label, "moves": list(allowed(r.stage))}
            for r in records
            if r.stage == stage
        ]
        board.append({"stage": stage, "cards": cards})
    out: dict[str, Any] = {"available": True, "board": board, "stages": list(stages), "count": len(records)}
    ledger = lib(LEDGER, "ledger_balances")
    if ledger is None:
        out["ledger"] = unavailable("The give/ask ledger", LEDGER)
    else:
        labels = {(r.platform, r.account_id): r.label for r in records}
        balances = [
            {**jsonable(b.as_dict()), "label": labels.get((b.platform, b.account_id), b.account_id)} for b in ledger(ws)
        ]
        with ws.connect(purpose="read the ledger", timeout=READ_TIMEOUT) as con:
            recent = outreach_sql.recent_touches(con)
        touches = [
            {**jsonable(t), "label": labels.get((t["platform"], t["account_id"]), t["account_id"])} for t in recent
        ]
        out["ledger"] = {"available": True, "rows": balances, "recent": touches}
    out["touch_kinds"] = list(lib(LEDGER, "OUR_KINDS") or ("like", "reply", "share", "message", "gift", "mention"))
    return out


def move(ws: Workspace, platform: str, account_id: str, to_stage: str, *, by: str | None) -> str:
    """Move one card; returns the record's label. Raises ``OutreachError`` on an illegal move."""
    fn = lib(PIPELINE, "move")
    if fn is None:
        raise OutreachError(L_("the outreach pipeline is not available yet"), hint=L_("Update Signalboost"))
    record = fn(ws, platform, account_id, to_stage, by=by, note="moved on the dashboard")
    return str(record.label)


def log(
    ws: Workspace, platform: str, account_id: str, kind: str, *, direction: str, is_ask: bool, note: str | None
) -> bool:
    """Log one touch by hand; ``True`` if new, ``False`` if the same touch was already logged."""
    fn = lib(LEDGER, "log_touch")
    if fn is None:
        raise OutreachError(L_("the give/ask ledger is not available yet"), hint=L_("Update Signalboost"))
    return bool(fn(ws, platform, account_id, kind, direction=direction, is_ask=is_ask, note=note or None))


def alerts(ws: Workspace, today: Any) -> list[dict[str, Any]]:
    """Follow-ups due, relationships without a touch from us, engagement drops (``signalboost outreach due``)."""
    due = lib("signalboost.outreach.kpis", "due")
    if due is None:
        return []
    try:
        found = due(ws, today=today)
    except SignalboostError:  # nothing to measure yet (no strategy, no brand account): no alert
        return []
    return [{"kind": a.kind, "text": a.message, "href": profile_href(a.platform, a.account_id)} for a in found]


def profile_href(platform: str, account_id: str) -> str:
    """The profile page's address, each part percent-encoded (an id may hold ``?``, ``#`` or spaces)."""
    return f"/influencers/{quote(platform, safe='')}/{quote(account_id, safe='')}"


def add(ws: Workspace, platform: str, account_id: str, *, owner: str | None) -> str:
    """Put an account into the pipeline as ``identified``; returns its label."""
    fn = lib(PIPELINE, "add_influencer")
    if fn is None:
        raise OutreachError(L_("the outreach pipeline is not available yet"), hint=L_("Update Signalboost"))
    with ws.connect(purpose="read an account") as con:
        account = accounts_sql.account_lookup(con, platform, account_id)
        known = account is not None or accounts_sql.account_known(con, platform, account_id)
    if not known:
        raise WebError(
            L_(
                "no account {account_id!r} on {platform!r} in this workspace; nothing was added",
                account_id=account_id[:80],
                platform=platform[:40],
            ),
            where="account_id",
            hint=L_("Add accounts from the Influencers page or a profile, after importing data that has them"),
        )
    handle = account.get("handle") if account else None  # follower lists often give ids only
    record = fn(ws, platform, account_id, handle=handle, owner=owner, source="dashboard")
    return str(record.label)
