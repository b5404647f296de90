"""YouTube Studio "Content" export (Analytics -> Advanced mode -> Export -> CSV): ``Table data.csv``.

One row per video: "Content" (the video id), "Video title", "Video publish time", "Duration", "Views",
"Watch time (hours)", "Subscribers", "Impressions", "Impressions click-through rate (%)" and, when chosen,
"Likes", "Comments added", "Shares". The first data row is the "Total" of the period (skipped). Studio writes
dates and numbers in the user's language: "Mar 5, 2024", "5 mars 2024", "05.03.2024"; "1,234", "1 234",
"1.234" (all read; a day-first/month-first ambiguity with slashes is warned about). Headers are read in English,
French, German, Spanish and Portuguese.

Loads ``posts`` (format video, created at the publish *date*, 00:00 UTC: Studio gives no time) and one
``post_metrics`` snapshot per video: views, impressions, likes, comments, shares **of the export's period**,
observed at ``--observed-at``, else the day after the period's end in the file or folder name
("Content 2024-01-01_2024-03-31 …"), else the newest publish date (content-derived: re-imports agree).
Platform "youtube".
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from signalboost.errors import IngestError
from signalboost.i18n import L_, N_
from signalboost.ingest.archive import archive_has, open_archive
from signalboost.ingest.base import Batch, Format, Item, ReadOptions, Reject
from signalboost.ingest.registry import register
from signalboost.ingest.textio import decode_text, to_count

#: rows of a YouTube Studio table read but not loaded (the import summary counts them; shown translated)
SKIP_BLANK = N_("blank rows")
SKIP_TOTALS = N_("summary rows (Total, Average, …)")
SKIP_DAILY = N_("daily channel totals (no canonical table)")
SKIP_REPEATED = N_("daily values of videos already read (not loaded)")

PLATFORM = "youtube"
HEADERS: dict[str, tuple[str, ...]] = {
    "post_id": ("content", "video", "video id", "contenu", "vidéo", "inhalt", "contenido", "conteúdo"),
    "text": ("video title", "titre de la vidéo", "videotitel", "título del video", "título do vídeo"),
    "created_at": (
        "video publish time",
        "heure de publication de la vidéo",
        "veröffentlichungszeit des videos",
        "hora de publicación del video",
        "horário de publicação do vídeo",
    ),
    "views": ("views", "vues", "aufrufe", "visualizaciones", "visualizações"),
    "impressions": ("impressions", "impressionen", "impresiones", "impressões"),
    "likes": ("likes", "j'aime", "mag ich", "me gusta", 'marcações "gostei"'),
    "comments": ("comments added", "commentaires ajoutés", "hinzugefügte kommentare", "comentarios añadidos"),
    "shares": ("shares", "partages", "geteilte inhalte", "veces compartido", "compartilhamentos"),
}
TOTAL_WORDS = {"total", "totals", "totale", "gesamt", "insgesamt", "totaal", "average", "moyenne", "durchschnitt"}
DATE_HEADERS = ("date", "datum", "fecha", "data")
#: Files of a Studio export zip that hold only daily series (no canonical table: named, not loaded).
SERIES_FILES = ("Chart data.csv", "Totals.csv")
INVISIBLE = dict.fromkeys(map(ord, "\ufeff\u00ad\u200b\u200c\u200d\u2060\u200e\u200f"), None)


def clean(name: str) -> str:
    """A header as Studio means it: BOM, soft hyphens, zero-width spaces and direction marks dropped."""
    return name.translate(INVISIBLE).strip().strip('"').strip().lower()


def _months(words: str) -> dict[str, int]:
    return {m: i for i, m in enumerate(words.split(), start=1)}


MONTHS = {
    **_months("jan feb mar apr may jun jul aug sep oct nov dec"),
    **_months("janv févr mars avr mai juin juil août sept oct nov déc"),
    **_months("jan feb mär apr mai jun jul aug sep okt nov dez"),
    **_months("ene feb mar abr may jun jul ago sept oct nov dic"),
    **_months("jan fev mar abr mai jun jul ago set out nov dez"),
    "sep": 9,
    "fév": 2,
    "janvier": 1,
    "février": 2,
    "avril": 4,
    "juillet": 7,
    "septembre": 9,
    "octobre": 10,
    "novembre": 11,
    "décembre": 12,
    "märz": 3,
}
_PERIOD = re.compile(r"(\d{4}-\d{2}-\d{2})_(\d{4}-\d{2}-\d{2})")


def sniff(head: bytes, path: Path) -> float:
    if path.is_dir() or (path.is_file() and head.startswith(b"PK\x03\x04")):
        return 0.85 if archive_has(path, head, "Table data.csv") else 0.0
    first = head.split(b"\n", 1)[0].decode("utf-8", "replace")
    cols = [clean(c) for c in first.split(",")]
    if not cols:
        return 0.0
    has_id = any(c in HEADERS["post_id"] for c in cols[:2])
    if has_id and any(c in HEADERS["created_at"] for c in cols):
        return 0.9
    studio_name = any(n in path.name.lower() for n in ("table data", "chart data", "totals"))
    if studio_name and (has_id or cols[0] in DATE_HEADERS) and any(c in HEADERS["views"] for c in cols):
        return 0.9
    return 0.0


def parse_number(text: str) -> float | None:
    """A localised number: "1,234", "1.234", "1 234", "1'234" -> 1234; "12,5" -> 12.5; "" / "–" -> None.

    With both separators the last one is the decimal mark; a lone separator followed by exactly three digits
    is a thousands separator (YouTube's counts are whole numbers); otherwise it is the decimal mark.
    """
    s = re.sub(r"[\s\u00a0\u202f'’]", "", text.strip()).rstrip("%")
    if s in ("", "-", "–", "—"):
        return None
    if "," in s and "." in s:
        dec = "," if s.rfind(",") > s.rfind(".") else "."
        s = s.replace("." if dec == "," else ",", "").replace(",", ".")
    elif "," in s or "." in s:
        sep = "," if "," in s else "."
        parts = s.split(sep)
        s = "".join(parts) if len(parts) > 2 or len(parts[-1]) == 3 else s.replace(",", ".")
    try:
        return float(s)
    except ValueError:
        raise ValueError(f"{text!r} is not a number") from None


def parse_date(text: str) -> tuple[date, bool]:
    """A localised date -> ``(date, ambiguous)``; ambiguous when a slash date could be day- or month-first."""
    s = text.strip().lower().replace(".", " ").replace(",", " ").replace(" de ", " ")
    s = re.sub(r"\s+", " ", s).strip()
    if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})(?:[ t]\d{2}:\d{2}(?::\d{2})?)?", s):  # a workbook's date cell
        return date(int(m[1]), int(m[2]), int(m[3])), False
    if m := re.fullmatch(r"([^\d\s]+) (\d{1,2}) (\d{4})", s):
        return date(int(m[3]), _month(m[1]), int(m[2])), False
    if m := re.fullmatch(r"(\d{1,2}) ([^\d\s]+) (\d{4})", s):
        return date(int(m[3]), _month(m[2]), int(m[1])), False
    if m := re.fullmatch(r"(\d{1,2}) (\d{1,2}) (\d{4})", s):  # 05.03.2024 (dots became spaces): day first
        return date(int(m[3]), int(m[2]), int(m[1])), False
    if m := re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", s):
        a, b, y = int(m[1]), int(m[2]), int(m[3])
        if a > 12:
            return date(y, b, a), False
        return date(y, a, b), b <= 12 and a != b
    raise ValueError(f"{text!r} is not a date")


def _month(word: str) -> int:
    word = word.strip(". ")
    for key in (word, word[:4], word[:3]):
        if key in MONTHS:
            return MONTHS[key]
    raise ValueError(f"unknown month {word!r}")


def _columns(header: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for i, name in enumerate(header):
        low = clean(name)
        if low in DATE_HEADERS and "date" not in found:
            found["date"] = i
        for field, names in HEADERS.items():
            if low in names and field not in found:
                found[field] = i
    return found


def parse_content_csv(
    text: str, *, member: str | None = None
) -> tuple[list[dict[str, Any]], list[Reject], bool, dict[str, int], str]:
    """Pure: a Studio table export -> per-video dicts (post_id, text, day, metrics), rejects, any ambiguous date,
    skipped rows by what they were, and the layout: ``per-video`` (Content / Video rows with the period's
    metrics), ``per-date-video`` (Date × video: the videos are loaded, the daily values are not) or
    ``per-date`` (channel totals by date: nothing a canonical table holds)."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = next(reader, [])
    cols = _columns(header)
    if "post_id" not in cols and "date" not in cols:
        raise IngestError(
            L_("not a YouTube Studio table export (no Content / Video or Date column)"),
            where=member,
            hint=L_("Export Analytics -> Advanced mode -> Content as CSV and import Table data.csv"),
        )
    layout = "per-video" if "date" not in cols else "per-date-video" if "post_id" in cols else "per-date"
    rows: list[dict[str, Any]] = []
    rejects: list[Reject] = []
    skipped: dict[str, int] = {}
    ambiguous = False
    seen: set[str] = set()
    for line, rec in enumerate(reader, start=2):
        if not rec or not any(c.strip() for c in rec):
            skipped[SKIP_BLANK] = skipped.get(SKIP_BLANK, 0) + 1
            continue
        first = clean(rec[0]) if rec else ""
        vid = rec[cols["post_id"]].strip() if "post_id" in cols and len(rec) > cols["post_id"] else ""
        if vid.lower() in TOTAL_WORDS or first in TOTAL_WORDS:
            skipped[SKIP_TOTALS] = skipped.get(SKIP_TOTALS, 0) + 1
            continue
        if layout == "per-date":
            skipped[SKIP_DAILY] = skipped.get(SKIP_DAILY, 0) + 1
            continue
        if layout == "per-date-video" and vid in seen:
            skipped[SKIP_REPEATED] = skipped.get(SKIP_REPEATED, 0) + 1
            continue
        try:
            if not vid:
                raise ValueError("no video id in Content / Video")
            day = None
            if "created_at" in cols and cols["created_at"] < len(rec) and rec[cols["created_at"]].strip():
                day, amb = parse_date(rec[cols["created_at"]])
                ambiguous |= amb
            metrics = {
                f: _count(rec[i])
                for f, i in cols.items()
                if f not in ("post_id", "text", "created_at", "date") and i < len(rec)
            }
        except (ValueError, IndexError) as exc:
            rejects.append(Reject(line, ",".join(rec), str(exc), member))
            continue
        seen.add(vid)
        title = rec[cols["text"]] if "text" in cols and cols["text"] < len(rec) else None
        rows.append({"post_id": vid, "text": title, "day": day, **(metrics if layout == "per-video" else {})})
    return rows, rejects, ambiguous, skipped, layout


def _count(text: str) -> int | None:
    """A count cell: a whole number from 0 (``ValueError`` naming the value for NaN, inf, -5, 1.5 …)."""
    value = parse_number(text)
    return None if value is None else to_count(value)


def _observed(path: Path, rows: list[dict[str, Any]], options: ReadOptions) -> datetime | None:
    if options.observed_at is not None:
        return options.observed_at
    m = _PERIOD.search(str(path))
    if m:
        return datetime.fromisoformat(m[2]).replace(tzinfo=UTC) + timedelta(days=1)
    newest = max((r["day"] for r in rows if r["day"] is not None), default=None)
    if newest is None:
        return None
    options.warn(L_("no period in the file name: metrics observed at the newest publish date (pass --observed-at)"))
    return datetime(newest.year, newest.month, newest.day, tzinfo=UTC)


def read_youtube(path: Path, options: ReadOptions) -> Iterator[Item]:
    if path.is_dir() or path.suffix.lower() == ".zip":
        archive = open_archive(path)
        names = archive.find("Table data.csv")
        series = sorted({n.rsplit("/", 1)[-1] for n in archive.find(*SERIES_FILES)})
        if series:
            options.warn(
                L_("not loaded (daily series, no canonical table holds them): {files}", files=", ".join(series))
            )
        if not names:
            raise IngestError(
                L_("no 'Table data.csv' in the export"),
                where=str(path),
                hint=L_(
                    "Export from YouTube Studio › Analytics › Advanced mode › Export (Comma-separated values), then "
                    "pass that zip or folder, or the 'Table data.csv' itself"
                ),
            )
        data, where, member = archive.read(names[0]), archive.where(names[0]), names[0]
    else:
        data, where, member = path.read_bytes(), str(path), None
    options.advance(len(data))
    text, warning = decode_text(data, where, options.encoding)
    if warning:
        options.warn(warning)
    rows, rejects, ambiguous, skipped, layout = parse_content_csv(text, member=member)
    for what, n in skipped.items():
        options.skip(what, n)
    options.note(L_("YouTube Studio table, {layout} layout", layout=layout))
    if ambiguous:
        options.warn(L_("some dates could be day-first or month-first: read as month-first (US)"))
    platform = options.platform or PLATFORM
    observed = _observed(path, rows, options)
    yield from rejects
    posts, metrics = [], []
    zone = ZoneInfo(options.timezone)
    for r in rows:
        day = r["day"]
        posts.append(
            {
                "platform": platform,
                "post_id": r["post_id"],
                "created_at": None if day is None else datetime(day.year, day.month, day.day, tzinfo=zone),
                "date_only": None if day is None else True,
                "text": r["text"],
                "format": "video",
                "url": f"https://www.youtube.com/watch?v={r['post_id']}",
            }
        )
        values = {k: r.get(k) for k in ("views", "impressions", "likes", "comments", "shares")}
        metrics.append({"platform": platform, "post_id": r["post_id"], "observed_at": observed, **values})
    yield Batch("posts", posts, rows_read=len(posts) + sum(skipped.values()))
    if observed is not None and layout == "per-video":
        yield Batch("post_metrics", metrics)


FORMAT = register(
    Format(
        name="youtube-content",
        description=N_("YouTube Studio 'Content' export (Table data.csv; localised dates/numbers; Total row skipped)"),
        loads=N_("posts (videos) and post_metrics (views, impressions, likes, comments, shares of the period)"),
        sniff=sniff,
        read=read_youtube,
        platform="youtube",
        extensions=(".csv", ".zip"),
    )
)
