"""Terminal views of the calendar (Rich): a week-by-week table with pillar colours, and the pillar mix per
network, planned against the strategy's target."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from rich.console import Group, RenderableType
from rich.markup import escape
from rich.table import Table

from signalboost.plan.export import pillar_colours
from signalboost.plan.posts import PlannedPost


def pillar_mix(posts: Sequence[PlannedPost]) -> dict[str, dict[str, float]]:
    """Network -> pillar -> share of the network's pillar posts (a post with k pillars counts 1/k to each)."""
    counts: dict[str, dict[str, float]] = {}
    for p in posts:
        if not p.pillars:
            continue
        net = counts.setdefault(p.network, {})
        for pillar in p.pillars:
            net[pillar] = net.get(pillar, 0.0) + 1.0 / len(p.pillars)
    return {net: {k: v / sum(c.values()) for k, v in c.items()} for net, c in counts.items()}


def _pillar_cell(post: PlannedPost, colours: Mapping[str, str]) -> str:
    if not post.pillars:
        return "[grey50]curated[/]" if post.kind == "curated" else "—"
    return " + ".join(f"[{colours.get(p, 'white')}]{escape(p)}[/]" for p in post.pillars)


def week_tables(posts: Sequence[PlannedPost], pillars: Sequence[str]) -> RenderableType:
    """One table per ISO week: day, local time, network, kind, pillars (coloured), tactic, format, status, id."""
    colours = pillar_colours(pillars)
    weeks: dict[tuple[int, int], list[PlannedPost]] = {}
    for p in posts:
        iso = p.local.isocalendar()
        weeks.setdefault((iso.year, iso.week), []).append(p)
    tables: list[RenderableType] = []
    for (year, week), items in sorted(weeks.items()):
        monday = dt.date.fromisocalendar(year, week, 1)
        zones = sorted({p.local.tzname() or "" for p in items})
        zone = f"{items[0].timezone} ({'/'.join(zones)})"  # both abbreviations in a week the clocks change
        t = Table(
            title=f"Week {week} of {year} (from {monday:%a %d %b}, times {zone})", title_justify="left", expand=False
        )
        for col in ("day", "time", "network", "kind", "pillars", "tactic", "format", "status", "id"):
            t.add_column(col, no_wrap=col in ("day", "time", "id", "status"))
        for p in items:
            local = p.local
            t.add_row(
                local.strftime("%a %d"),
                local.strftime("%H:%M"),
                escape(p.network),
                p.kind,
                _pillar_cell(p, colours),
                escape(p.tactic or ""),
                escape(p.format),
                p.status + (" (moved)" if p.moved else ""),
                p.id,
            )
        tables.append(t)
    return Group(*tables)


def mix_table(posts: Sequence[PlannedPost], weights: Mapping[str, float]) -> Table:
    """Planned vs target pillar mix per network (percent of pillar posts; n = pillar posts)."""
    colours = pillar_colours(list(weights))
    mix = pillar_mix(posts)
    t = Table(title="Pillar mix: planned % (target %)", title_justify="left")
    t.add_column("network")
    t.add_column("n", justify="right")
    for p in weights:
        t.add_column(f"[{colours[p]}]{escape(p)}[/]", justify="right")
    overall = pillar_mix([q.with_(network="all") for q in posts]).get("all", {})
    rows = [*sorted(mix.items()), ("all", overall)]
    for net, shares in rows:
        n = sum(len(q.pillars) > 0 for q in posts if net == "all" or q.network == net)
        cells = [f"{shares.get(p, 0.0) * 100:.0f} ({w * 100:.0f})" for p, w in weights.items()]
        t.add_row(escape(net), str(n), *cells)
    return t
