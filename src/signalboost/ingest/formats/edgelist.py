"""SNAP-style edge lists: ``src dst [weight]`` a line, space- or tab-separated, ``#`` comments, optionally gzipped.

``--kind follows`` (src follows dst) loads ``follows``; ``--kind friendships`` (an undirected list, SNAP's
ego-Facebook: each line is a friendship) loads a follow each way, once per pair;
``--kind repost|reply|mention|like|quote`` (or
``interactions``, with the kind taken from the file name, e.g. ``higgs-retweet_network``) loads
``interactions`` with the weight; a third column of Unix times (SNAP's temporal networks) is each line's
time. Without ``--kind`` the file name decides, else follows (with a warning).
Format: https://snap.stanford.edu/data/ (e.g. "FromNodeId ToNodeId" lists).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import partial
from pathlib import Path

from signalboost.errors import UsageError
from signalboost.i18n import L_, N_
from signalboost.ingest.base import INTERACTION_KINDS, Format, Item, ReadOptions, SqlStage
from signalboost.ingest.dates import latest
from signalboost.ingest.plaintext import plain_utf8
from signalboost.ingest.registry import register
from signalboost.ingest.textio import read_head
from signalboost.store.ingest_sources_sql import edge_list

_EDGE = re.compile(rb"^[\w:.-]+[ \t][\w:.-]+([ \t][-+]?\d+(\.\d+)?([eE][-+]?\d+)?)?$")
_NAME_KINDS = (
    ("retweet", "repost"),
    ("repost", "repost"),
    ("mention", "mention"),
    ("reply", "reply"),
    ("quote", "quote"),
    ("like", "like"),
    ("favorite", "like"),
)


#: The side files of SNAP's ego networks (ego-Facebook, ego-Twitter, ego-Gplus): circles and anonymised profile
#: features, which no canonical table holds (https://snap.stanford.edu/data/ego-Facebook.html).
_EGO_SIDE_FILES = (".circles", ".feat", ".egofeat", ".featnames")


def sniff(head: bytes, path: Path) -> float:
    if path.is_dir():
        return 0.0
    if path.suffix.lower() in _EGO_SIDE_FILES:
        return 0.8  # claimed so that it is refused with what to do (see read_edgelist)
    lines = [ln.strip() for ln in head.split(b"\n")[:-1] if ln.strip() and not ln.startswith(b"#")][:50]
    if not lines or _is_header(lines[0]):
        return 0.0
    share = sum(1 for ln in lines if _EDGE.match(ln)) / len(lines)
    return 0.7 if share == 1 else 0.5 + 0.15 * share if share >= 0.5 else 0.3 * share


def _is_header(line: bytes) -> bool:
    """A first line naming table fields (``post_id	created_at	views``, ``source target``): a table with a
    header, for the generic importer, never edges between "post_id" and "created_at"."""
    from signalboost.ingest.formats.generic import FIELD_KINDS, SYNONYMS, normalise

    cells = [normalise(c) for c in re.split(r"[ \t,;]+", line.decode("utf-8", "replace")) if c]
    return any(c in FIELD_KINDS or c in SYNONYMS for c in cells)


def kind_for(path: Path, requested: str | None) -> tuple[str, str | None, str | None]:
    """``(table, interaction kind, warning)`` for an edge list from ``--kind`` and the file name."""
    from_name = next((k for word, k in _NAME_KINDS if word in path.name.lower()), None)
    if requested in (None, ""):
        if from_name:
            return "interactions", from_name, None
        return "follows", None, "read as follows (each line: src follows dst); pass --kind to say otherwise"
    if requested == "follows":
        return "follows", None, None
    if requested == "interactions":
        if from_name is None:
            raise UsageError(
                L_("cannot tell the interaction kind from the file name"),
                where="--kind",
                hint=L_("Pass one of: {choices}", choices=", ".join(INTERACTION_KINDS)),
            )
        return "interactions", from_name, None
    if requested in INTERACTION_KINDS:
        return "interactions", requested, None
    raise UsageError(
        L_("unknown kind {requested!r}", requested=requested),
        where="--kind",
        hint=L_("Use follows, friendships, interactions or one of: {choices}", choices=", ".join(INTERACTION_KINDS)),
    )


_NAME_PLATFORMS = (("higgs", "x"), ("twitter", "x"), ("facebook", "facebook"), ("mastodon", "mastodon"))


def platform_for(path: Path, requested: str | None) -> str:
    """``--platform``, else a network named in the file name (higgs/twitter -> x, facebook, mastodon)."""
    if requested:
        return requested
    for word, platform in _NAME_PLATFORMS:
        if word in path.name.lower():
            return platform
    raise UsageError(
        L_("an edge list does not say which network it comes from"),
        where=str(path),
        hint=L_("Pass --platform (x, mastodon, instagram, facebook, youtube or your own name)"),
    )


#: Unix seconds from 1973-03-03 (nine digits): a third column of such whole numbers is a time, never a weight.
_UNIX_FROM = 100_000_000


def third_column(lines: list[bytes], name: str) -> str:
    """What the third column of an edge list's first lines holds: ``weight``, ``unix`` or ``relative``.

    Pure. SNAP's temporal networks (https://snap.stanford.edu/data/#temporal: ``CollegeMsg``, ``sx-*``,
    ``wiki-talk-temporal``) write ``src dst unixtime``; ``email-Eu-core-temporal`` writes seconds from the data
    set's start. A third column of whole numbers is ``unix`` when one is at least 10^8 (1973-03-03; a weight
    that large is not a SNAP weight); ``relative`` when the file name says "temporal" and the numbers never
    decrease; else a ``weight``."""
    thirds = [parts[2] for ln in lines if len(parts := ln.split()) == 3]
    if not thirds or not all(t.isdigit() for t in thirds):
        return "weight"
    values = [int(t) for t in thirds]
    if max(values) >= _UNIX_FROM:
        return "unix"
    if "temporal" in name.lower() and values == sorted(values):
        return "relative"
    return "weight"


def read_edgelist(path: Path, options: ReadOptions) -> Iterator[Item]:
    if path.suffix.lower() in _EGO_SIDE_FILES:
        raise UsageError(
            L_("a SNAP ego network's circles or profile-features file: no table holds circles or anonymised features"),
            where=str(path),
            hint=L_(
                "Import the ego's .edges file (friendships among its friends) or facebook_combined.txt "
                "with --kind friendships"
            ),
        )
    head = read_head(path)
    lines = [ln.strip() for ln in head.split(b"\n")[:-1] if ln.strip() and not ln.startswith(b"#")][:200]
    third = third_column(lines, path.name)
    if third != "weight" and options.kind in (None, ""):
        raise UsageError(
            L_("the third column of this edge list holds times (a temporal network: messages, answers, replies)"),
            where=str(path),
            hint=L_(
                "Say what each line is with --kind (one of: {choices}), or --kind follows",
                choices=", ".join(INTERACTION_KINDS),
            ),
        )
    undirected = options.kind == "friendships"
    table, kind, warning = kind_for(path, "follows" if undirected else options.kind)
    options.kind_used = True
    options.saw_times(naive=False)  # Unix times (UTC), seconds from the start, or no times at all
    if warning:
        options.warn(warning)
    if third == "unix":
        options.note(L_("third column: Unix times (UTC), stored as each line's time; weight 1"))
    elif third == "relative":
        options.warn(
            L_("third column: seconds from the data set's start (not dates, not weights): not stored; weight 1")
        )
    first = next((ln for ln in head.split(b"\n") if ln.strip() and not ln.startswith(b"#")), b"")
    delim = "\t" if b"\t" in first else " "
    offset = 0
    for ln in head.split(b"\n"):
        if ln.startswith(b"#"):
            offset += 1
        else:
            break
    with plain_utf8(path, options) as plain:
        edges = partial(
            edge_list,
            plain,
            platform_for(path, options.platform),
            delim=delim,
            table=table,
            third=third,
            latest=latest(options.now),
        )
        sql, line_sql = edges(kind=kind, line_offset=offset)
        yield SqlStage(table, sql, line_sql)
        if undirected:
            options.note(
                L_(
                    "each line is a friendship (--kind friendships): a follow each way; a line whose reverse is "
                    "also a line adds nothing more"
                )
            )
            sql, line_sql = edges(kind=None, reverse=True)
            yield SqlStage(table, sql, line_sql, count_read=False)


FORMAT = register(
    Format(
        name="edgelist",
        description=N_("SNAP-style edge list: 'src dst [weight]' lines, space or tab, # comments, optionally .gz"),
        loads=N_(
            "follows (--kind follows; --kind friendships: a follow each way) or interactions "
            "(--kind repost|reply|mention|like|quote)"
        ),
        sniff=sniff,
        read=read_edgelist,
        extensions=(".txt", ".edges", ".edgelist", ".gz", ".tsv"),
    )
)
