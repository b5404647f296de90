"""The audience job on a workspace: who the audience is, its segments, persona cards, stored — and read back.

The wiring layer the CLI, the dashboard and the report call; the algorithms (:mod:`.segment`, :mod:`.behaviour`,
:mod:`.personas`) take plain frames.

The audience is the brand's followers where the follow graph holds edges to the brand, else the accounts that
interacted with it (:func:`signalboost.influence.segments.follows_brand`); without a known brand account, every
account of the platform except the brand's own.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from signalboost.audience.behaviour import describe
from signalboost.audience.personas import Card, Verdict, build_cards, hold_against
from signalboost.audience.segment import Segmentation, segment_audience
from signalboost.errors import AudienceError
from signalboost.i18n import L_
from signalboost.influence.data import InfluenceData
from signalboost.influence.job import load_data, resolve_brand, resolve_platform
from signalboost.influence.segments import follows_brand
from signalboost.store import audience_sql as sql
from signalboost.store.workspace import Workspace


@dataclass
class AudienceResult:
    """A segmentation run: the segments, their cards, and how the audience was defined."""

    platform: str
    computed_at: dt.datetime
    segmentation: Segmentation
    cards: list[Card]
    audience_from: str
    notes: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        """Plain data for JSON and the store."""
        return self.segmentation.summary() | {"audience_from": self.audience_from, "notes_run": self.notes}


def audience_ids(data: InfluenceData, brand_id: str | None) -> tuple[pl.Series, str]:
    """The audience's account ids and how they were found."""
    if brand_id is not None and data.index(brand_id) >= 0:
        mask, how = follows_brand(data, brand_id)
        return data.nodes.filter(pl.Series(mask)).cast(pl.String), how
    own = set(data.accounts.filter(pl.col("is_brand").fill_null(False))["account_id"].to_list()) | {brand_id}
    ids = data.nodes.cast(pl.String)
    return ids.filter(~ids.is_in([o for o in own if o])), "every account of the platform (no brand account known)"


def _links(data: InfluenceData) -> pl.DataFrame:
    fol = data.follows.select(pl.col("follower_id").alias("src"), pl.col("followee_id").alias("dst"))
    e = data.edges()
    inter = pl.DataFrame(
        {"src": data.nodes.gather(e["src"]).cast(pl.String), "dst": data.nodes.gather(e["dst"]).cast(pl.String)}
    )
    return pl.concat([fol.with_columns(pl.all().cast(pl.String)), inter]).with_columns(pl.lit(1.0).alias("weight"))


def _texts(inputs: dict[str, pl.DataFrame]) -> pl.DataFrame:
    bios = inputs["accounts"].select(
        pl.col("account_id").cast(pl.String), pl.col("bio").alias("text"), pl.lit(None, pl.String).alias("language")
    )
    posts = inputs["texts"].select(pl.col("account_id").cast(pl.String), "text", pl.col("language").cast(pl.String))
    return pl.concat([bios, posts]).filter(pl.col("text").is_not_null() & (pl.col("text") != ""))


def _timezone(ws: Workspace) -> str:
    return ws.strategy().brand.timezone if ws.has_strategy() else "UTC"


def run_segments(
    ws: Workspace,
    *,
    platform: str | None = None,
    brand: str | None = None,
    seed: int = 0,
    resolution: float | None = None,
    min_share: float = 0.02,
    write: bool = True,
) -> AudienceResult:
    """Segment the platform's audience, describe each segment, and (``write``) store segments and cards."""
    started = time.perf_counter()
    platform = resolve_platform(ws, platform)
    data = load_data(ws, platform)
    who = resolve_brand(ws, platform, brand)
    if write:  # each post's language, detected once and stored (migration 130), so keywords drop its stop words
        from signalboost.text.job import detect_stored_languages

        detect_stored_languages(ws, platform=platform)
    with ws.connect(purpose="read") as con:
        inputs = sql.read_audience_inputs(con, platform)
    ids, how = audience_ids(data, who.account_id)
    if ids.len() == 0:
        raise AudienceError(
            L_("no audience on {platform!r}: no account follows or interacted with the brand", platform=platform),
            where=f"platform {platform}",
            hint=L_("Import the brand's followers or its interactions (e.g. a platform export) first"),
        )
    seg = segment_audience(
        ids,
        links=_links(data),
        follows=data.follows.select("follower_id", "followee_id"),
        texts=_texts(inputs),
        seed=seed,
        resolution=resolution,
        min_share=min_share,
    )
    interactions = inputs["interactions"].with_columns(pl.col("occurred_at").cast(pl.Datetime("us", "UTC")))
    posts = inputs["posts"].with_columns(pl.col("created_at").cast(pl.Datetime("us", "UTC")))
    behaviour = describe(
        seg.table,
        interactions=interactions,
        posts=posts,
        brand_id=who.account_id,
        influence=inputs["influence"],
        timezone=_timezone(ws),
    )
    cards = build_cards(seg.table, seg.keywords, behaviour, inputs["accounts"], platform=platform)
    notes = [f"brand account: {who.account_id} ({who.how})" if who.account_id else who.how]
    if inputs["influence"].height == 0:
        notes.append("no influence scores stored: run `signalboost influencers` for the influence-segment mix")
    result = AudienceResult(platform, dt.datetime.now(dt.UTC), seg, cards, how, notes)
    if write:
        run = {
            "computed_at": result.computed_at,
            "segments": seg.segments,
            "summary": result.summary(),
            "cards": [c.to_dict() for c in cards],
            "seconds": time.perf_counter() - started,
        }
        with ws.transaction(purpose="audience") as con:
            sql.write_segments(con, platform, seg.table, run)
    return result


def stored_run(ws: Workspace, platform: str | None = None) -> dict[str, Any] | None:
    """The platform's latest stored run (summary and cards), or None."""
    platform = resolve_platform(ws, platform)
    with ws.connect(purpose="read") as con:
        return sql.latest_run(con, platform)


def cards_from(run: dict[str, Any]) -> list[Card]:
    """The stored cards as :class:`Card` objects."""
    return [Card(**c) for c in run["cards"]]


def keyword_weights(cards: list[Card]) -> dict[int, list[tuple[str, float]]]:
    """The cards' keywords with their c-TF-IDF weights (as :func:`personas.hold_against` takes them)."""
    return {c.segment: list(zip(c.keywords, c.weights, strict=True)) for c in cards}


def hold_strategy(ws: Workspace, cards: list[Card]) -> tuple[list[Verdict], list[Card]]:
    """The strategy's personas held against ``cards`` (no strategy.yaml: no personas, every large segment proposed)."""
    personas = ws.strategy().audience.personas if ws.has_strategy() else []
    return hold_against(personas, cards, keyword_weights(cards))
