"""The Influencers page: a sortable, filterable table with score components, the influence × engagement chart,
and one profile page per influencer.

Scores come from :mod:`signalboost.influence` (stored by ``signalboost influencers`` or the page's "Compute
scores" button in table ``influence_scores``); the listing is sorted and filtered in SQL so it stays fast on
hundreds of thousands of accounts.
"""

from __future__ import annotations

from typing import Any

from signalboost.errors import InfluenceError, SignalboostError, WebError
from signalboost.i18n import L_, _, format_number
from signalboost.store import accounts_sql, influence_sql
from signalboost.store.workspace import Workspace
from signalboost.web.context import READ_TIMEOUT
from signalboost.web.views.outreach import profile_href
from signalboost.web.wiring import failed, jsonable, jsonable_dict, lib, strategy_of, unavailable

MODULE = "signalboost.influence.job"
COMPONENTS: tuple[str, ...] = ("reach", "authority", "amplification", "topic", "activity")
SEGMENTS: tuple[str, ...] = ("untapped", "advocate", "thought_leader", "fan", "other")


def build(
    ws: Workspace,
    *,
    sort: str = "score",
    order: str = "desc",
    segment: str | None = None,
    q: str | None = None,
    limit: int = 50,
    platform: str | None = None,
) -> dict[str, Any]:
    """Scored accounts (sorted, filtered), the segment counts, the chart's points and the run's metadata."""
    if lib(MODULE, "run_influence") is None:
        return unavailable("Influencer scores", MODULE)
    with ws.connect(purpose="read influencers", timeout=READ_TIMEOUT) as con:
        platforms = influence_sql.score_platforms(con)
        if not platforms:
            return {
                "available": True,
                "scored": False,
                "platforms": [],
                "rows": [],
                "message": _("No influence scores yet: compute them from the imported data."),
            }
        plat = platform if platform in platforms else platforms[0]
        rows = influence_sql.influencer_rows(
            con, plat, sort=sort, descending=order == "desc", segment=segment or None, q=q or None, limit=limit
        )
        counts = influence_sql.segment_counts(con, plat)
        latest = lib("signalboost.store.influence_sql", "latest_run")
        run = latest(con, plat) if latest else None
        points = influence_sql.chart_points(con, plat, run["computed_at"] if run else None)
    strategy = strategy_of(ws) if ws.has_strategy() else None
    settings = strategy.influence if strategy else None
    return jsonable_dict(
        {
            "available": True,
            "scored": True,
            "platform": plat,
            "platforms": platforms,
            "rows": rows,
            "segments": counts,
            "points": points,
            "run": run,
            "components": COMPONENTS,
            "sort": sort,
            "order": order,
            "segment": segment,
            "q": q,
            "limit": limit,
            "influence_threshold": settings.influence_threshold if settings else 70.0,
            "engagement_threshold": settings.engagement_threshold if settings else 1.0,
            "total": sum(counts.values()),
        }
    )


def title_words(data: dict[str, Any]) -> dict[str, str | None]:
    """The page's ``title`` and the ``ranking_note`` said above the table, in the page's language (per request:
    :func:`build`'s result is cached for every language). On an account export alone (every interaction in the
    data is the brand's own) the ranking is the accounts the brand engages with, not influence (as the CLI's
    ``signalboost influencers`` says; docs/influence.md)."""
    from signalboost.influence.score import DEFAULTS_GIVE_NOTHING, ONLY_BRAND_INTERACTS
    from signalboost.influence.words import stored_words

    run = data.get("run") or {}
    notes = run.get("notes") or []
    if data.get("scored") and ONLY_BRAND_INTERACTS in notes:
        title = _("Accounts the brand engages with on {network} (not an influence ranking)").format(
            network=data.get("platform")
        )
        said = [stored_words(n) for n in (ONLY_BRAND_INTERACTS, DEFAULTS_GIVE_NOTHING) if n in notes]
        return {"title": title, "ranking_note": " ".join(s[:1].upper() + s[1:] + "." for s in said)}
    return {"title": _("Influencers"), "ranking_note": None}


def compute(ws: Workspace, platform: str | None = None) -> None:
    """Score the workspace's accounts (``signalboost influencers``) and store the result."""
    run = lib(MODULE, "run_influence")
    if run is None:
        raise InfluenceError(
            L_("influencer scoring is not available yet in this installation"), hint=L_("Update Signalboost")
        )
    run(ws, platform=platform or None)


def profile(ws: Workspace, platform: str, account_id: str) -> dict[str, Any]:
    """One influencer: the account, score components, what they share, when, and engagement with the brand."""
    with ws.connect(purpose="read an account", timeout=READ_TIMEOUT) as con:
        account = accounts_sql.account_lookup(con, platform, account_id)
        posts = accounts_sql.account_posts(con, platform, account_id)
    known = account is not None or bool(posts)
    account = account or {"platform": platform, "account_id": account_id, "handle": None, "name": None, "bio": None}
    out: dict[str, Any] = {"account": jsonable(account), "posts": jsonable(posts)}
    fn = lib(MODULE, "influencer_profile")
    if fn is None:
        out["profile"] = unavailable("Influencer profiles", MODULE)
    else:
        try:
            prof = neighbourhood_profile(ws, platform, account_id) or fn(ws, account_id, platform=platform)
            out["profile"] = {"available": True, **jsonable(prof.to_dict())}
            known = True
        except SignalboostError as exc:
            out["profile"] = failed("Influencer profile", exc)
    if not known:  # no account row, no post, no interaction: not in the workspace at all
        raise WebError(
            L_("no account {platform}:{account_id} in the workspace", platform=platform, account_id=account_id),
            where="accounts",
            hint=L_("Import data that includes it, or pick one from the Influencers page"),
        )
    return out


def neighbourhood_profile(ws: Workspace, platform: str, account_id: str) -> Any | None:
    """``signalboost.influence.job.influencer_profile(ws, account_id, platform=platform)`` computed on the
    account's neighbourhood (:func:`signalboost.store.accounts_sql.neighbourhood_frames`: itself, the brand, their
    interactions and the posts they wrote or acted on) instead of the whole platform graph — the same profile,
    since ``build_profile`` only reads those rows (tested against the library) — or ``None`` when the key could
    name another account (then the caller asks the library, which resolves handles)."""
    from signalboost.influence.data import InfluenceData
    from signalboost.influence.job import resolve_brand
    from signalboost.influence.profile import advise, build_profile
    from signalboost.store.influence_sql import others_engage_with, read_scores

    brand = resolve_brand(ws, platform).account_id  # before our connection: it opens its own
    with ws.connect(purpose="read an account", timeout=READ_TIMEOUT) as con:
        if not accounts_sql.only_account_named(con, platform, account_id):
            return None
        ids = [account_id] if brand is None else [account_id, brand]
        data = InfluenceData.from_frames(platform, **accounts_sql.neighbourhood_frames(con, platform, ids))
        scores = read_scores(con, platform, account_ids=[account_id])
        seen = brand is None or others_engage_with(con, platform, brand)
    strategy = ws.strategy() if ws.has_strategy() else None
    prof = build_profile(data, account_id, brand_id=brand, timezone=strategy.brand.timezone if strategy else "UTC")
    if prof.engagement_seen != seen:  # the neighbourhood holds only this account's interactions: ask the platform
        prof.engagement_seen = seen
        prof.advice = advise(prof)
    if scores.height:
        prof.score = {k: v for k, v in scores.row(0, named=True).items() if k not in ("platform", "account_id")}
    return prof


def untapped_todo(ws: Workspace, top: int = 3) -> list[dict[str, Any]]:
    """The top untapped influencers (influential followers who never interact) as this week's to-do items."""
    with ws.connect(purpose="read influencers", timeout=READ_TIMEOUT) as con:
        platforms = influence_sql.score_platforms(con)
        rows = influence_sql.influencer_rows(con, platforms[0], segment="untapped", limit=top) if platforms else []
    return [
        {
            "text": _("Approach untapped influencer {who} (score {score}): engage with their content").format(
                who=("@" + r["handle"]) if r["handle"] else r["account_id"], score=format_number(round(r["score"]))
            ),
            "href": profile_href(platforms[0], r["account_id"]),
        }
        for r in rows
        if r["score"] is not None
    ]
