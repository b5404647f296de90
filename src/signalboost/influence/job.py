"""The influence job on a workspace: load a platform's data, score, segment, store — and read the results back.

This is the wiring layer the CLI, the dashboard and the demo call (the algorithms in this package take plain
frames and know nothing of the database).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import polars as pl

from signalboost.errors import InfluenceError
from signalboost.i18n import L_
from signalboost.influence.calibrate import Calibration
from signalboost.influence.data import InfluenceData
from signalboost.influence.profile import Profile, build_profile
from signalboost.influence.score import InfluenceResult, Progress, compute_influence
from signalboost.influence.segments import SEGMENTS
from signalboost.model.strategy import InfluenceSettings, Strategy
from signalboost.store import influence_sql as sql
from signalboost.store.workspace import Workspace


@dataclass(frozen=True)
class Brand:
    """The brand's account on a platform and how it was found (``--brand``, ``accounts.is_brand``, strategy)."""

    account_id: str | None
    how: str


def load_data(ws: Workspace, platform: str) -> InfluenceData:
    """The platform's canonical frames from the workspace."""
    with ws.connect(purpose="read") as con:
        frames = sql.read_platform(con, platform)
    return InfluenceData.from_frames(platform, **frames)


def resolve_platform(ws: Workspace, platform: str | None) -> str:
    """``platform`` if given, else the platform with the most graph data; an error when there is none."""
    with ws.connect(purpose="read") as con:
        found = sql.platforms(con)
    if platform is not None:
        return platform
    if not found:
        raise InfluenceError(
            L_("the workspace holds no accounts, follows or interactions"),
            where=str(ws.db_path),
            hint=L_(
                "Import data first: influence needs who follows or interacts with whom, and posts alone do not say "
                "it. Import an account export (X archive, Mastodon, Instagram), a follower list (`signalboost import "
                "follows.csv --kind follows -p instagram`) or interactions (`--map actor_id=COLUMN,kind=COLUMN`)"
            ),
        )
    return found[0][0]


def _strategy(ws: Workspace) -> Strategy | None:
    return ws.strategy() if ws.has_strategy() else None


def resolve_brand(ws: Workspace, platform: str, brand: str | None = None) -> Brand:
    """The brand's account: ``brand`` (handle or id), else the account marked ``is_brand``, else
    ``brand.handles[platform]`` of strategy.yaml; ``Brand(None, why)`` when none is known."""
    with ws.connect(purpose="read") as con:
        if brand is not None:
            hits = sql.find_account(con, platform, brand)
            if not hits:
                raise InfluenceError(
                    L_("no account {brand!r} on platform {platform!r}", brand=brand, platform=platform),
                    where="--brand",
                    hint=L_("Give the brand's handle or account id as it appears in the imported data"),
                )
            return Brand(hits[0][1], "--brand")
        marked = sql.brand_accounts(con, platform)
        if marked:
            return Brand(marked[0], "accounts.is_brand")
        strategy = _strategy(ws)
        handle = strategy.brand.handles.get(platform) if strategy else None
        if handle:
            hits = sql.find_account(con, platform, handle)
            if hits:
                return Brand(hits[0][1], f"strategy.yaml brand.handles.{platform}")
            return Brand(None, f"brand.handles.{platform} = {handle!r} is not in the imported data")
    return Brand(None, f"no brand account for {platform!r} (set brand.handles.{platform} in strategy.yaml)")


def settings_and_topics(ws: Workspace) -> tuple[InfluenceSettings, dict[str, list[str]] | None]:
    """``strategy.influence`` (defaults without strategy.yaml) and the pillar topics (None: top hashtags)."""
    strategy = _strategy(ws)
    if strategy is None:
        return InfluenceSettings(), None
    topics = {p.id: list(p.hashtags) for p in strategy.pillars if p.hashtags}
    return strategy.influence, (topics or None)


def without_brand(table: pl.DataFrame, data: InfluenceData, brand_id: str | None) -> pl.DataFrame:
    """``table`` without the brand's own accounts (``brand_id`` and every ``accounts.is_brand`` row): the brand
    stays in the graph the scores are computed on, but is not an influencer to rank, segment or approach."""
    own = set(data.accounts.filter(pl.col("is_brand").fill_null(False))["account_id"].to_list())
    if brand_id is not None:
        own.add(brand_id)
    return table.filter(~pl.col("account_id").is_in(sorted(own))) if own else table


def run_influence(
    ws: Workspace,
    *,
    platform: str | None = None,
    brand: str | None = None,
    write: bool = True,
    progress: Progress | None = None,
) -> InfluenceResult:
    """Load, score, segment and (``write=True``) store the platform's influence scores; return the result."""
    started = time.perf_counter()
    platform = resolve_platform(ws, platform)
    say = progress or (lambda _m: None)
    say("loading")
    data = load_data(ws, platform)
    settings, topics = settings_and_topics(ws)
    who = resolve_brand(ws, platform, brand)
    result = compute_influence(data, settings, brand_id=who.account_id, topics=topics, progress=progress)
    result.table = without_brand(result.table, data, who.account_id)
    result.notes.insert(0, f"brand account: {who.account_id} ({who.how})" if who.account_id else who.how)
    if write:
        say("writing")
        run = result.summary() | {
            "computed_at": result.computed_at,
            "settings": settings.model_dump(),
            "seconds": time.perf_counter() - started,
        }
        with ws.transaction(purpose="influence") as con:
            sql.write_scores(con, result.table, run)
    return result


def check_segment(segment: str | None) -> None:
    """Raise a usage-style error for an unknown segment name."""
    if segment is not None and segment not in SEGMENTS:
        from signalboost.model.suggest import did_you_mean

        raise InfluenceError(
            L_(
                "unknown segment {segment!r}{did_you_mean}",
                segment=segment,
                did_you_mean=did_you_mean(segment, list(SEGMENTS)),
            ),
            where="--segment",
            hint=L_("Use one of: {choices}", choices=", ".join(SEGMENTS)),
        )


def stored_influencers(
    ws: Workspace, *, platform: str | None = None, segment: str | None = None, top: int | None = None
) -> tuple[pl.DataFrame, dict[str, Any] | None]:
    """The stored scores (listing order, untapped first) and the metadata of the run that wrote them."""
    check_segment(segment)
    platform = resolve_platform(ws, platform)
    with ws.connect(purpose="read") as con:
        return sql.read_scores(con, platform, segment=segment, limit=top), sql.latest_run(con, platform)


def influencer_profile(ws: Workspace, handle: str, *, platform: str | None = None, every: str = "1w") -> Profile:
    """The profile of one account, found by handle or id (:mod:`signalboost.influence.profile`)."""
    with ws.connect(purpose="read") as con:
        hits = sql.find_account(con, platform, handle)
    if not hits:
        raise InfluenceError(
            L_("no account {handle!r} on {platform!r}", handle=handle, platform=platform)
            if platform
            else L_("no account {handle!r}", handle=handle),
            where="HANDLE",
            hint=L_("Give a handle (with or without @) or an account id from `signalboost influencers`"),
        )
    plats = sorted({p for p, _ in hits})
    if len(plats) > 1:
        raise InfluenceError(
            L_("{handle!r} exists on several platforms: {choices}", handle=handle, choices=", ".join(plats)),
            where="HANDLE",
            hint=L_("Pass --platform with one of: {choices}", choices=", ".join(plats)),
        )
    plat, account_id = hits[0]
    data = load_data(ws, plat)
    strategy = _strategy(ws)
    who = resolve_brand(ws, plat)
    prof = build_profile(
        data, account_id, brand_id=who.account_id, timezone=strategy.brand.timezone if strategy else "UTC", every=every
    )
    with ws.connect(purpose="read") as con:
        rows = sql.read_scores(con, plat, account_ids=[account_id])
    if rows.height:
        prof.score = {k: v for k, v in rows.row(0, named=True).items() if k not in ("platform", "account_id")}
    return prof


def segment_counts(ws: Workspace, run: dict[str, Any]) -> dict[str, int]:
    """Accounts per segment in the stored run."""
    with ws.connect(purpose="read") as con:
        return sql.segment_counts(con, run["platform"])


def calibrate_influence(
    ws: Workspace,
    *,
    platform: str | None = None,
    validation_cut: Any = None,
    cut: Any = None,
    replicates: int = 200,
) -> tuple[str, Calibration]:
    """The platform's calibration (:func:`signalboost.influence.calibrate.calibrate`) on the workspace's history:
    ``(platform, calibration)``. Raises :class:`CalibrationRefused` when the history is too short or thin."""
    from signalboost.influence.calibrate import calibrate

    platform = resolve_platform(ws, platform)
    with ws.connect(purpose="read") as con:
        frames = sql.read_platform(con, platform)
    settings, _topics = settings_and_topics(ws)
    cal = calibrate(
        frames["interactions"],
        settings,
        validation_cut=validation_cut,
        reported_cut=cut,
        accounts=frames.get("accounts"),
        follows=frames.get("follows"),
        posts=frames.get("posts"),
        replicates=replicates,
    )
    return platform, cal
