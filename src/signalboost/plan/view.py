"""Terminal views of the calendar (Rich): a week-by-week table with pillar colours, and the pillar mix per
network, planned against the strategy's target."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from rich.console import Group, RenderableType
from rich.markup import escape
from rich.table import Table

from signalboost.i18n import N_, _, babel_locale, format_date, format_number
from signalboost.plan.export import FORMAT_WORDS, pillar_colours, tactic_word
from signalboost.plan.posts import PlannedPost
from signalboost.report.words import PillarNames, pillar_word

#: a post's status and kind in words (the stored values are identifiers; JSON and CSV keep them)
STATUS_WORDS: dict[str, str] = {
    "planned": N_("planned"),
    "drafted": N_("drafted"),
    "approved": N_("approved"),
    "scheduled": N_("scheduled"),
    "published": N_("published"),
    "failed": N_("failed"),
}
KIND_WORDS: dict[str, str] = {"own": N_("own"), "tactic": N_("tactic"), "curated": N_("curated")}


def status_words(post: PlannedPost) -> str:
    """``planned``, ``approved (moved)`` … in the active language."""
    status = _(STATUS_WORDS[post.status]) if post.status in STATUS_WORDS else post.status
    return _("{status} (moved)").format(status=status) if post.moved else status


def format_words(value: str) -> str:
    """A post format (``photo``) in the active language; other formats as written."""
    return _(value) if value in FORMAT_WORDS else value


def day_and_date(value: dt.date | dt.datetime, skeleton: str = "MMMEd") -> str:
    """A date in CLDR's own form for the skeleton: ``Mon, Mar 2`` / ``man. 2. mars`` (``MMMEd``)."""
    from babel.dates import format_skeleton

    return str(format_skeleton(skeleton, value, locale=babel_locale()))


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


def _pillar_cell(post: PlannedPost, colours: Mapping[str, str], names: PillarNames | None = None) -> str:
    """A post's pillars in their colours, by the strategy's names (``names``; ids without one as they are)."""
    if not post.pillars:
        return f"[grey50]{escape(_('curated'))}[/]" if post.kind == "curated" else "—"
    return " + ".join(f"[{colours.get(p, 'white')}]{escape(pillar_word(p, names))}[/]" for p in post.pillars)


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


def week_tables(
    posts: Sequence[PlannedPost],
    pillars: Sequence[str],
    *,
    width: int | None = None,
    names: PillarNames | None = None,
    tactics: Mapping[str, str] | None = None,
) -> RenderableType:
    """One table per ISO week: day, local time, network, kind, pillars (coloured), tactic, format, status, id.

    With ``width`` below :data:`NARROW` (a terminal of 80 columns) the table folds instead of cutting cells:
    day and time in one column, the network abbreviated (a legend follows the tables), the kind left to the
    tactic and pillar columns (a tactic's posts name it, curated posts say so), the status above the id. Pillars are
    shown by the strategy's names (``names``, :func:`signalboost.report.words.pillar_names`), tactics by theirs
    (``tactics``, :func:`signalboost.report.words.tactic_names`; an id the strategy no longer has as it is)."""
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
        title = _("Week {week} of {year} (from {monday}, times {zone})").format(
            week=week, year=year, monday=day_and_date(monday), zone=zone
        )
        t = Table(title=escape(title), title_justify="left", expand=False)
        if narrow:
            tables.append(_narrow_week(t, items, colours, names, tactics))
            continue
        headers = (_("day"), _("time"), _("network"), _("kind"), _("pillars"), _("tactic"), _("format"))
        for col in (*headers, _("status"), "id"):
            t.add_column(col, no_wrap=col in (_("day"), _("time"), "id", _("status")))
        for p in items:
            local = p.local
            t.add_row(
                format_date(local, "EEE dd"),
                local.strftime("%H:%M"),
                escape(p.network),
                escape(_(KIND_WORDS[p.kind]) if p.kind in KIND_WORDS else p.kind),
                _pillar_cell(p, colours, names),
                escape(tactic_word(p.tactic, tactics)),
                escape(format_words(p.format)),
                escape(status_words(p)),
                p.id,
            )
        tables.append(t)
    if narrow and posts:
        used = sorted({p.network for p in posts})
        tables.append(
            _("Networks: {legend}").format(
                legend=", ".join(f"{escape(_short(n))} = {escape(n)}" for n in used if _short(n) != n)
            )
            if any(_short(n) != n for n in used)
            else ""
        )
    return Group(*tables)


def _short(network: str) -> str:
    return SHORT_NETWORK.get(network, network if len(network) <= 3 else network[:3])


def _narrow_week(
    t: Table,
    items: Sequence[PlannedPost],
    colours: Mapping[str, str],
    names: PillarNames | None = None,
    tactics: Mapping[str, str] | None = None,
) -> Table:
    """The folded week table of :func:`week_tables` (80 columns)."""
    t.add_column(_("when"), no_wrap=True)
    # TRANSLATORS: the short header of the network column in an 80-column table (fb, ig, …)
    t.add_column(_("net"), no_wrap=True)
    for col in (_("pillars"), _("tactic"), _("format")):
        t.add_column(col, overflow="fold")  # a long slug breaks across lines rather than losing its end
    t.add_column(_("status / id"), no_wrap=True)
    for p in items:
        t.add_row(
            f"{format_date(p.local, 'EEE dd')} {p.local:%H:%M}",
            escape(_short(p.network)),
            _pillar_cell(p, colours, names),
            escape(tactic_word(p.tactic, tactics)),
            escape(format_words(p.format)),
            f"{escape(status_words(p))}\n{p.id}",
        )
    return t


def mix_table(posts: Sequence[PlannedPost], weights: Mapping[str, float], names: PillarNames | None = None) -> Table:
    """Planned vs target pillar mix per network (percent of pillar posts; n = pillar posts), one column per pillar
    headed by the strategy's name for it (``names``, :func:`signalboost.report.words.pillar_names`)."""
    colours = pillar_colours(list(weights))
    mix = pillar_mix(posts)
    t = Table(title=escape(_("Pillar mix: planned % (target %)")), title_justify="left")
    t.add_column(_("network"))
    t.add_column("n", justify="right")
    for p in weights:
        t.add_column(f"[{colours[p]}]{escape(pillar_word(p, names))}[/]", justify="right")
    overall = pillar_mix([q.with_(network="all") for q in posts]).get("all", {})
    rows = [*sorted(mix.items()), ("all", overall)]
    for net, shares in rows:
        n = sum(len(q.pillars) > 0 for q in posts if net == "all" or q.network == net)
        cells = [
            f"{format_number(round(shares.get(p, 0.0) * 100))} ({format_number(round(w * 100))})"
            for p, w in weights.items()
        ]
        t.add_row(escape(_("all") if net == "all" else net), format_number(n), *cells)
    return t
