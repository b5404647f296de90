"""Calendar exports: iCalendar (RFC 5545), a generic CSV, Hootsuite's bulk-upload CSV, Markdown and an HTML
month grid. Text in the calendar is untrusted (drafts may hold anything): HTML is escaped, CSV cells are
neutralised against formula injection (OWASP "CSV Injection"), iCalendar text is escaped per RFC 5545 §3.3.11.
"""

from __future__ import annotations

import calendar as cal
import datetime as dt
import html
from collections.abc import Mapping, Sequence
from zoneinfo import ZoneInfo

from signalboost.i18n import N_, _, language, month_name, weekday_name
from signalboost.plan.posts import PlannedPost
from signalboost.textsafe import csv_text, md_escape

PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
"""Okabe–Ito colour-blind-safe palette (Okabe & Ito, "Color Universal Design", 2008), one colour per pillar."""


def pillar_colours(pillars: Sequence[str]) -> dict[str, str]:
    """Pillar id -> colour, in the given (strategy) order; curated posts use grey."""
    return {p: PALETTE[i % len(PALETTE)] for i, p in enumerate(pillars)}


# ------------------------------------------------------------------------------------------- iCalendar


def ics_escape(text: str) -> str:
    """Escape a TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma, newline."""
    return (
        text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n")
    )


def _stamp(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _when(prop: str, instant: dt.datetime, zone: str | None) -> str:
    if zone is None:
        return f"{prop}:{_stamp(instant)}"
    return f"{prop};TZID={zone}:{instant.astimezone(ZoneInfo(zone)).strftime('%Y%m%dT%H%M%S')}"


#: why a post is left out of a Hootsuite file (``"<id>: <reason>"``; the CLI shows the reason translated)
SKIP_SOON = N_("not at least 10 minutes in the future")
SKIP_EMPTY = N_("empty draft")
SKIP_REPEATED = N_("same message as an earlier row (Hootsuite rejects duplicates)")
SKIP_TOO_MANY = N_("past the 350-row limit")

#: post formats shown as words in the exports' labels (the catalog has them; other formats are shown as written)
FORMAT_WORDS = frozenset(("text", "photo", "video", "link", "carousel", "story", "reel", "short", "live"))


def _month_title(month: int) -> str:
    """The month's CLDR name, capitalised as a heading (``December``, ``Desember``)."""
    name = month_name(month)
    return name[:1].upper() + name[1:]


def tactic_word(tactic: str | None, tactics: Mapping[str, str] | None) -> str:
    """A planned post's tactic by the strategy's name for it (its id when the strategy has none); ``""`` for none.

    ``tactics`` is :func:`signalboost.report.words.tactic_names` (id → name)."""
    return (tactics or {}).get(tactic, tactic) if tactic else ""


def pillar_words(pillars: Sequence[str], names: Mapping[str, str] | None) -> list[str]:
    """A planned post's pillars by the strategy's names for them (``names``: id → name,
    :func:`signalboost.report.words.pillar_names`); an id the strategy does not name as it is."""
    return [(names or {}).get(p) or p for p in pillars]


def summary(post: PlannedPost, tactics: Mapping[str, str] | None = None, names: Mapping[str, str] | None = None) -> str:
    """One-line title of a post: network, kind/tactic (by the strategy's name, ``tactics``), pillars (by the
    strategy's name, ``names``) and format."""
    what = (
        _("tactic {tactic}").format(tactic=tactic_word(post.tactic, tactics))
        if post.tactic
        else (_("curated") if post.kind == "curated" else "+".join(pillar_words(post.pillars, names)))
    )
    return f"[{post.network}] {what} · {_(post.format) if post.format in FORMAT_WORDS else post.format}"


def _offset_text(delta: dt.timedelta | None) -> str:
    minutes = int((delta or dt.timedelta(0)).total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"


def vtimezone(zone: str, first_year: int, last_year: int) -> list[str]:
    """A VTIMEZONE (RFC 5545 §3.6.5) for ``zone`` listing each UTC-offset change from ``first_year`` to
    ``last_year`` as its own STANDARD/DAYLIGHT sub-component (found by scanning days, then hours, in zoneinfo)."""
    tz = ZoneInfo(zone)
    lines = ["BEGIN:VTIMEZONE", f"TZID:{zone}"]
    start = dt.datetime(first_year, 1, 1, tzinfo=dt.UTC)
    end = dt.datetime(last_year + 1, 1, 1, tzinfo=dt.UTC)
    changes: list[dt.datetime] = []
    day = start
    while day < end:
        nxt = day + dt.timedelta(days=1)
        if day.astimezone(tz).utcoffset() != nxt.astimezone(tz).utcoffset():
            hour = day
            while hour.astimezone(tz).utcoffset() == day.astimezone(tz).utcoffset():
                hour += dt.timedelta(hours=1)
            while (hour - dt.timedelta(minutes=15)).astimezone(tz).utcoffset() != day.astimezone(tz).utcoffset():
                hour -= dt.timedelta(minutes=15)
            changes.append(hour)
        day = nxt
    if not changes:
        local = start.astimezone(tz)
        off = _offset_text(local.utcoffset())
        name = ics_escape(local.tzname() or zone)
        lines += ["BEGIN:STANDARD", "DTSTART:19700101T000000", f"TZOFFSETFROM:{off}", f"TZOFFSETTO:{off}"]
        lines += [f"TZNAME:{name}", "END:STANDARD"]
    for instant in changes:
        before = (instant - dt.timedelta(seconds=1)).astimezone(tz)
        after = instant.astimezone(tz)
        kind = "DAYLIGHT" if after.dst() else "STANDARD"
        wall = (instant + (before.utcoffset() or dt.timedelta(0))).strftime("%Y%m%dT%H%M%S")
        lines += [
            f"BEGIN:{kind}",
            f"DTSTART:{wall}",
            f"TZOFFSETFROM:{_offset_text(before.utcoffset())}",
            f"TZOFFSETTO:{_offset_text(after.utcoffset())}",
            f"TZNAME:{ics_escape(after.tzname() or zone)}",
            f"END:{kind}",
        ]
    lines.append("END:VTIMEZONE")
    return lines


def to_ics(
    posts: Sequence[PlannedPost],
    *,
    name: str = "Signalboost calendar",
    stamp: dt.datetime | None = None,
    duration_minutes: int = 30,
    tzid: bool = False,
    cancelled: Sequence[PlannedPost] = (),
    tactics: Mapping[str, str] | None = None,
    names: Mapping[str, str] | None = None,
) -> str:
    """The posts as an iCalendar document (one VEVENT each), written by the ``icalendar`` library (escaping,
    line folding and VTIMEZONE by a well-kept implementation of RFC 5545 rather than by hand).

    UID is ``<plan id>@signalboost`` (stable across re-plans) and SEQUENCE the post's sequence, so importing
    the file again updates the events. DTSTAMP is ``stamp`` (default now). Times are UTC, or with ``tzid``
    local times with ``TZID`` and a VTIMEZONE per zone (for clients that keep the event in the brand's zone).
    ``cancelled``: posts a re-plan removed, written with ``STATUS:CANCELLED`` and their (bumped) SEQUENCE so a
    calendar that imported them drops them (RFC 5545 §3.8.1.11). ``tactics``: the strategy's tactic names by id
    (:func:`signalboost.report.words.tactic_names`): a tactic's post is titled by its name (an unknown id as it is).
    ``names``: the strategy's pillar names by id (:func:`signalboost.report.words.pillar_names`): the summary and
    CATEGORIES name a pillar as the strategy does (an id it does not name as it is).
    """
    import icalendar

    stamp = stamp or dt.datetime.now(dt.UTC)
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Signalboost//Publishing calendar//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    everything = [*posts, *cancelled]
    zones = sorted({p.timezone for p in everything})
    if len(zones) == 1:
        cal.add("x-wr-timezone", zones[0])  # display hint for Google Calendar
    for index, post in enumerate(everything):
        gone = index >= len(posts)
        desc = post.draft
        if post.kpis:
            desc += f"\n\nKPIs: {', '.join(post.kpis)}"
        desc += f"\nStatus: {post.status} · id {post.id}"
        start = post.scheduled_at.astimezone(ZoneInfo(post.timezone) if tzid else dt.UTC)
        event = icalendar.Event()
        event.add("uid", f"{post.id}@signalboost")
        event.add("dtstamp", stamp.astimezone(dt.UTC))
        event.add("dtstart", start)
        event.add("dtend", start + dt.timedelta(minutes=duration_minutes))
        event.add("sequence", post.sequence)
        event.add("summary", (_("Cancelled: ") if gone else "") + summary(post, tactics, names))
        event.add("description", desc)
        event.add("status", _ics_status(post, gone))
        event.add("categories", [post.network, post.kind, *pillar_words(post.pillars, names)])
        cal.add_component(event)
    if tzid and everything:  # each offset change listed explicitly (clients differ in RRULE support)
        years = [p.local.year for p in everything]
        for zone in reversed(zones):
            block = "\r\n".join(vtimezone(zone, min(years) - 1, max(years) + 1)) + "\r\n"
            cal.subcomponents.insert(0, icalendar.Timezone.from_ical(block))
    return str(cal.to_ical().decode("utf-8"))


def _ics_status(post: PlannedPost, cancelled: bool) -> str:
    if cancelled:
        return "CANCELLED"
    return "CONFIRMED" if post.status in ("approved", "scheduled", "published") else "TENTATIVE"


# ------------------------------------------------------------------------------------------------- CSV

CSV_COLUMNS: tuple[str, ...] = (
    "id",
    "date",
    "time",
    "timezone",
    "scheduled_at_utc",
    "network",
    "kind",
    "pillars",
    "tactic",
    "format",
    "kpis",
    "status",
    "draft",
)


def to_csv(posts: Sequence[PlannedPost]) -> str:
    """A generic CSV of the calendar (one row per post; lists joined with ``;``; formula-safe cells)."""
    rows = []
    for p in posts:
        d = p.as_dict()
        row = [
            p.id,
            d["date"],
            d["time"],
            p.timezone,
            d["scheduled_at"],
            p.network,
            p.kind,
            ";".join(p.pillars),
            p.tactic or "",
            p.format,
            ";".join(p.kpis),
            p.status,
            p.draft,
        ]
        rows.append(row)
    return csv_text(rows, header=CSV_COLUMNS)


HOOTSUITE_MAX_ROWS = 350
HOOTSUITE_LEAD = dt.timedelta(minutes=10)


def to_hootsuite_csv(
    posts: Sequence[PlannedPost], *, now: dt.datetime | None = None, day_first: bool = True
) -> tuple[str, list[str]]:
    """Hootsuite's bulk-composer CSV (rules in docs/calendar.md) and the list of posts left out, with why.

    Columns (no header): date-time ``DD/MM/YYYY HH:MM`` (or ``MM/DD/YYYY`` with ``day_first=False``) in the
    local time of the posts, message, link (empty). Times are rounded to the nearest 5-minute mark; posts less
    than 10 minutes in the future, repeated messages and rows past 350 are left out.
    """
    now = now or dt.datetime.now(dt.UTC)
    rows: list[list[str]] = []
    skipped: list[str] = []
    seen: set[str] = set()
    written = 0
    for p in sorted(posts, key=lambda x: x.scheduled_at):
        at = round_to_5(p.scheduled_at)
        text = p.draft.strip()
        if at < now + HOOTSUITE_LEAD:
            skipped.append(f"{p.id}: {SKIP_SOON}")
        elif not text:
            skipped.append(f"{p.id}: {SKIP_EMPTY}")
        elif text in seen:
            skipped.append(f"{p.id}: {SKIP_REPEATED}")
        elif written >= HOOTSUITE_MAX_ROWS:
            skipped.append(f"{p.id}: {SKIP_TOO_MANY}")
        else:
            seen.add(text)
            local = at.astimezone(p.local.tzinfo)
            stamp = local.strftime("%d/%m/%Y %H:%M" if day_first else "%m/%d/%Y %H:%M")
            rows.append([stamp, text, ""])
            written += 1
    return csv_text(rows), skipped


def round_to_5(value: dt.datetime) -> dt.datetime:
    """``value`` rounded to the nearest 5-minute mark (half up), seconds dropped."""
    base = value.replace(second=0, microsecond=0)
    minutes = base.minute + (value.second + value.microsecond / 1e6) / 60
    up = int((minutes + 2.5) // 5 * 5)
    return base.replace(minute=0) + dt.timedelta(minutes=up)


# --------------------------------------------------------------------------------------- month grids


def _span(posts: Sequence[PlannedPost], period: tuple[dt.date, dt.date] | None) -> tuple[dt.date, dt.date]:
    """The local days a month grid covers, ``(first, end)`` with ``end`` excluded: ``period``, else first to
    last post."""
    if period is not None:
        return period
    days = [p.local.date() for p in posts]
    return min(days), max(days) + dt.timedelta(days=1)


def _months(first: dt.date, end: dt.date) -> list[tuple[int, int]]:
    """Months from ``first`` to the day before ``end``."""
    last = end - dt.timedelta(days=1)
    out = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        out.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def _weeks(year: int, month: int, first: dt.date, end: dt.date) -> list[list[dt.date]]:
    """The Monday-first weeks of a month grid that hold a day of ``[first, end)``: no empty weeks before the
    first or after the last day of the calendar."""
    return [w for w in cal.Calendar(0).monthdatescalendar(year, month) if w[-1] >= first and w[0] < end]


def _by_day(posts: Sequence[PlannedPost]) -> dict[dt.date, list[PlannedPost]]:
    out: dict[dt.date, list[PlannedPost]] = {}
    for p in sorted(posts, key=lambda x: x.scheduled_at):
        out.setdefault(p.local.date(), []).append(p)
    return out


def _label(p: PlannedPost, tactics: Mapping[str, str] | None = None, names: Mapping[str, str] | None = None) -> str:
    what = tactic_word(p.tactic, tactics) or (
        "curated" if p.kind == "curated" else "+".join(pillar_words(p.pillars, names))
    )
    return f"{p.local.strftime('%H:%M')} {p.network} {what}"


def to_markdown(
    posts: Sequence[PlannedPost],
    *,
    title: str | None = None,
    period: tuple[dt.date, dt.date] | None = None,
    tactics: Mapping[str, str] | None = None,
    names: Mapping[str, str] | None = None,
) -> str:
    """A Markdown month grid per month (Monday first); pipes and markup in labels are escaped; a tactic's post
    is labelled by the strategy's name for it (``tactics``, as in :func:`to_ics`), a pillar by its name (``names``).

    Only the weeks holding a day of ``period`` (local dates, end excluded; default: first to last post) are
    printed, so a month is not padded with empty weeks before or after the calendar.
    """
    days = _by_day(posts)
    out = [f"# {md_escape(title or _('Publishing calendar'))}", ""]
    if not posts and period is None:
        return "\n".join([*out, _("No planned posts."), ""])
    first, end = _span(posts, period)
    for year, month in _months(first, end):
        out += [
            f"## {_month_title(month)} {year}",
            "",
            "| " + " | ".join(weekday_name(i, "abbreviated") for i in range(7)) + " |",
            "|---|---|---|---|---|---|---|",
        ]
        for week in _weeks(year, month, first, end):
            cells = []
            for day in week:
                if day.month != month:
                    cells.append(" ")
                    continue
                items = [md_escape(_label(p, tactics, names)) for p in days.get(day, [])]
                cells.append("<br>".join([f"**{day.day}**", *items]))
            out.append("| " + " | ".join(cells) + " |")
        out.append("")
    return "\n".join(out)


_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:1.5rem;color:#222}
h1{font-size:1.4rem}h2{font-size:1.15rem;margin-top:2rem}
table.month{border-collapse:collapse;width:100%;table-layout:fixed}
.month th{background:#f2f2f2;padding:.3rem;font-weight:600;border:1px solid #ddd}
.month td{vertical-align:top;border:1px solid #ddd;height:6rem;padding:.25rem;font-size:.8rem}
.month td.out{background:#fafafa}
.day{font-weight:600;color:#555}
.post{border-left:4px solid #999;padding:1px 4px;margin:2px 0;background:#f8f8f8;border-radius:2px;
  overflow-wrap:anywhere}
.legend span{display:inline-block;margin-right:1rem}
.sw{display:inline-block;width:.8rem;height:.8rem;margin-right:.3rem;vertical-align:middle}
"""


def to_html_month(
    posts: Sequence[PlannedPost],
    *,
    pillars: Sequence[str] = (),
    title: str | None = None,
    period: tuple[dt.date, dt.date] | None = None,
    tactics: Mapping[str, str] | None = None,
    names: Mapping[str, str] | None = None,
) -> str:
    """A self-contained HTML page (inline CSS, no scripts, no network) with one month grid per month.

    Each post is coloured by its first pillar (``pillars`` gives the order of the colours); every text is
    escaped. The full draft is in the post's ``title`` tooltip. As in :func:`to_markdown`, only the weeks
    holding a day of ``period`` (default: first to last post) are drawn. A tactic's post is labelled by the
    strategy's name for it (``tactics``, as in :func:`to_ics`); pillars in labels and legend by their names
    (``names``).
    """
    order = list(pillars) or sorted({p for post in posts for p in post.pillars})
    colours = pillar_colours(order)
    days = _by_day(posts)
    e = html.escape
    title = title or _("Publishing calendar")
    parts = [
        "<!doctype html>",
        f'<html lang="{language()}"><head><meta charset="utf-8">',
        f"<title>{e(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{e(title)}</h1>",
        '<p class="legend">'
        + "".join(
            f'<span><i class="sw" style="background:{colours[p]}"></i>{e(w)}</span>'
            for p, w in zip(order, pillar_words(order, names), strict=True)
        )
        + f'<span><i class="sw" style="background:#999"></i>{e(_("curated"))}</span></p>',
    ]
    first, end = _span(posts, period) if posts or period is not None else (dt.date.max, dt.date.max)
    for year, month in _months(first, end) if first < end else []:
        parts.append(f"<h2>{e(_month_title(month))} {year}</h2>")
        parts.append('<table class="month"><thead><tr>')
        parts += [f"<th>{e(weekday_name(i, 'abbreviated'))}</th>" for i in range(7)]
        parts.append("</tr></thead><tbody>")
        for week in _weeks(year, month, first, end):
            parts.append("<tr>")
            for day in week:
                if day.month != month:
                    parts.append('<td class="out"></td>')
                    continue
                cell = [f'<div class="day">{day.day}</div>']
                for p in days.get(day, []):
                    colour = colours.get(p.pillars[0], "#999") if p.pillars else "#999"
                    cell.append(
                        f'<div class="post" style="border-left-color:{colour}" title="{e(p.draft)}">'
                        f"{e(_label(p, tactics, names))}</div>"
                    )
                parts.append("<td>" + "".join(cell) + "</td>")
            parts.append("</tr>")
        parts.append("</tbody></table>")
    parts.append("</body></html>")
    return "\n".join(parts)
