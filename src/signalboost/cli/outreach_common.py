"""What ``signalboost outreach`` and ``signalboost partners`` share: the table headers in the reader's language,
the date options and the account options."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import typer

from signalboost.cli.common import OutputFormat
from signalboost.cli.common import emit_rows as _emit_rows
from signalboost.errors import UsageError
from signalboost.i18n import L_, N_
from signalboost.outreach import ledger, pipeline
from signalboost.store.workspace import Workspace

PlatformOption = typer.Option(None, "--platform", "-p", help="Network of the account (needed when ambiguous).")
HandleArg = typer.Argument(..., help="Handle (with or without @) or account id.")
KPI_COLUMNS = ["account_id", "window_start", "window_end", "interacts", "interactions", "amplifications"]
KPI_COLUMNS += ["our_posts", "engaged_posts", "engagement_rate"]
"""The columns of a relationship-KPI window (``outreach kpis``, ``partners monitor``)."""


def parse_when(value: str | None, option: str) -> dt.datetime | dt.date | None:
    """``YYYY-MM-DD`` (a date) or an ISO date-time given to ``option``; a usage error naming the option otherwise."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value) if len(value) == 10 else dt.datetime.fromisoformat(value)
    except ValueError:
        raise UsageError(
            L_("{value!r} is not a date or time", value=value),
            where=option,
            hint=L_("Use YYYY-MM-DD or YYYY-MM-DDTHH:MM (UTC)"),
        ) from None


def parse_until(value: str | None) -> dt.datetime | None:
    """``--until`` as a UTC time (a date means its start, UTC)."""
    when = parse_when(value, "--until")
    return None if when is None else ledger.as_utc(when)


def resolve(ws: Workspace, ref: str, platform: str | None) -> tuple[str, str, str | None]:
    """``(platform, account_id, handle)`` of a handle or id (:func:`signalboost.outreach.pipeline.resolve_account`)."""
    return pipeline.resolve_account(ws, ref, platform=platform)


def emit_rows(rows: Sequence[Mapping[str, Any]], fmt: OutputFormat, **kwargs: Any) -> None:
    """``cli.common.emit_rows``; in a table the headers, words (stages, modes, trends), numbers and times are in
    the reader's language (times to the minute); JSON and CSV keep the field names and full values."""
    if fmt is OutputFormat.table and rows:
        from signalboost.cli.people import table_rows

        cols = list(kwargs.pop("columns", None) or rows[0].keys())
        rows, kwargs["columns"] = table_rows(rows, cols, LABELS)
    _emit_rows(rows, fmt, **kwargs)


LABELS: dict[str, str] = {
    "handle": N_("handle"),
    "account_id": N_("account id"),
    "account": N_("account"),
    "label": N_("influencer"),
    "platform": N_("network"),
    "stage": N_("stage"),
    "mode": N_("mode"),
    "offer_kind": N_("offer kind"),
    "offer": N_("offer"),
    "cost": N_("cost"),
    "owner": N_("owner"),
    "next_step": N_("next step"),
    "due_date": N_("due"),
    "notes": N_("notes"),
    "score": N_("score"),
    "direction": N_("direction"),
    "kind": N_("kind"),
    "ask": N_("ask"),
    "post": N_("post"),
    "post_id": N_("post"),
    "status": N_("status"),
    "new_touches": N_("new touches"),
    "moved_at": N_("moved"),
    "from_stage": N_("from"),
    "to_stage": N_("to"),
    "moved_by": N_("by"),
    "note": N_("note"),
    "gives": N_("gives"),
    "asks": N_("asks"),
    "give_ask_ratio": N_("give/ask"),
    "flagged": N_("flagged"),
    "their_interactions": N_("their interactions"),
    "their_amplifications": N_("their amplifications"),
    "last_ours": N_("our last touch"),
    "last_theirs": N_("their last touch"),
    "window_start": N_("from"),
    "window_end": N_("to"),
    "interacts": N_("interacts"),
    "interactions": N_("interactions"),
    "amplifications": N_("amplifications"),
    "our_posts": N_("our posts"),
    "engaged_posts": N_("posts engaged"),
    "engagement_rate": N_("engagement rate"),
    "message": N_("what"),
    "kpi": N_("KPI"),
    "metric": N_("metric"),
    "window_days": N_("days"),
    "target": N_("target"),
    "value": N_("value"),
    "previous": N_("previous"),
    "met": N_("met"),
    "trend": N_("trend"),
    "measure": N_("measure"),
    "last": N_("last"),
    "change": N_("change"),
    "engagement": N_("engagement"),
    "reach": N_("reach"),
    "engagement_per_cost": N_("engagement per cost"),
    "reach_per_cost": N_("reach per cost"),
    "created_at": N_("posted"),
    "pillars": N_("pillars"),
    "matched": N_("matched"),
    "url": "URL",
    "text": N_("text"),
    "slot_id": N_("slot"),
    "local": N_("when"),
    "network": N_("network"),
    "rank": N_("rank"),
    "audience": N_("audience"),
    "our_audience": N_("our audience"),
    "shared": N_("shared"),
    "unique": N_("unique"),
    "jaccard": "Jaccard",
    "jaccard_se": N_("Jaccard s.e."),
    "overlap_smaller": N_("overlap/smaller"),
    "unique_reach": N_("unique reach"),
    "bridges": N_("bridges"),
    "method": N_("method"),
    "new_reach_added": N_("new reach added"),
    "cumulative_new_reach": N_("new reach in total"),
    "started_at": N_("started"),
    "occurred_at": N_("when"),
    "is_ask": N_("ask"),
    "source": N_("source"),
}
"""Column → table header (msgids) of the outreach and partners tables; JSON and CSV keep the column names."""


def as_row(obj: Any) -> dict[str, Any]:
    """A pipeline/ledger record as a plain row."""
    return dict(obj.as_dict())
