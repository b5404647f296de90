"""The one registry of import formats, and detection by sniffing the head of a file (or a zip's / folder's names).

Each format module calls :func:`register` at import time; :func:`all_formats` imports them all (in
:data:`FORMAT_MODULES` order, which is also the tie-break order of detection).
"""

from __future__ import annotations

import importlib
from pathlib import Path

from signalboost.errors import IngestError
from signalboost.i18n import L_
from signalboost.ingest.base import Format
from signalboost.ingest.textio import looks_binary, read_head

FORMAT_MODULES: tuple[str, ...] = (
    "x_archive",
    "mastodon",
    "mastodon_csv",
    "instagram",
    "tiktok",
    "facebook_uci",
    "facebook_posts",
    "youtube",
    "social_csv",
    "bluesky_car",
    "misskey_notes",
    "higgs",
    "edgelist",
    "generic",
)

_FORMATS: dict[str, Format] = {}
_loaded = False

#: Minimum sniff confidence to pick a format without ``--format``.
THRESHOLD = 0.5


def register(fmt: Format) -> Format:
    """Add a format to the registry (called by each format module at import)."""
    if fmt.name in _FORMATS and _FORMATS[fmt.name] is not fmt:
        raise ValueError(f"two import formats named {fmt.name!r}")
    _FORMATS[fmt.name] = fmt
    return fmt


def all_formats() -> list[Format]:
    """Every registered format, in detection order."""
    global _loaded
    if not _loaded:
        for name in FORMAT_MODULES:
            importlib.import_module(f"signalboost.ingest.formats.{name}")
        _loaded = True
    return list(_FORMATS.values())


SUMMARY_FORMATS = ("table", "json", "csv")
"""Values of ``import --output`` (the summary), easily passed to ``--format`` (the input) by mistake."""


def get_format(name: str) -> Format:
    formats = {f.name: f for f in all_formats()}
    if name not in formats:
        hint = L_("Use one of: {choices} (see `signalboost formats`)", choices=", ".join(sorted(formats)))
        if name.lower() in SUMMARY_FORMATS:
            hint = L_(
                "Use one of: {choices} (see `signalboost formats`); the summary's output format is --output "
                "{output} (--format names the input format)",
                choices=", ".join(sorted(formats)),
                output=name.lower(),
            )
        raise IngestError(L_("unknown format {name!r}", name=name), where="--format", hint=hint)
    return formats[name]


def refuse_empty(path: Path, head: bytes | None = None) -> None:
    """Refuse a file with no content (none, or only whitespace; a ``.gz`` counts by what it expands to), whether the
    format was detected or forced with ``--format``."""
    if not path.is_file():
        return
    head = read_head(path) if head is None else head
    if not head.strip():
        raise IngestError(
            L_("the file is empty"), where=str(path), hint=L_("Export the data again; nothing was imported")
        )


def refuse_workbook(path: Path, head: bytes | None = None) -> None:
    """Refuse a spreadsheet workbook handed to detection itself: :func:`signalboost.ingest.import_files` reads its
    sheets (:mod:`signalboost.ingest.workbook`) and detects the format of the sheet it chose."""
    from signalboost.ingest.workbook import is_workbook

    head = read_head(path) if head is None and path.is_file() else head or b""
    if is_workbook(path, head):
        raise IngestError(
            L_("this is a spreadsheet workbook, not a CSV"),
            where=str(path),
            hint=L_("Import it with `signalboost import` (it reads the sheet of posts; --sheet NAME to choose)"),
        )


def _may_load(fmt: Format, platform: str) -> bool:
    """Whether ``fmt`` is a format of ``platform`` (or of no network in particular)."""
    said = _ALIASES.get(platform.strip().lower(), platform.strip().lower())
    return fmt.platform is None or said == fmt.platform


#: Other names people pass to ``--platform`` for a network a format is bound to.
_ALIASES = {"twitter": "x", "fb": "facebook", "ig": "instagram", "yt": "youtube"}


def _by_name_only(fmt: Format, head: bytes, path: Path) -> bool:
    """Whether ``fmt`` recognises the file only by its name: under a neutral name its sniffer is below the
    threshold (Mastodon's ``followers.csv`` is known by name; a header of its own would still say Mastodon)."""
    if not path.is_file() or head.startswith(b"PK\x03\x04"):
        return False
    try:
        return fmt.sniff(head, path.with_name("data" + path.suffix)) < THRESHOLD
    except OSError:
        return False


def detect_format(path: Path, platform: str | None = None, notes: list[str] | None = None) -> Format:
    """The format whose sniffer is most confident about ``path``; clear errors for empty/binary/unknown files.

    With ``platform`` (``--platform``), a format of another network that recognises the file only by its name is
    not chosen (a ``followers.csv`` of Instagram follows is not Mastodon's export of that name): the user's word
    beats a file name, never the content; what was passed over is added to ``notes``."""
    if not path.exists():
        raise IngestError(L_("no such file or folder"), where=str(path), hint=L_("Check the path"))
    head = read_head(path)
    refuse_empty(path, head)
    refuse_workbook(path, head)
    # a tar archive (gzipped or not: read_head unzips .gz), refused before any sniffer takes its text for data
    if path.is_file() and head[257:262] == b"ustar":
        raise IngestError(
            L_("this is a tar archive, which Signalboost does not unpack"),
            where=str(path),
            hint=L_("Unpack it first (`tar xzf FILE`) and import the files inside"),
        )
    scored = []
    for fmt in all_formats():
        score = fmt.sniff(head, path)
        if score > 0:
            scored.append((score, fmt))
    scored.sort(key=lambda sf: -sf[0])
    if platform:  # a file named like another network's export, whose content does not say so: the user's word
        named = [fmt for _, fmt in scored if not _may_load(fmt, platform) and _by_name_only(fmt, head, path)]
        if named and named[0] is scored[0][1] and scored[0][0] >= THRESHOLD and notes is not None:
            notes.append(
                L_(
                    "format: the file is named like a {network} export ({name}), but --platform {platform} says "
                    "otherwise and its content does not say {network}: not read as {name}",
                    name=named[0].name,
                    network=named[0].platform or "",
                    platform=platform,
                )
            )
        scored = [(score, fmt) for score, fmt in scored if fmt not in named]
    if scored and scored[0][0] >= THRESHOLD:
        return scored[0][1]
    if path.is_file() and looks_binary(head) and not head.startswith((b"PK\x03\x04", b"PAR1")):
        raise IngestError(
            L_("this is a binary file, not an export Signalboost can read"),
            where=str(path),
            hint=L_("Run `signalboost formats` to see what can be imported"),
        )
    if scored and scored[0][1].name == "generic":
        return scored[0][1]  # a table of the user's own: unmappable columns give a clear error later
    guess = L_(" (closest: {name})", name=scored[0][1].name) if scored else ""
    raise IngestError(
        L_("cannot tell which export format this is{guess}", guess=guess),
        where=str(path),
        hint=L_("Pass --format NAME (see `signalboost formats`), or --map for a CSV of your own"),
    )
