"""Generic CSV, JSON Lines and Parquet files of posts, post metrics, follows or interactions, with a column mapping.

The mapping says which source column holds each canonical field: ``--map created_at=Date,likes=Likes`` or a
mapping file (YAML/JSON ``field: Column``, or ``field=Column`` lines). Columns already named like a canonical
field (case and spaces ignored, e.g. "Post ID", "created_at", "Likes") are mapped without being named.
The mapped fields decide the table: ``actor_id`` -> interactions, ``follower_id`` -> follows, ``post_id`` ->
posts (+ post_metrics when metric columns are mapped; only metrics -> post_metrics).

Dates: read value by value as :mod:`signalboost.ingest.dates` says (ISO 8601, Unix times, day- or month-first
by the column's evidence, month names; ``--date-format`` repeatable), naive times in the import's time zone; a
time outside the plausible window is a reject. Encodings: UTF-8 (with or without BOM), UTF-16, else the legacy
code page the evidence favours (cp1252, Mac Roman, Latin-1; :func:`signalboost.ingest.textio.detect_encoding`),
or ``--encoding``; double-encoded UTF-8 in the text is repaired. Metrics snapshots are observed at
``--observed-at``, the
mapped ``observed_at`` column, or the newest ``created_at`` of the file (content-derived, so re-imports agree).
Read by DuckDB straight into staging (no Python per row).
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from pathlib import Path

from signalboost.errors import IngestError, SignalboostError, UsageError
from signalboost.i18n import L_, N_
from signalboost.ingest.base import METRIC_FIELDS, Format, Item, ReadOptions, SqlStage
from signalboost.ingest.dates import DatePlan, Evidence, infer_plan, latest, shape_of
from signalboost.ingest.formats.generic_names import (
    ACCOUNT_COUNTS,
    ACCOUNT_FIELDS,
    ACCOUNT_SYNONYMS,
    API_SYNONYMS,
    account_list,
    account_note,
    account_stage,
    not_account_fields,
    rule_under_header,
    say_alternatives,
    say_rounded,
    unprefixed,
)
from signalboost.ingest.plaintext import plain_utf8
from signalboost.ingest.registry import register
from signalboost.store.ingest_dates_sql import date_evidence, date_sql
from signalboost.store.ingest_sources_sql import (
    KIND_WORDS,
    describe_source,
    generic_select,
    metrics_from_stage,
    source_relation,
)
from signalboost.store.ingest_sql import columns, ident, lit

FIELD_KINDS: dict[str, str] = {
    "platform": "platform",
    "post_id": "str",
    "author_id": "str",
    "created_at": "ts",
    "text": "text",
    "content_warning": "text",
    "format": "format",
    "hashtags": "list",
    "mentions": "list",
    "reply_to": "str",
    "repost_of": "str",
    "quote_of": "str",
    "url": "str",
    "visibility": "str",
    "language": "str",
    "paid": "bool",
    "pillars": "list",
    "tactic": "str",
    "observed_at": "ts",
    **{m: "int" for m in METRIC_FIELDS},
    "follower_id": "str",
    "followee_id": "str",
    "actor_id": "str",
    "kind": "str",
    "target_post_id": "str",
    "target_account_id": "str",
    "occurred_at": "ts",
    "weight": "float",
    # an account list (generic_names.account_list)
    "account_id": "handle",
    "handle": "handle",
    "name": "text",
    "bio": "text",
    "category": "str",
    **{c: "int:k" for c in ACCOUNT_COUNTS},
}
SYNONYMS = {
    "id": "post_id",
    "date": "created_at",
    "published": "created_at",
    "timestamp": "created_at",
    "message": "text",
    "cw": "content_warning",
    "spoiler_text": "content_warning",
    "caption": "text",
    "like": "likes",
    "comment": "comments",
    "share": "shares",
    "source": "follower_id",
    "target": "followee_id",
    # other tools' exports (Sprout Social, Hootsuite, Buffer, Later …)
    "network": "platform",
    "social_network": "platform",
    "post_message": "text",
    "post_text": "text",
    "post_date": "created_at",
    "publish_time": "created_at",
    "published_at": "created_at",
    "date_gmt": "created_at",
    "date_utc": "created_at",
    "post_permalink": "url",
    "post_title": "text",
    "created_date": "created_at",
    "permalink": "url",
    "post_link": "url",
    # the metric names of Buffer's and Later's help pages (post tables exported as CSV)
    "post_reach": "reach",
    "post_impressions": "impressions",
    "post_clicks": "clicks",
    "reposts": "shares",
    "retweets": "shares",
    "replies": "comments",
    "date_posted": "created_at",
    "posted_at": "created_at",
    # Facebook page post scrapers (minimaxir's facebook-page-post-scraper and the datasets made with it)
    "status_id": "post_id",
    "status_message": "text",
    "status_published": "created_at",
    "status_link": "url",
    "status_type": "format",
    "num_likes": "likes",
    "num_comments": "comments",
    "num_shares": "shares",
    # the same in the languages of Excel files people bring (de, fr, es, nb/da, sv)
    "datum": "created_at",
    "fecha": "created_at",
    "dato": "created_at",
    "texte": "text",
    "texto": "text",
    "tekst": "text",
    "reichweite": "reach",
    "alcance": "reach",
    "port_e": "reach",
    "rekkevidde": "reach",
    "impressionen": "impressions",
    "impresiones": "impressions",
    "kommentare": "comments",
    "commentaires": "comments",
    "comentarios": "comments",
    "kommentarer": "comments",
    **API_SYNONYMS,
    **ACCOUNT_SYNONYMS,
}
REQUIRED = {
    "accounts": {"account_id"},
    "posts": {"post_id"},
    "post_metrics": {"post_id", "observed_at"},
    "follows": {"follower_id", "followee_id"},
    "interactions": {"actor_id", "kind"},
}

#: Invisible characters spreadsheets and YouTube Studio leave in headers: BOM, soft hyphen, zero-width spaces.
INVISIBLE = dict.fromkeys(map(ord, "\ufeff\u00ad\u200b\u200c\u200d\u2060"), None)


def clean_header(name: str) -> str:
    """A header without invisible characters, quotes and surrounding spaces."""
    return name.translate(INVISIBLE).strip().strip('"').strip()


def normalise(name: str) -> str:
    """A column name compared loosely: lower case, invisible characters dropped, punctuation runs as ``_``."""
    return re.sub(r"[^a-z0-9]+", "_", clean_header(name).lower()).strip("_")


def load_mapping_file(path: Path) -> dict[str, str]:
    """A mapping file: JSON or YAML ``{field: Column}``, or ``field=Column`` / ``field: Column`` lines."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise UsageError(
            L_("cannot read the mapping file ({strerror})", strerror=exc.strerror),
            where=f"--mapping {path}",
            hint=L_("Check the path, or give the columns inline with --map field=Column"),
        ) from exc
    if text.lstrip().startswith("{"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise UsageError(
                L_("invalid JSON: {msg}", msg=exc.msg),
                where=f"{path}:{exc.lineno}:{exc.colno}",
                hint=L_(
                    'Fix the JSON there; a mapping file is one object, e.g. {{"created_at": "Date", "likes": "Likes"}}'
                ),
            ) from exc
    else:
        lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
        if lines and all("=" in ln for ln in lines):
            data = dict(ln.split("=", 1) for ln in lines)
        else:
            from ruamel.yaml import YAML
            from ruamel.yaml.error import YAMLError

            try:
                data = YAML(typ="safe").load(text)
            except YAMLError as exc:
                raise UsageError(
                    L_("invalid YAML mapping ({value})", value=getattr(exc, "problem", None) or _one_line(str(exc))),
                    where=_yaml_where(path, exc),
                    hint=L_("Write one `field: Column` per line, e.g. `created_at: Date`"),
                ) from exc
    if not isinstance(data, dict):
        raise UsageError(
            L_("a mapping file maps fields to columns (field: Column)"),
            where=str(path),
            hint=L_(
                "Write one `field: Column` (or `field=Column`) per line, e.g. `created_at: Date`; fields: {choices}",
                choices=", ".join(sorted(FIELD_KINDS)),
            ),
        )
    return {str(k).strip(): str(v).strip() for k, v in data.items()}


def _one_line(text: str) -> str:
    """The first line of a parser's message (ruamel's run over several lines and repeat the position)."""
    return text.strip().splitlines()[0] if text.strip() else "syntax error"


def _yaml_where(path: Path, exc: Exception) -> str:
    """``path:line:column`` of a YAML error when ruamel knows it, else the path."""
    mark = getattr(exc, "problem_mark", None)
    return f"{path}:{mark.line + 1}:{mark.column + 1}" if mark is not None else str(path)


def file_kind(path: Path, head: bytes) -> str:
    name = path.name.lower().removesuffix(".gz")
    if head.startswith(b"PAR1") or name.endswith(".parquet"):
        return "parquet"
    if name.endswith((".jsonl", ".ndjson")):
        return "jsonl"
    if name.endswith(".json"):
        return "json" if head.lstrip().startswith(b"[") else "jsonl"
    return "csv"


def sniff(head: bytes, path: Path) -> float:
    if path.is_dir() or head.startswith(b"PK\x03\x04"):
        return 0.0
    kind = file_kind(path, head)
    if kind == "parquet":
        return 0.6
    if kind in ("json", "jsonl"):
        return 0.3
    first = head.split(b"\n", 1)[0]
    one_column = path.name.lower().removesuffix(".gz").endswith((".csv", ".tsv"))  # a list of ids is a CSV too
    return 0.3 if one_column or any(sep in first for sep in (b",", b";", b"\t")) else 0.0


def resolve_mapping(columns: list[str], mapping: dict[str, str] | None) -> dict[str, str]:
    """Canonical field -> source column: the explicit mapping, plus columns named like a field."""
    result: dict[str, str] = {}
    for field, column in (mapping or {}).items():
        if field not in FIELD_KINDS:
            raise UsageError(
                L_("unknown field {field!r} in the mapping", field=field),
                where="--map",
                hint=L_("Fields: {choices}", choices=", ".join(sorted(FIELD_KINDS))),
            )
        if column not in columns:
            raise IngestError(
                L_("the mapping names column {column!r}, which the file does not have", column=column),
                where="--map",
                hint=L_("Columns in the file: {choices}", choices=", ".join(columns[:40])),
            )
        result[field] = column
    taken = set(result.values())
    for column in columns:
        found = field_of(column)
        if found is None:
            continue
        field = found
        if field not in result and column not in taken:
            result[field] = column
            taken.add(column)
    return result


#: What ``table_for`` is told stands for the post id of a file without one (see :func:`derived_id_fields`).
DERIVED_ID = "(derived: time + text)"


def derived_id_fields(fields: dict[str, str]) -> tuple[str, ...]:
    """The fields a post id is derived from when a posts file has no id column (Buffer's and Later's exports):
    ``("created_at", "text")``, ``("created_at", "author_id", "text")`` when an author is mapped (one file may hold
    several profiles; hashed as ``author|text``, docs/INGEST.md); ``()`` when the file has an id, or lacks a time or
    a text, or holds follows or interactions."""
    if "post_id" in fields or not {"created_at", "text"} <= set(fields):
        return ()
    if {"actor_id", "follower_id", "followee_id"} & set(fields):
        return ()
    return ("created_at", "author_id", "text") if "author_id" in fields else ("created_at", "text")


#: Headers of a column holding only the date, and of one holding only the time of day (Buffer writes both).
_DATE_ONLY_HEADERS = ("date", "post_date", "publish_date", "datum", "fecha", "dato")
_TIME_HEADERS = ("time", "post_time", "publish_time_of_day", "uhrzeit", "hora", "tid", "heure")


def _date_and_time(
    relation: str, path: Path, columns: list[str], fields: dict[str, str], options: ReadOptions
) -> tuple[str, dict[str, str]]:
    """A ``Date`` column and a ``Time`` column (Buffer's exports) read as one time: a virtual column
    ``Date + Time`` joining them, when the date column holds no times of its own and ``--map`` did not choose."""
    date_column = fields.get("created_at")
    if (
        date_column is None
        or normalise(date_column) not in _DATE_ONLY_HEADERS
        or "created_at" in (options.mapping or {})
    ):
        return relation, fields
    taken = set(fields.values())
    time_column = next((c for c in columns if normalise(c) in _TIME_HEADERS and c not in taken), None)
    if time_column is None:
        return relation, fields
    _, sample = _describe(relation, path, sample_column=date_column, limit=50)
    if any(":" in v for v in sample):
        return relation, fields
    name = f"{date_column} + {time_column}"
    joined = (
        f"nullif(trim(concat_ws(' ', trim(CAST({ident(date_column)} AS VARCHAR)), "
        f"trim(CAST({ident(time_column)} AS VARCHAR)))), '')"
    )
    options.note(
        L_(
            "{date} and {time}: one time (the date in one column, the time of day in the other)",
            date=date_column,
            time=time_column,
        )
    )
    return with_virtual(relation, {name: joined}), {**fields, "created_at": name}


def field_of(name: str) -> str | None:
    """The canonical field a column named ``name`` maps to without ``--map`` (``Post ID`` -> post_id), or None."""
    norm = unprefixed(normalise(name))
    return norm if norm in FIELD_KINDS else SYNONYMS.get(norm)


#: Formats a sheet of a workbook is never taken for by detection alone (headerless edge lists).
_NOT_SHEETS = ("edgelist", "higgs")


def header_recognised(path: Path, mapping: dict[str, str] | None, format: str | None = None) -> bool:
    """Whether a (UTF-8) CSV's header is one a format recognises: a platform's own export (detected), or columns
    that map to a table with ``mapping`` and the usual names. Used to choose a workbook's sheet."""
    from signalboost.ingest.registry import detect_format, get_format
    from signalboost.ingest.textio import read_head

    try:
        fmt = get_format(format) if format else detect_format(path)
    except SignalboostError:
        return False
    if fmt.name != "generic":
        return fmt.name not in _NOT_SHEETS and (format is None or fmt.sniff(read_head(path), path) > 0)
    sep, skip = _layout(path)
    with path.open(encoding="utf-8") as fh:
        lines = [next(fh, "") for _ in range(skip + 1)]
    columns = [clean_header(c) for c in next(csv.reader([lines[-1].rstrip("\r\n")], delimiter=sep), [])]
    named: dict[str, str] = {}
    constant: dict[str, str] = {}
    for field, spec in (mapping or {}).items():
        part = _PART.match(spec)
        column = part["column"] if part and spec not in columns else spec
        if spec.startswith("="):
            constant[field] = spec
        elif column not in columns:
            return False
        else:
            named[field] = column
    try:
        fields = {**resolve_mapping(columns, named), **constant}
        choose_table(fields, set(mapping or {}))
    except SignalboostError:
        return False
    return True


def choose_table(fields: dict[str, str], explicit: set[str]) -> tuple[str, dict[str, str]]:
    """``(table, fields it uses)`` of a file whose columns map ``fields`` (``explicit``: the fields given with
    ``--map`` or a preset). An account list (:func:`~signalboost.ingest.formats.generic_names.account_list`) is
    ``accounts``; otherwise the columns named like an account's fields are left unused (``--map`` of one of them
    is refused) and :func:`table_for` decides."""
    plain_id = "post_id" in fields and normalise(fields["post_id"]) == "id"
    accounts = account_list(fields, explicit, plain_id=plain_id)
    if accounts is not None:
        return "accounts", accounts
    wrong = next((f for f in ACCOUNT_FIELDS if f in explicit and f in fields), None)
    if wrong is not None:
        raise UsageError(
            L_(
                "{field} is a field of an account list, but the other columns make this file something else",
                field=wrong,
            ),
            where="--map",
            hint=L_(
                "An account list maps account_id (or a handle) and followers, following or posts_count, and no "
                "post, follow or interaction columns; leave {field} out for this file",
                field=wrong,
            ),
        )
    fields = not_account_fields(fields, explicit)
    return table_for({**fields, "post_id": DERIVED_ID} if derived_id_fields(fields) else fields), fields


def table_for(fields: dict[str, str]) -> str:
    if "actor_id" in fields:
        return "interactions"
    if "follower_id" in fields and "followee_id" in fields:
        return "follows"
    if "post_id" in fields:
        post_fields = set(fields) - set(METRIC_FIELDS) - {"post_id", "observed_at", "platform"}
        return "posts" if post_fields else "post_metrics"
    raise UsageError(
        L_("cannot tell what the file holds from its columns"),
        where="--map",
        hint=L_(
            "Map post_id (posts), follower_id+followee_id (follows), actor_id+kind (interactions) or "
            "account_id+followers (an account list), e.g. --map post_id=ID,created_at=Date"
        ),
    )


def _in_file(exc: SignalboostError, path: Path, columns: list[str], *, mapped: bool) -> SignalboostError:
    """A mapping error of ``--map`` that names the file it is about (several files may be imported at once).

    A file whose columns say nothing without a ``--map`` is the wrong file (``IngestError``, exit 1) rather
    than a wrong command; its columns are listed so the user can map them."""
    if exc.where != "--map":
        return exc
    hint = exc.hint or ""
    if "Columns in the file" not in hint:
        shown = ", ".join(repr(c) for c in columns[:12]) + (", …" if len(columns) > 12 else "")
        columns_hint = L_("Columns in the file: {choices}", choices=shown)
        hint = L_("{hint}. {columns}", hint=hint, columns=columns_hint) if hint else columns_hint
    cls = type(exc) if mapped else IngestError
    return cls(exc.what, where=f"{path} (--map)", hint=hint)


def read_generic(path: Path, options: ReadOptions) -> Iterator[Item]:
    """Map, type-check and stage a generic file (see the module docstring)."""
    from signalboost.ingest.textio import read_head

    kind = file_kind(path, read_head(path))
    with plain_utf8(path, options) if kind == "csv" else _as_is(path, options) as plain:
        delimiter, skip = _layout(plain) if kind == "csv" else (None, 0)
        if skip:
            options.skip(N_("title lines above the header"), skip)
        names = rule_under_header(plain, delimiter, skip) if delimiter is not None else None
        if names is not None:
            options.skip(N_("separator lines under the header (=====)"), 1)
        relation = source_relation(plain, kind, skip=skip, names=names)
        columns, _ = _describe(relation, path)
        if options.preset is not None:
            options.preset(columns)
        try:
            mapping, virtual = expand_mapping(options.mapping, columns, options)
            virtual = {**options.virtual, **virtual}
            mapping = _kind_mapping(mapping, virtual, options)
            relation = with_virtual(relation, virtual)
            fields = resolve_mapping([*columns, *virtual], mapping)
            say_alternatives([*columns, *virtual], fields, set(mapping), options)
            relation, fields = _date_and_time(relation, path, columns, fields, options)
            table, fields = choose_table(fields, set(mapping))
            derived = derived_id_fields(fields) if table == "posts" else ()
            _check_kind(table, options)
            options.note(
                L_(
                    "{table} from columns: {fields}",
                    table=table,
                    fields=", ".join(f"{f}={c}" for f, c in fields.items()),
                )
            )
            options.mapped = {f for f, c in fields.items() if not c.startswith("=")}
            if derived:
                options.note(
                    L_(
                        "post_id: the file has no id column; each post's id is derived from its time (UTC, to the "
                        "second) and a hash of {what} (auto:YYYYMMDDTHHMMSSZ:…), so a re-import or a later export "
                        "that overlaps this one finds the same posts",
                        what=" + ".join(derived[1:]),
                    )
                )
        except SignalboostError as exc:
            raise _in_file(exc, path, columns, mapped=bool(options.mapping)) from None
        if table == "posts" and "created_at" not in fields:
            _warn_no_date(columns, fields, options)
        if table == "accounts":
            options.note(account_note(fields, columns))
        if options.platform is None and "platform" not in fields:
            raise UsageError(
                L_("which network is this file from?"),
                where=str(path),
                hint=L_("Pass --platform (x, mastodon, instagram, facebook, youtube, …) or map a platform column"),
            )
        typed = _typed_fields(relation, path, fields, options, delimiter=delimiter)
        constants: dict[str, str] = {k: v for k, v in options.sql_constants.items() if k not in fields}
        if table == "interactions" and "kind" in fields:
            typed["kind"] = (fields["kind"], "kind")
        line_offset = 1 + skip + (1 if names is not None else 0)
        yield from _stages(relation, table, typed, constants, options, path, line_offset=line_offset, derived=derived)


def _warn_no_date(columns: list[str], fields: dict[str, str], options: ReadOptions) -> None:
    """A posts file whose columns map no ``created_at``: the posts load without a date, which every analysis by
    time leaves out — said at once, with the columns left unused (one of them is usually the date)."""
    used = set(fields.values())
    unused = [c for c in columns if c not in used]
    shown = ", ".join(unused[:12]) + (", …" if len(unused) > 12 else "")
    options.warn(
        L_(
            "no date column: the posts have no date, so every analysis by time leaves them out; map one with "
            "--map created_at=COLUMN (columns not used: {columns})",
            columns=shown or "—",
        )
    )


#: ``--map`` values: ``Column``; ``=constant`` (``=@me``: the brand's own account on the platform);
#: ``Column|before:SEP`` / ``Column|after:SEP`` (the part of a column before / after the first SEP).
_PART = re.compile(r"^(?P<column>.+)\|(?P<op>before|after):(?P<sep>.+)$")


def expand_mapping(
    mapping: dict[str, str] | None, columns: list[str], options: ReadOptions
) -> tuple[dict[str, str], dict[str, str]]:
    """``(field -> column, virtual column -> SQL)``: constants and parts of columns become virtual columns named
    as the user wrote them (``=@me``, ``status_id|before:_``), so reject reasons quote the mapping."""
    out: dict[str, str] = {}
    virtual: dict[str, str] = {}
    for field, spec in (mapping or {}).items():
        if spec.startswith("="):
            value = spec[1:]
            if value == "@me":
                value = _me(field, options)
                name = f"=@me ({value})"
            else:
                name = spec
            virtual[name] = lit(value)
            out[field] = name
        elif (m := _PART.match(spec)) and spec not in columns:
            column, op, sep = m["column"], m["op"], m["sep"]
            if column not in columns:
                raise IngestError(
                    L_(
                        "the mapping {field}={spec} names column {column!r}, which the file does not have",
                        field=field,
                        spec=spec,
                        column=column,
                    ),
                    where="--map",
                    hint=L_("Columns in the file: {choices}", choices=", ".join(columns[:40])),
                )
            c = f"CAST({ident(column)} AS VARCHAR)"
            part = (
                f"split_part({c}, {lit(sep)}, 1)"
                if op == "before"
                else f"substr({c}, strpos({c}, {lit(sep)}) + {len(sep)})"
            )
            virtual[spec] = f"CASE WHEN contains({c}, {lit(sep)}) THEN nullif({part}, '') END"
            out[field] = spec
        else:
            out[field] = spec
    return out, virtual


def _me(field: str, options: ReadOptions) -> str:
    platform = options.platform
    handle = options.me.get(platform or "")
    if handle:
        return handle
    raise UsageError(
        L_(
            "{field}==@me needs the brand's own account on {platform}",
            field=field,
            platform=platform or L_("the platform"),
        ),
        where="--map",
        hint=(
            L_(
                "Pass --platform and set brand.handles in strategy.yaml (e.g. mastodon: brand@example.social), or "
                "give the account itself: --map {field}==brand@example.social",
                field=field,
            )
        ),
    )


def with_virtual(relation: str, virtual: dict[str, str]) -> str:
    """The relation with the virtual columns of :func:`expand_mapping` added."""
    if not virtual:
        return relation
    extra = ", ".join(f"{sql} AS {ident(name)}" for name, sql in virtual.items())
    return f"(SELECT *, {extra} FROM {relation})"


def _kind_mapping(mapping: dict[str, str], virtual: dict[str, str], options: ReadOptions) -> dict[str, str]:
    """``--kind reply`` (or another interaction kind) on a CSV: every row is an interaction of that kind."""
    if options.kind is None:
        return mapping
    word = options.kind.strip().lower()
    if word in KIND_WORDS:
        name = f"=--kind {KIND_WORDS[word]}"
        virtual[name] = lit(KIND_WORDS[word])
        return {**mapping, "kind": name}
    if word not in ("follows", "interactions"):
        raise UsageError(
            L_("unknown kind {kind!r}", kind=options.kind),
            where="--kind",
            hint=L_("Use follows, interactions, or one of like, reply, repost, quote, mention"),
        )
    return mapping


def _check_kind(table: str, options: ReadOptions) -> None:
    """``--kind`` is honoured (the file's table is the one asked for) or refused, never ignored."""
    if options.kind is None:
        return
    word = options.kind.strip().lower()
    wanted = "follows" if word == "follows" else "interactions"
    if table != wanted:
        need = (
            "follower_id and followee_id"
            if wanted == "follows"
            else "actor_id (who acted) and target_post_id or target_account_id"
        )
        raise UsageError(
            L_(
                "--kind {kind} asks for {wanted}, but the mapped columns make this a {table} file",
                kind=options.kind,
                wanted=wanted,
                table=table,
            ),
            where="--kind",
            hint=L_("Map {need}, e.g. --map actor_id=Author,target_post_id=Video; or leave --kind out", need=need),
        )
    options.kind_used = True


def _stages(
    relation: str,
    table: str,
    typed: dict[str, tuple[str, str]],
    constants: dict[str, str],
    options: ReadOptions,
    path: Path,
    line_offset: int = 1,
    derived: tuple[str, ...] = (),
) -> Iterator[Item]:
    platform = options.platform
    window = latest(options.now)
    for field in ("created_at", "occurred_at"):  # derived from the date column's text, read once with it
        if field in typed:
            typed["date_only"] = (typed[field][0], "date_only")
    if options.observed_at is not None:
        constants["observed_at"] = f"{lit(options.observed_at.isoformat())}::TIMESTAMPTZ"
    has_metrics = any(m in typed for m in METRIC_FIELDS)
    needs_time = table in ("posts", "post_metrics") and has_metrics
    newest = None  # the metrics of a posts file are observed at its newest post time, found in the stage
    if needs_time and "observed_at" not in typed and "observed_at" not in constants:
        if "created_at" not in typed:
            raise UsageError(
                L_("metrics need the time they were read"),
                where=str(path),
                hint=L_("Pass --observed-at 2024-05-01T12:00 or map an observed_at column"),
            )
        newest = "created_at"  # mapped, so the table is posts (a metrics-only file has no created_at)
        options.warn(L_("no observation time for the metrics: using the newest post time (pass --observed-at)"))
    if table == "accounts":
        yield account_stage(relation, typed, constants, options, line_offset)
        return
    if table == "posts":
        if "text" in typed and "hashtags" not in typed:
            typed["hashtags"] = (typed["text"][0], "hashtags")
        post_fields = {k: v for k, v in typed.items() if k not in METRIC_FIELDS and k != "observed_at"}
        # one read of the file: the metric columns are staged beside the post's, then merged from the stage
        extra = [c for c in columns("post_metrics") if c not in ("platform", "post_id")] if has_metrics else []
        sql, line_sql, fixed = generic_select(
            relation,
            "posts",
            platform,
            post_fields,
            REQUIRED["posts"] | ({"created_at"} if derived else set()),
            constants,
            checked=typed,
            latest=window,
            extra=extra,
            line_offset=line_offset,
            derived_id=derived,
        )
        also = (("post_metrics", metrics_from_stage(newest, latest=window)),) if has_metrics else ()
        yield SqlStage("posts", sql, line_sql, fixed=fixed, also=also, line_offset=line_offset)
        return
    sql, line_sql, fixed = generic_select(
        relation, table, platform, typed, REQUIRED[table], constants, latest=window, line_offset=line_offset
    )
    yield SqlStage(table, sql, line_sql, fixed=fixed, line_offset=line_offset)


def _typed_fields(
    relation: str, path: Path, fields: dict[str, str], options: ReadOptions, *, delimiter: str | None = None
) -> dict[str, tuple[str, str]]:
    typed: dict[str, tuple[str, str]] = {}
    dotted: dict[str, int] = {}  # day.month.year dates seen, by column: a decimal-comma locale wrote the file
    for field, column in sorted(fields.items(), key=lambda fc: FIELD_KINDS[fc[0]] != "ts"):  # dates first
        kind = FIELD_KINDS[field]
        if kind == "ts":
            kind = "ts:=" + date_sql("\x00", _date_plan(relation, path, column, options, dotted=dotted))
        elif kind in ("int", "float", "int:k") and not column.startswith("=") and delimiter in (";", "\t"):
            base = _number_kind(relation, path, column, kind.removesuffix(":k"), delimiter, options, dotted=dotted)
            kind = base + kind[len(kind.removesuffix(":k")) :]
        if kind.endswith(":k") and not column.startswith("="):
            say_rounded(column, _describe(relation, path, sample_column=column, limit=2000)[1], options)
        typed[field] = (column, kind)
    return {f: typed[f] for f in fields}


def _layout(plain: Path) -> tuple[str, int]:
    """``(separator, title lines)`` of a (UTF-8) delimited file: the separator is the most frequent of comma,
    semicolon and tab in the first lines; title lines are the (up to 3) lines above the header with at most one
    cell filled (LinkedIn's and Insights' exports saved as CSV: "Content metrics for posts created …,,,,"),
    followed by a line of at least two filled cells."""
    with plain.open("rb") as fh:
        lines = [fh.readline(65536).decode("utf-8-sig", "replace") for _ in range(5)]
    sep = max((",", ";", "\t"), key=lambda d: sum(line.count(d) for line in lines))
    filled = [sum(1 for c in next(csv.reader([line.rstrip("\r\n")], delimiter=sep), []) if c.strip()) for line in lines]
    skip = 0
    while skip < 3 and filled[skip] <= 1 and lines[skip].strip():
        skip += 1
    if skip and filled[skip] >= 2:
        return sep, skip
    return max((",", ";", "\t"), key=lambda d: lines[0].count(d)), 0


#: A value only a decimal-comma locale writes (``1.234.567``, ``12,5``) / only a decimal-point one (``1,234,567``,
#: ``12.5``): the evidence deciding what ``1.234`` means.
_COMMA_DECIMAL = re.compile(r"^\+?\d{1,3}(\.\d{3}){2,}$|^\+?\d+,\d{1,2}$|^\+?\d{1,3}(\.\d{3})+,\d+$")
_POINT_DECIMAL = re.compile(r"^\+?\d{1,3}(,\d{3}){2,}$|^\+?\d+\.\d{1,2}$|^\+?\d{1,3}(,\d{3})+\.\d+$")


def _number_kind(
    relation: str,
    path: Path,
    column: str,
    kind: str,
    delimiter: str,
    options: ReadOptions,
    *,
    dotted: dict[str, int] | None = None,
) -> str:
    """``kind`` or ``kind:dc`` (decimal comma: ``.`` groups thousands) for a numeric column of a ``;`` or tab file.

    Evidence, in order: the column's own values (``1.234.567`` or ``12,5`` only a decimal-comma locale writes;
    ``1,234,567`` or ``12.5`` only a decimal-point one); then the separator: Excel writes ``;`` where the comma
    is the decimal mark (de, fr, es, nb, …), so a ``;`` file is read decimal-comma; and so is a tab file (Excel's
    "Unicode text") whose dates are written day.month.year (``08.05.2024``: de, nb, fi, pl, ru … — all
    decimal-comma locales). A tab file without evidence keeps the decimal point, where ``1.234`` is not a count
    (a reject, never a guess). The choice is stated.
    """
    _, sample = _describe(relation, path, sample_column=column, limit=2000)
    comma = sum(1 for v in sample if _COMMA_DECIMAL.match(v.strip()))
    point = sum(1 for v in sample if _POINT_DECIMAL.match(v.strip()))
    if comma and point:
        options.warn(
            L_(
                "{column}: numbers written with both a decimal comma and a decimal point; read with a decimal "
                "point (values like 1.234 are rejects)",
                column=column,
            )
        )
        return kind
    dates = next(iter(dotted or {}), None)
    if comma or (delimiter == ";" and not point) or (dates is not None and not point):
        if comma:
            why = L_("values like {value}", value=next((v for v in sample if _COMMA_DECIMAL.match(v.strip())), ""))
        elif delimiter == ";":
            why = L_("a ';'-separated file, as Excel writes where the comma is the decimal mark")
        else:
            why = L_("dates written day.month.year in {column}, as where the comma is the decimal mark", column=dates)
        options.note(L_("{column}: '.' groups thousands and ',' is the decimal mark ({why})", column=column, why=why))
        return kind + ":dc"
    return kind


def _date_plan(
    relation: str, path: Path, column: str, options: ReadOptions, *, dotted: dict[str, int] | None = None
) -> DatePlan:
    """How ``column`` is read (see :mod:`signalboost.ingest.dates`): ``--date-format`` when given; else the shapes
    of the first 2,000 values, and when any is a numeric or month-name date, the evidence of the whole column."""
    if options.date_formats:
        plan = infer_plan(column, {}, Evidence(), timezone=options.timezone, formats=options.date_formats)
        options.note(plan.statement)
        options.saw_times(naive=True)
        return plan
    _, sample = _describe(relation, path, sample_column=column, limit=2000)
    counts: dict[str, int] = {}
    for value in sample:
        shape = shape_of(value.strip())
        if shape is not None:
            counts[shape] = counts.get(shape, 0) + 1
    readable = sum(counts.values())
    if sample and readable < 0.5 * len(sample):
        raise IngestError(
            L_("cannot recognise the dates in column {column!r} (e.g. {sample!r})", column=column, sample=sample[0]),
            where=str(path),
            hint=L_("Pass --date-format, e.g. --date-format '%d/%m/%Y %H:%M' (repeatable)"),
        )
    evidence = Evidence()
    if set(counts) - {"iso", "epoch_s", "epoch_ms", "xdate"}:
        evidence, counts = date_evidence(relation, column)
        if dotted is not None and evidence.numeric.get(".", 0) and not evidence.month_first.get(".", 0):
            dotted[column] = evidence.numeric["."]
    plan = infer_plan(column, counts, evidence, timezone=_column_zone(column, options))
    options.note(plan.statement)
    options.saw_times(naive=not plan.shapes or not set(plan.shapes) <= {"epoch_s", "epoch_ms"})
    return plan


def _column_zone(column: str, options: ReadOptions) -> str:
    """The zone of a column's naive times: UTC when its header says so (Hootsuite's ``Date (GMT)``), else the
    import's (``--timezone``, the brand's)."""
    if re.search(r"\b(GMT|UTC)\b", column) and options.timezone != "UTC":
        options.note(L_("{column}: times read as UTC (the column's name says so)", column=column))
        return "UTC"
    return options.timezone


def _describe(
    relation: str, path: Path, sample_column: str | None = None, limit: int = 500
) -> tuple[list[str], list[str]]:
    import duckdb

    try:
        return describe_source(relation, sample_column=sample_column, limit=limit)
    except duckdb.Error as exc:
        raise IngestError(
            L_("cannot read the file: {reason}", reason=str(exc).splitlines()[0]),
            where=str(path),
            hint=L_("Check it is a CSV, JSON Lines or Parquet file"),
        ) from exc


class _as_is:
    def __init__(self, path: Path, options: ReadOptions) -> None:
        self.path = path
        options.advance(path.stat().st_size)

    def __enter__(self) -> Path:
        return self.path

    def __exit__(self, *exc: object) -> None:
        return None


FORMAT = register(
    Format(
        name="generic",
        description=N_(
            "CSV, JSON Lines or Parquet of posts, metrics, follows, interactions or account lists (follower "
            "counts); common column names are recognised, others mapped with --map field=Column"
        ),
        loads=N_(
            "posts (+ post_metrics), post_metrics, follows, interactions or accounts (+ account_snapshots), "
            "as the columns say"
        ),
        sniff=sniff,
        read=read_generic,
        extensions=(".csv", ".tsv", ".jsonl", ".ndjson", ".json", ".parquet"),
    )
)
