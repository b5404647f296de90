"""The shapes of the JSON twins, for the OpenAPI schema (documentation; the pages build plain dicts).

Every twin is an object; a subsystem that has not landed answers ``{"available": false, "message": …}``, so the
section fields are optional. Extra keys are allowed: the library may add figures without breaking clients.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Twin(BaseModel):
    """Common to every page: availability of the library behind it."""

    model_config = ConfigDict(extra="allow")
    available: bool | None = Field(None, description="false when the subsystem is not installed or failed")
    message: str | None = Field(None, description="why it is not available, or what to do first")
    stale: bool | None = Field(None, description="figures from before the latest change, being recomputed")


class Row(BaseModel):
    model_config = ConfigDict(extra="allow")


class OverviewJSON(Twin):
    counts: dict[str, int] = Field(default_factory=dict, description="rows per canonical table")
    platforms: list[Row] = Field(default_factory=list, description="posts, accounts and time span per platform")
    brand: str | None = None
    kpis: list[Row] = Field(default_factory=list, description="value vs target, window, trend, sample size n")
    alerts: list[Row] = Field(default_factory=list, description="kind, text, href")
    todo: list[Row] = Field(default_factory=list, description="this week's planned posts and approaches")


class StrategyJSON(Twin):
    issues: list[Row] = Field(default_factory=list, description="level, where (file:line:col [path]), message")
    factors: list[Row] = Field(default_factory=list, description="the seven factors")
    checklist: list[Row] = Field(default_factory=list, description="factor, check, done, detail")
    matrix: dict[str, Any] | None = Field(None, description="networks, rows of pillar cells, tactics, gaps")
    pillars: list[Row] = Field(default_factory=list)
    sections: dict[str, str] = Field(default_factory=dict, description="YAML text of each top-level section")
    version: str | None = Field(None, description="strategy.yaml's fingerprint: send it with an edit (else 409)")


class CalendarJSON(Twin):
    view: str | None = None
    start: str | None = None
    end: str | None = None
    posts: list[Row] = Field(default_factory=list, description="planned posts (id, network, local time, pillars…)")
    weeks: list[list[Row]] = Field(default_factory=list)
    legend: list[Row] = Field(default_factory=list)


class AnalyticsJSON(Twin):
    timezone: str | None = None
    summary: list[Row] = Field(default_factory=list, description="metric, definition, value, interval, n_used")
    slots: list[Row] = Field(default_factory=list, description="weekday × hour: expected, interval, n_posts")
    recommended_slots: list[Row] = Field(default_factory=list)
    frequency_curve: list[Row] = Field(default_factory=list, description="per posts-per-day: per post, n_days")
    pillar_mix: list[Row] = Field(default_factory=list, description="share vs target, drift, n_posts")
    formats: list[Row] = Field(default_factory=list)
    paid: list[Row] = Field(default_factory=list)
    kpis: list[Row] = Field(default_factory=list)
    tactics: list[Row] = Field(default_factory=list)


class InfluencersJSON(Twin):
    platform: str | None = None
    rows: list[Row] = Field(default_factory=list, description="score, the five components, engagement, segment")
    segments: dict[str, int] = Field(default_factory=dict)
    points: list[Row] = Field(default_factory=list, description="the influence × engagement chart's accounts")
    total: int | None = None


class ProfileJSON(Twin):
    account: Row | None = None
    posts: list[Row] = Field(default_factory=list)
    profile: Row | None = Field(None, description="score, formats, hashtags, weekday_hour, engagement, advice")


class OutreachJSON(Twin):
    board: list[Row] = Field(default_factory=list, description="stage and its cards (with the allowed moves)")
    ledger: Row | None = Field(None, description="give/ask balance per influencer")
    alerts: list[Row] = Field(default_factory=list, description="follow-ups due, no touch, engagement drops")


class PartnersJSON(Twin):
    partners: list[Row] = Field(default_factory=list, description="audience, shared, jaccard, unique reach")
    bridges: list[Row] = Field(default_factory=list)


class CompetitorsJSON(Twin):
    empty: bool | None = Field(None, description="true when no competitor (or no competitor post) is there yet")
    platforms: list[str] = Field(default_factory=list)
    accounts: list[Row] = Field(
        default_factory=list, description="per page: cadence and trend, engagement per post/follower, share of voice"
    )
    rankings: list[Row] = Field(default_factory=list, description="rank per figure; thin pages unranked, labelled")
    findings: list[Row] = Field(default_factory=list, description="plain-language findings, each with n and interval")
    formats: list[Row] = Field(default_factory=list)
    hours: list[Row] = Field(default_factory=list)
    best_times: list[Row] = Field(default_factory=list)
    hashtags: list[Row] = Field(default_factory=list)
    topics: list[Row] = Field(default_factory=list)
    top_posts: list[Row] = Field(default_factory=list)
    timeline: list[Row] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)


class ImportsJSON(Twin):
    imports: list[Row] = Field(default_factory=list, description="read, loaded, duplicate, rejected per import")
    jobs: list[Row] = Field(default_factory=list, description="uploads since the server started")
    formats: list[Row] = Field(default_factory=list)
    upload: Row | None = None


class ConnectionsJSON(Twin):
    connections: list[Row] = Field(
        default_factory=list,
        description="each connected account (never its credential): handle, last sync, streams, counts stored",
    )
    scheduler: str | None = Field(None, description="who runs `signalboost run` on this workspace, or null")
    sync_running: str | None = Field(None, description="who is syncing this workspace now, or null")
    platforms: list[str] = Field(default_factory=list)
    jobs: list[Row] = Field(default_factory=list, description="syncs started from the dashboard since it started")


class ImportJSON(BaseModel):
    model_config = ConfigDict(extra="allow")
    import_: Row = Field(alias="import")
    rejects: list[Row] = Field(default_factory=list, description="line, reason, raw row")


class JobJSON(BaseModel):
    model_config = ConfigDict(extra="allow")
    job_id: str
    filename: str
    size_bytes: int
    phase: str = Field(description="queued, importing, done or failed")
    elapsed_s: float
    results: list[Row] = Field(default_factory=list)
    error: str | None = None


class ErrorJSON(BaseModel):
    error: str = Field(description="Error: what went wrong, where, and what to do")


PAGE_MODELS: dict[str, type[BaseModel]] = {
    "overview": OverviewJSON,
    "strategy": StrategyJSON,
    "calendar": CalendarJSON,
    "analytics": AnalyticsJSON,
    "influencers": InfluencersJSON,
    "outreach": OutreachJSON,
    "partners": PartnersJSON,
    "competitors": CompetitorsJSON,
    "imports": ImportsJSON,
    "connections": ConnectionsJSON,
}
