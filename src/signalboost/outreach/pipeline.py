"""The influencer pipeline: a small stage machine with a history of every move.

Stages follow the method's connect → convince → retain → collaborate steps::

    identified → warming → contacted → collaborating → retained
         (any active stage) → paused | declined;  paused → resume;  declined → identified (start again)

``warming`` means engaging organically with their content before asking anything. A relationship is ``organic``
or ``paid``; a paid one records its offer (``product``, ``discount`` or ``fee``) and its cost. Each record has an
owner, a next step and a due date; ``signalboost outreach due`` lists what is due.

Illegal moves raise :class:`~signalboost.errors.OutreachError` naming the current stage and the moves allowed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from signalboost.errors import OutreachError
from signalboost.i18n import L_
from signalboost.store import outreach_sql as sql
from signalboost.store.workspace import Workspace

STAGES: tuple[str, ...] = (
    "identified",
    "warming",
    "contacted",
    "collaborating",
    "retained",
    "paused",
    "declined",
)
ACTIVE_STAGES: tuple[str, ...] = ("warming", "contacted", "collaborating", "retained")
MODES: tuple[str, ...] = ("organic", "paid")
OFFER_KINDS: tuple[str, ...] = ("product", "discount", "fee")

#: The legal moves: stage -> stages it may move to. Everything else is refused.
LEGAL_MOVES: Mapping[str, tuple[str, ...]] = {
    "identified": ("warming", "contacted", "paused", "declined"),
    "warming": ("contacted", "paused", "declined"),
    "contacted": ("warming", "collaborating", "paused", "declined"),
    "collaborating": ("retained", "paused", "declined"),
    "retained": ("collaborating", "paused", "declined"),
    "paused": ("warming", "contacted", "collaborating", "retained", "declined"),
    "declined": ("identified",),
}


@dataclass(frozen=True)
class OutreachRecord:
    """One influencer in the pipeline (a row of table ``outreach``)."""

    platform: str
    account_id: str
    handle: str | None
    stage: str
    mode: str
    offer_kind: str | None
    offer: str | None
    cost: float | None
    owner: str | None
    next_step: str | None
    due_date: dt.date | None
    notes: str | None
    source: str | None
    created_at: dt.datetime
    updated_at: dt.datetime

    @property
    def label(self) -> str:
        """``@handle`` when known, else the account id."""
        return f"@{self.handle}" if self.handle else self.account_id

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class StageMove:
    """One move in ``outreach_stage_history`` (``from_stage`` is None when the influencer entered)."""

    platform: str
    account_id: str
    from_stage: str | None
    to_stage: str
    moved_at: dt.datetime
    moved_by: str | None
    note: str | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


# ------------------------------------------------------------------------------------------ the stage machine
def allowed_moves(stage: str) -> tuple[str, ...]:
    """The stages ``stage`` may move to (raises ``OutreachError`` for an unknown stage)."""
    check_stage(stage)
    return LEGAL_MOVES[stage]


def check_stage(stage: str, *, field: str = "stage") -> str:
    """Return ``stage`` if it is one of :data:`STAGES`, else raise a clear ``OutreachError``."""
    if stage not in STAGES:
        raise OutreachError(
            L_("unknown stage {stage!r}", stage=stage),
            where=field,
            hint=L_("Use one of: {choices}", choices=", ".join(STAGES)),
        )
    return stage


def check_move(current: str, target: str, *, who: str = "this influencer") -> None:
    """Refuse an illegal move with an error naming the current stage and the allowed moves."""
    check_stage(target, field="target stage")
    allowed = allowed_moves(current)
    if target == current:
        raise OutreachError(
            L_("{who} is already in stage {current!r}", who=who, current=current),
            where=f"stage {current}",
            hint=L_("Allowed moves from {current}: {choices}", current=current, choices=", ".join(allowed)),
        )
    if target not in allowed:
        raise OutreachError(
            L_("cannot move {who} from {current!r} to {target!r}", who=who, current=current, target=target),
            where=f"stage {current}",
            hint=L_("Allowed moves from {current}: {choices}", current=current, choices=", ".join(allowed)),
        )


def check_terms(mode: str, offer_kind: str | None, cost: float | None) -> None:
    """Check the organic/paid terms: a known mode, a known offer kind (paid only), a non-negative cost."""
    if mode not in MODES:
        raise OutreachError(L_("unknown mode {mode!r}", mode=mode), where="mode", hint=L_("Use organic or paid"))
    if offer_kind is not None and offer_kind not in OFFER_KINDS:
        raise OutreachError(
            L_("unknown offer kind {offer_kind!r}", offer_kind=offer_kind),
            where="offer_kind",
            hint=L_("Use one of: {choices}", choices=", ".join(OFFER_KINDS)),
        )
    if offer_kind is not None and mode != "paid":
        raise OutreachError(
            L_("an offer (product, discount, fee) makes the relationship paid"),
            where="offer_kind",
            hint=L_("Pass --mode paid with --offer-kind"),
        )
    if cost is not None and (cost < 0 or cost != cost):
        raise OutreachError(
            L_("cost must be a number ≥ 0, got {cost}", cost=cost), where="cost", hint=L_("Give the cost, e.g. 150")
        )


# ------------------------------------------------------------------------------------------- the database side
def _now(now: dt.datetime | None) -> dt.datetime:
    return now or dt.datetime.now(dt.UTC)


def get_record(ws: Workspace, platform: str, account_id: str) -> OutreachRecord:
    """The pipeline record of one account (``OutreachError`` if it is not in the pipeline)."""
    with ws.connect(purpose="read") as con:
        return _fetch_record(con, platform, account_id)


def _fetch_record(con: Any, platform: str, account_id: str) -> OutreachRecord:
    """The record read on ``con``, or ``OutreachError`` naming the account and how to add it."""
    row = sql.fetch_outreach(con, platform, account_id)
    if row is None:
        raise OutreachError(
            L_("{platform}:{account_id} is not in the pipeline", platform=platform, account_id=account_id),
            where="table outreach",
            hint=L_("Add it first with `signalboost outreach add HANDLE`"),
        )
    return OutreachRecord(**row)


def list_records(ws: Workspace, *, stage: str | None = None, platform: str | None = None) -> list[OutreachRecord]:
    """Every pipeline record, optionally of one stage and platform, ordered by due date then handle."""
    if stage is not None:
        check_stage(stage)
    with ws.connect(purpose="read") as con:
        rows = sql.list_outreach(con, stage=stage, platform=platform)
    return [OutreachRecord(**r) for r in rows]


def history(ws: Workspace, platform: str, account_id: str) -> list[StageMove]:
    """Every move of one account, oldest first."""
    with ws.connect(purpose="read") as con:
        rows = sql.stage_history(con, platform, account_id)
    return [StageMove(**r) for r in rows]


def add_influencer(
    ws: Workspace,
    platform: str,
    account_id: str,
    *,
    handle: str | None = None,
    stage: str = "identified",
    mode: str = "organic",
    offer_kind: str | None = None,
    offer: str | None = None,
    cost: float | None = None,
    owner: str | None = None,
    next_step: str | None = None,
    due_date: dt.date | None = None,
    notes: str | None = None,
    source: str = "manual",
    now: dt.datetime | None = None,
) -> OutreachRecord:
    """Add one account to the pipeline (``OutreachError`` if it is already there); the entry is in the history."""
    check_stage(stage)
    if stage in ("paused", "declined"):
        raise OutreachError(
            L_("a new influencer cannot start in stage {stage!r}", stage=stage),
            where="stage",
            hint=L_("Start at identified, warming or contacted"),
        )
    check_terms(mode, offer_kind, cost)
    at = _now(now)
    row: dict[str, Any] = {
        "platform": platform,
        "account_id": account_id,
        "handle": handle,
        "stage": stage,
        "mode": mode,
        "offer_kind": offer_kind,
        "offer": offer,
        "cost": cost,
        "owner": owner,
        "next_step": next_step,
        "due_date": due_date,
        "notes": notes,
        "source": source,
        "created_at": at,
        "updated_at": at,
    }
    with ws.transaction() as con:
        if sql.fetch_outreach(con, platform, account_id) is not None:
            raise OutreachError(
                L_("{who} is already in the pipeline", who=handle or account_id),
                where=f"{platform}:{account_id}",
                hint=L_("Use `signalboost outreach move` or `signalboost outreach update` to change it"),
            )
        sql.insert_outreach(con, row)
        sql.insert_history(con, platform, account_id, None, stage, at, owner, "added")
    return OutreachRecord(**row)


def add_many(
    ws: Workspace,
    accounts: Iterable[tuple[str, str, str | None]],
    *,
    stage: str = "identified",
    source: str = "influence",
    note: str | None = None,
    notes: Mapping[tuple[str, str], str] | None = None,
    now: dt.datetime | None = None,
) -> int:
    """Add ``(platform, account_id, handle)`` accounts not yet in the pipeline; return how many were added.

    ``notes``: a stage-history note per ``(platform, account_id)`` (else ``note``)."""
    check_stage(stage)
    at = _now(now)
    added = 0
    with ws.transaction() as con:
        for platform, account_id, handle in accounts:
            if sql.fetch_outreach(con, platform, account_id) is not None:
                continue
            row: dict[str, Any] = dict.fromkeys(
                ("offer_kind", "offer", "cost", "owner", "next_step", "due_date", "notes")
            )
            row.update(
                platform=platform,
                account_id=account_id,
                handle=handle,
                stage=stage,
                mode="organic",
                source=source,
                created_at=at,
                updated_at=at,
                notes=note,
            )
            sql.insert_outreach(con, row)
            text = (notes or {}).get((platform, account_id)) or note or "added"
            sql.insert_history(con, platform, account_id, None, stage, at, None, text)
            added += 1
    return added


def move(
    ws: Workspace,
    platform: str,
    account_id: str,
    to_stage: str,
    *,
    note: str | None = None,
    by: str | None = None,
    now: dt.datetime | None = None,
) -> OutreachRecord:
    """Move one influencer to ``to_stage`` if the move is legal (see :data:`LEGAL_MOVES`); record it."""
    at = _now(now)
    with ws.transaction() as con:
        record = _fetch_record(con, platform, account_id)
        check_move(record.stage, to_stage, who=record.label)
        sql.update_outreach(con, platform, account_id, {"stage": to_stage, "updated_at": at})
        sql.insert_history(con, platform, account_id, record.stage, to_stage, at, by or record.owner, note)
        row = sql.fetch_outreach(con, platform, account_id)
    assert row is not None
    return OutreachRecord(**row)


UPDATABLE: tuple[str, ...] = (
    "mode",
    "offer_kind",
    "offer",
    "cost",
    "owner",
    "next_step",
    "due_date",
    "notes",
    "handle",
)


def update(
    ws: Workspace, platform: str, account_id: str, changes: Mapping[str, Any], *, now: dt.datetime | None = None
) -> OutreachRecord:
    """Change the terms, owner, next step, due date or notes of one record (not the stage: use :func:`move`)."""
    unknown = sorted(set(changes) - set(UPDATABLE))
    if unknown:
        raise OutreachError(
            L_("cannot update {choices}", choices=", ".join(unknown)),
            where="outreach",
            hint=L_("Updatable fields: {choices}; change the stage with move", choices=", ".join(UPDATABLE)),
        )
    current = get_record(ws, platform, account_id)
    merged = {**current.as_dict(), **changes}
    check_terms(merged["mode"], merged["offer_kind"], merged["cost"])
    with ws.transaction() as con:
        sql.update_outreach(con, platform, account_id, {**changes, "updated_at": _now(now)})
    return get_record(ws, platform, account_id)


def resolve_account(ws: Workspace, ref: str, *, platform: str | None = None) -> tuple[str, str, str | None]:
    """``(platform, account_id, handle)`` of ``ref`` — a handle (with or without @) or an account id.

    Looks in the pipeline, the imported accounts, then (by id) the influence scores and interactions. Raises
    ``OutreachError`` when nothing matches or when the reference is ambiguous across platforms (pass ``platform``).
    """
    text = ref.strip().lstrip("@")
    if not text:
        raise OutreachError(L_("empty handle"), where="HANDLE", hint=L_("Give a handle like @maria or an account id"))
    with ws.connect(purpose="read") as con:
        matches = sql.find_account(con, text, platform=platform)
    if not matches:
        raise OutreachError(
            L_("no account {ref!r} on {platform}", ref=ref, platform=platform)
            if platform
            else L_("no account {ref!r}", ref=ref),
            where="accounts / outreach",
            hint=(
                L_(
                    "Check the handle with `signalboost outreach list`; an account not imported yet can be added with "
                    "`signalboost outreach add HANDLE --platform P --account-id ID`"
                )
            ),
        )
    platforms = sorted({m[0] for m in matches})
    if len(platforms) > 1:
        raise OutreachError(
            L_("{ref!r} exists on several platforms ({choices})", ref=ref, choices=", ".join(platforms)),
            where="HANDLE",
            hint=L_("Pass --platform"),
        )
    return matches[0]


def records_as_rows(records: Sequence[OutreachRecord]) -> list[dict[str, Any]]:
    """Records as plain rows for printing (dates as ISO text)."""
    return [r.as_dict() for r in records]


def _require_scores(con: Any) -> None:
    """``OutreachError`` when no influence scores are stored (segments come from the latest run)."""
    if not sql.has_influence_scores(con):
        raise OutreachError(
            L_("no influence scores yet"),
            where="table influence_scores",
            hint=L_("Score the accounts first with `signalboost influencers`"),
        )


def add_untapped(
    ws: Workspace, *, limit: int | None = 50, platform: str | None = None, now: dt.datetime | None = None
) -> tuple[int, int, list[dict[str, Any]]]:
    """Enter the untapped influencers (influential followers, little or no interaction) as ``identified``.

    Reads the latest run of ``influence_scores``; takes the ``limit`` best scores (None: all). Returns
    ``(added, untapped in total, the rows taken)``. ``OutreachError`` when influence scores are absent.
    """
    with ws.connect(purpose="read") as con:
        _require_scores(con)
        untapped = sql.untapped_influencers(con, platform=platform)
    rows = untapped.head(limit).to_dicts() if limit is not None else untapped.to_dicts()
    added = add_many(
        ws,
        [(r["platform"], r["account_id"], r["handle"]) for r in rows],
        source="influence",
        notes={(r["platform"], r["account_id"]): untapped_note(r) for r in rows},
        now=now,
    )
    for r in rows:
        r.pop("settings", None)
    return added, untapped.height, rows


#: what ``outreach add --segment`` takes besides the influence segments: the accounts the brand itself interacted
#: with (an own archive's ranking: "the accounts the brand engages with")
ENGAGED_BY_BRAND = "engaged-by-brand"


def segment_choices() -> tuple[str, ...]:
    """The segments ``outreach add --segment`` accepts: the influence segments and :data:`ENGAGED_BY_BRAND`."""
    from signalboost.influence.segments import LISTING_ORDER

    return (*LISTING_ORDER, ENGAGED_BY_BRAND)


@dataclass(frozen=True)
class SegmentAdded:
    """What :func:`add_segment` did: ``added`` new records, of the ``taken`` best of ``total`` accounts in the
    segment (the rest of the taken ones were already in the pipeline and kept their stage); ``rows`` the taken."""

    added: int
    taken: int
    total: int
    rows: list[dict[str, Any]]


def add_segment(
    ws: Workspace,
    segment: str,
    *,
    top: int | None = 50,
    platform: str | None = None,
    stage: str = "identified",
    now: dt.datetime | None = None,
) -> SegmentAdded:
    """Enter the ``top`` first accounts of ``segment`` (None: all) into the pipeline at ``stage``, in one step.

    ``segment`` is an influence segment of the latest ``signalboost influencers`` run per network (best score
    first: ``untapped``, ``advocate``, ``thought_leader``, ``fan``, ``other``) or :data:`ENGAGED_BY_BRAND`, the
    accounts the brand's own accounts liked, reposted, quoted, replied to or mentioned (most interactions first).
    Idempotent: an account already in the pipeline is left as it is (stage, owner, history), so adding a segment
    twice adds nothing the second time. ``OutreachError`` for an unknown segment or stage, without influence
    scores (an influence segment) or without the brand's account (:data:`ENGAGED_BY_BRAND`).
    """
    if segment not in segment_choices():
        raise OutreachError(
            L_("unknown segment {segment!r}", segment=segment),
            where="--segment",
            hint=L_("Use one of: {choices}", choices=", ".join(segment_choices())),
        )
    check_stage(stage)
    if stage not in ("identified", "warming", "contacted"):
        raise OutreachError(
            L_("a new influencer cannot start in stage {stage!r}", stage=stage),
            where="stage",
            hint=L_("Start at identified, warming or contacted"),
        )
    if segment == ENGAGED_BY_BRAND:
        from signalboost.outreach.ledger import brand_ids

        brand = brand_ids(ws, platform)
        if not brand:
            raise OutreachError(
                L_("the brand's own account is unknown"),
                where="strategy.yaml brand.handles / accounts.is_brand",
                hint=L_(
                    "Set brand.handles in strategy.yaml (e.g. {{x: mybrand}}) to the handle of an imported account"
                ),
            )
        with ws.connect(purpose="read") as con:
            found = sql.engaged_by_brand(con, brand, platform=platform)
        notes = {
            (r["platform"], r["account_id"]): f"segment {ENGAGED_BY_BRAND}: the brand interacted with it "
            f"{r['interactions']} time(s)"
            for r in found.iter_rows(named=True)
        }
    else:
        with ws.connect(purpose="read") as con:
            _require_scores(con)
            found = sql.segment_influencers(con, segment, platform=platform)
        notes = {
            (r["platform"], r["account_id"]): untapped_note(r) if segment == "untapped" else f"segment {segment}"
            for r in found.iter_rows(named=True)
        }
    rows = found.head(top).to_dicts() if top is not None else found.to_dicts()
    added = add_many(
        ws,
        [(r["platform"], r["account_id"], r["handle"]) for r in rows],
        stage=stage,
        source="interactions" if segment == ENGAGED_BY_BRAND else "influence",
        notes=notes,
        now=now,
    )
    for r in rows:
        r.pop("settings", None)
    return SegmentAdded(added, len(rows), found.height, rows)


def untapped_note(row: Mapping[str, Any]) -> str:
    """The stage-history note of an untapped account: an influential follower with at most the run's tolerance of
    interactions with the brand in the engagement window (``settings`` JSON of ``influence_runs``; the defaults
    of ``strategy.influence`` when unknown)."""
    from signalboost.model.strategy import InfluenceSettings

    defaults = InfluenceSettings()
    tolerance, days = defaults.untapped_tolerance, defaults.engagement_window_days
    with contextlib.suppress(ValueError, TypeError, AttributeError):
        settings = json.loads(row.get("settings") or "{}")
        tolerance = int(settings.get("untapped_tolerance", tolerance))
        days = int(settings.get("engagement_window_days", days))
    count = row.get("interactions_with_brand")
    shown = "unknown" if count is None else str(int(count))
    return (
        f"untapped: influential follower, {shown} interaction(s) with the brand in the last {days} days "
        f"(untapped at ≤ {tolerance})"
    )
