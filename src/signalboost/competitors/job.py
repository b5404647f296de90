"""Wiring: read the workspace, pick the brand's and the competitors' posts, run the benchmark.

The brand's account on a network is the one named in the strategy (``brand.handles`` or the ecosystem's
``handle``), else the accounts marked as the brand's (``accounts.is_brand``); a registered competitor account is
never taken for the brand's. Each account keeps its own row: a competitor with two Instagram pages has two.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import polars as pl

from signalboost.competitors.benchmark import MIN_POSTS, Benchmark, benchmark
from signalboost.competitors.registry import check_platform, match_accounts, normalise_account
from signalboost.errors import AnalyticsError
from signalboost.i18n import L_, _

if TYPE_CHECKING:
    from signalboost.store.workspace import Workspace


@dataclass
class BenchmarkRun:
    """A benchmark of the workspace and what was left out or could not be found, in words."""

    result: Benchmark
    notes: list[str] = field(default_factory=list)
    since: dt.date | None = None
    until: dt.date | None = None


def run_benchmark(
    ws: Workspace,
    *,
    platform: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    min_posts: int = MIN_POSTS,
) -> BenchmarkRun:
    """Benchmark the brand against its registered competitors on the posts of ``[since, until]`` (UTC days,
    both included). Raises :class:`AnalyticsError` when no competitor is registered or none has posts."""
    from signalboost.analytics.analysis import brand_handles
    from signalboost.analytics.metrics import post_engagement
    from signalboost.store.analytics_sql import post_authors
    from signalboost.store.competitors_sql import read_benchmark_frames, read_competitors

    plat = check_platform(platform) if platform else None
    if since and until and until < since:
        raise AnalyticsError(
            L_("--until {until} is before --since {since}", until=until, since=since), where="--since/--until"
        )
    registry = read_competitors(ws)
    if plat:
        registry = registry.filter(pl.col("platform") == plat)
    if registry.height == 0:
        raise AnalyticsError(
            L_("no competitor is registered on {platform}", platform=plat)
            if plat
            else L_("no competitor is registered"),
            where="competitors",
            hint=L_("Add one: signalboost competitors add NAME --platform instagram --account @handle"),
        )
    post_rows, metric_rows = read_benchmark_frames(ws, platform=plat)
    accounts, snapshots = post_authors(ws, platform=plat), ws.table("account_snapshots", platform=plat)
    strategy = ws.strategy() if ws.has_strategy() else None
    authors = _authors(post_rows, accounts)
    rivals = match_accounts(registry, authors)
    brand = _brand_authors(authors, accounts, brand_handles(strategy), rivals)
    notes = _missing_notes(registry, rivals, authors)
    labels = _labels(authors, rivals, brand)
    posts = post_rows.join(labels, on=["platform", "author_id"], how="inner")
    start = dt.datetime.combine(since, dt.time(), tzinfo=dt.UTC) if since else None
    end = dt.datetime.combine(until + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC) if until else None
    if start is not None:
        posts = posts.filter(pl.col("created_at") >= start)
    if end is not None:
        posts = posts.filter(pl.col("created_at") < end)
    if posts.filter(pl.col("role") == "competitor").height == 0:
        raise AnalyticsError(
            L_("no imported post is by a registered competitor account in that period")
            if start or end
            else L_("no imported post is by a registered competitor account"),
            where="benchmark",
            hint=L_(
                "Import a competitor's posts tagged with its account, e.g. signalboost import page.csv --map "
                "platform==instagram,author_id==@acme"
            ),
        )
    for p in sorted(set(posts["platform"].to_list()) - set(brand["platform"].to_list())):
        notes.append(
            _(
                "{platform}: the brand's own account is not known, so only competitors are compared; set "
                "brand.handles.{platform} in strategy.yaml (or import your own export, which marks your account)"
            ).format(platform=p)
        )
    # labels are one row per author: joining them back is far cheaper than joining a million posts by post id
    eng = post_engagement(posts, metric_rows, snapshots).join(
        labels.select("platform", "author_id", "account", "role"), on=["platform", "author_id"], how="left"
    )
    eng = eng.with_columns(is_brand=pl.col("role") == "brand")
    snaps = _snapshots(snapshots, labels)
    tz = strategy.brand.timezone if strategy is not None else "UTC"
    result = benchmark(eng, start=start, end=end, min_posts=min_posts, snapshots=snaps, tz=tz)
    return BenchmarkRun(result, notes, since, until)


def _snapshots(snapshots: pl.DataFrame, labels: pl.DataFrame) -> pl.DataFrame | None:
    """``platform, account, observed_at, followers`` of the group's accounts (their labels), for follower growth."""
    need = {"platform", "account_id", "observed_at", "followers"}
    if snapshots.height == 0 or not need <= set(snapshots.columns):
        return None
    return snapshots.join(
        labels.select("platform", pl.col("author_id").alias("account_id"), "account"),
        on=["platform", "account_id"],
        how="inner",
    ).select("platform", "account", "observed_at", "followers")


def _authors(posts: pl.DataFrame, accounts: pl.DataFrame) -> pl.DataFrame:
    """``platform, author_id, handle`` of every post author (handle from the accounts table when known)."""
    keys = posts.filter(pl.col("author_id").is_not_null()).select("platform", "author_id").unique()
    if accounts.height == 0 or "handle" not in accounts.columns:
        return keys.with_columns(pl.lit(None, dtype=pl.String).alias("handle"))
    handles = accounts.select("platform", pl.col("account_id").alias("author_id"), pl.col("handle").cast(pl.String))
    return keys.join(handles, on=["platform", "author_id"], how="left")


def _brand_authors(
    authors: pl.DataFrame, accounts: pl.DataFrame, handles: dict[str, str], rivals: pl.DataFrame
) -> pl.DataFrame:
    """``platform, author_id`` of the brand: the strategy's handle per network, else ``is_brand`` accounts."""
    rival_keys = {(str(p), str(a)) for p, a, _ in rivals.iter_rows()}
    named: list[tuple[str, str]] = []
    wanted = {p: normalise_account(h) for p, h in handles.items() if h}
    for p, a, h in authors.iter_rows():
        if (p, a) in rival_keys or p not in wanted:
            continue
        if wanted[p] in {normalise_account(str(a)), normalise_account(str(h or ""))}:
            named.append((str(p), str(a)))
    named_platforms = {p for p, _ in named}
    if accounts.height and "is_brand" in accounts.columns:
        for p, a in accounts.filter(pl.col("is_brand")).select("platform", "account_id").iter_rows():
            if p not in named_platforms and (p, a) not in rival_keys:
                named.append((str(p), str(a)))
    return pl.DataFrame(named, schema={"platform": pl.String, "author_id": pl.String}, orient="row").unique()


def _labels(authors: pl.DataFrame, rivals: pl.DataFrame, brand: pl.DataFrame) -> pl.DataFrame:
    """``platform, author_id, account, role``: "Acme (@acme)" for a competitor, "you (@me)" for the brand."""
    handle = pl.coalesce(pl.col("handle"), pl.col("author_id")).str.strip_chars_start("@")
    comp = rivals.join(authors, on=["platform", "author_id"], how="left").select(
        "platform",
        "author_id",
        pl.format("{} (@{})", pl.col("competitor"), handle).alias("account"),
        pl.lit("competitor").alias("role"),
    )
    own = brand.join(authors, on=["platform", "author_id"], how="left").select(
        "platform", "author_id", pl.format(_("you (@{})"), handle).alias("account"), pl.lit("brand").alias("role")
    )
    return pl.concat([comp, own])


def _missing_notes(registry: pl.DataFrame, rivals: pl.DataFrame, authors: pl.DataFrame) -> list[str]:
    """A note per registered account no imported post is by (what to import)."""
    found = rivals.join(authors, on=["platform", "author_id"], how="left")
    seen: set[tuple[str, str]] = set()
    for p, a, h in found.select("platform", "author_id", "handle").iter_rows():
        seen.add((str(p), normalise_account(str(a))))
        if h:
            seen.add((str(p), normalise_account(str(h))))
    notes = []
    for name, p, account in registry.select("name", "platform", "account").iter_rows():
        if (p, account) not in seen:
            notes.append(
                _(
                    "{name}: no imported post is by @{account} on {platform}; import its page, e.g. "
                    "signalboost import page.csv --map platform=={platform},author_id==@{account}"
                ).format(name=name, account=account, platform=p)
            )
    return notes
