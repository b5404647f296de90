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


#: short names of the networks in a narrow week table (the legend under the table spells them out)
SHORT_NETWORK: dict[str, str] = {
    "facebook": "fb",
    "instagram": "ig",
    "youtube": "yt",
    "tiktok": "tt",
    "linkedin": "li",
    "mastodon": "ma",
    "bluesky": "bs",
    "threads": "th",
    "pinterest": "pi",
    "x": "x",
}
#: below this many columns the week table folds (one column for day and time, status above the id, networks
#: abbreviated with a legend), so nothing is cut at 80 columns
NARROW = 120


def week_tables(posts: Sequence[PlannedPost], pillars: Sequence[str], *, width: int | None = None) -> RenderableType:
    """One table per ISO week: day, local time, network, kind, pillars (coloured), tactic, format, status, id.

    With ``width`` below :data:`NARROW` (a terminal of 80 columns) the table folds instead of cutting cells:
    day and time in one column, the network abbreviated (a legend follows the tables), the kind left to the
    tactic and pillar columns (a tactic's posts name it, curated posts say so), the status above the id."""
    colours = pillar_colours(pillars)
    narrow = width is not None and width < NARROW
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
        if narrow:
            tables.append(_narrow_week(t, items, colours))
            continue
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
    if narrow and posts:
        used = sorted({p.network for p in posts})
        tables.append(
            "Networks: " + ", ".join(f"{escape(_short(n))} = {escape(n)}" for n in used if _short(n) != n)
            if any(_short(n) != n for n in used)
            else ""
        )
    return Group(*tables)


def _short(network: str) -> str:
    return SHORT_NETWORK.get(network, network if len(network) <= 3 else network[:3])


def _narrow_week(t: Table, items: Sequence[PlannedPost], colours: Mapping[str, str]) -> Table:
    """The folded week table of :func:`week_tables` (80 columns)."""
    t.add_column("when", no_wrap=True)
    t.add_column("net", no_wrap=True)
    for col in ("pillars", "tactic", "format"):
        t.add_column(col, overflow="fold")  # a long slug breaks across lines rather than losing its end
    t.add_column("status / id", no_wrap=True)
    for p in items:
        t.add_row(
            p.local.strftime("%a %d %H:%M"),
            escape(_short(p.network)),
            _pillar_cell(p, colours),
            escape(p.tactic or ""),
            escape(p.format),
            f"{p.status}{' (moved)' if p.moved else ''}\n{p.id}",
        )
    return t


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
