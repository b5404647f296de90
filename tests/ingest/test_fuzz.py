"""Fuzzing every importer with hostile values (issue 18): numbers, dates, nesting, encodings, zip structures.

Each example writes a file (or an export folder / zip) carrying generated hostile values into a real workspace
through :func:`signalboost.ingest.import_files`, and asserts:

- no exception but a :class:`~signalboost.errors.SignalboostError` (no traceback for the user);
- on a refusal, nothing changed (row counts of every canonical table and of ``imports``);
- on success, nothing unreadable or impossible was stored: no negative, NaN or infinite metric or weight, no time
  a reader cannot hold (after year 9999).

Budget: ``SIGNALBOOST_INGEST_FUZZ_EXAMPLES`` examples per test (default 6, derandomized so CI is reproducible).
A longer run, random each time: ``make fuzz`` (300 per strategy; ``make fuzz INGEST_FUZZ_EXAMPLES=2000`` for
more).
The number of cases run is printed at the end of the session ("fuzz: N import cases").
"""

from __future__ import annotations

import gzip
import io
import json
import os
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from signalboost.errors import SignalboostError
from signalboost.ingest import import_files
from signalboost.store.workspace import Workspace

from .conftest import INGEST_DATA, counts

EXAMPLES = int(os.environ.get("SIGNALBOOST_INGEST_FUZZ_EXAMPLES", "6"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not os.environ.get("SIGNALBOOST_INGEST_FUZZ_RANDOM"),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)
CASES: dict[str, int] = {}

# ------------------------------------------------------------------------------------------- hostile values
HOSTILE_NUMBER_TEXT = [
    "NaN", "nan", "-NaN", "inf", "-inf", "Infinity", "1e400", "-1e400", "99999999999999999999999",
    "9223372036854775808", "9223372036854775807", "-5", "-0", "0", "1.5", "1e-400", "0x10", "1_000", "1,5",
    "１２", "", " ", "null", "None", "true", "[]", "{}", "\u202f12", "12\x00", "1e308", "4.9e-324", "--1",
]  # fmt: skip
numbers = st.one_of(
    st.sampled_from(HOSTILE_NUMBER_TEXT),
    st.integers(min_value=-(2**80), max_value=2**80).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.text(alphabet="0123456789.-+eE,_ naif", max_size=12),
)
json_numbers = st.one_of(
    numbers,  # as strings, the way X writes them
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.none(),
    st.lists(st.integers(), max_size=2),
)
HOSTILE_DATES = [
    "10000-01-01", "9999-12-31T23:59:59Z", "0000-00-00", "0001-01-01", "1969-12-31", "2024-02-30",
    "2024-13-01", "Wed Oct 10 20:19:24 +0000 10000", "Wed Oct 10 20:19:24 +9999 2018", "", "now", "253402300800",
    "-62135596800", "99999999999999999999", "1e400", "NaN", "2024-01-01T25:00:00", "+275760-09-13",
]  # fmt: skip
dates = st.one_of(
    st.sampled_from(HOSTILE_DATES),
    st.datetimes().map(lambda d: d.isoformat()),
    st.integers(min_value=-(2**66), max_value=2**66).map(str),
    st.text(max_size=25),
)
unix_times = st.one_of(
    st.integers(min_value=-(2**66), max_value=2**66),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([253402300800, 253402300799, -1, 0, "x", None, "1704110400"]),
)
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1252", "latin-1", "mac_roman"]
texts = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40
)  # includes NUL, RTL marks, emoji
depths = st.one_of(st.integers(min_value=1, max_value=60), st.sampled_from([900, 1000, 5000, 100_000]))


def nested(depth: int, kind: str) -> str:
    """A JSON value nested ``depth`` levels (lists, objects or both alternating)."""
    if kind == "list":
        return "[" * depth + "]" * depth
    if kind == "object":
        return '{"a":' * depth + "1" + "}" * depth
    return '{"a":[' * (depth // 2) + "1" + "]}" * (depth // 2)


# ------------------------------------------------------------------------------------------- the harness
@pytest.fixture(scope="module")
def fuzz_ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    ws = Workspace.open(tmp_path_factory.mktemp("fuzz") / "ws", create=True)
    with ws.connect():
        pass
    return ws


def _state(ws: Workspace) -> tuple[dict[str, int], int]:
    return counts(ws), int(ws.query("SELECT count(*) AS n FROM imports")["n"][0])


_INVARIANTS = {
    "negative, NaN or infinite metric": "SELECT count(*) AS n FROM post_metrics WHERE source = $s AND ("
    + " OR ".join(f"{m} < 0" for m in ("impressions", "reach", "likes", "comments", "shares", "saves", "views"))
    + ")",
    "negative, NaN or infinite weight": "SELECT count(*) AS n FROM interactions WHERE source = $s AND "
    "(NOT isfinite(weight) OR weight < 0)",
    "time past year 9999": "SELECT (SELECT count(*) FROM posts WHERE source = $s AND created_at >= '9999-12-30') + "
    "(SELECT count(*) FROM interactions WHERE source = $s AND occurred_at >= '9999-12-30') + "
    "(SELECT count(*) FROM post_metrics WHERE source = $s AND observed_at >= '9999-12-30') AS n",
}


def attempt(name: str, ws: Workspace, path: Path, **kwargs: Any) -> None:
    """Import ``path``: a clear refusal that changed nothing, or a load that stored nothing impossible."""
    CASES[name] = CASES.get(name, 0) + 1
    before = _state(ws)
    try:
        [result] = import_files(ws, [path], progress=False, lock_timeout=5, **kwargs)
    except SignalboostError as exc:
        assert exc.what, "an error must say what went wrong"
        assert _state(ws) == before, f"refused ({exc}) but the workspace changed"
        return
    for what, sql in _INVARIANTS.items():
        found = int(ws.query(sql.replace("$s", f"'{result.import_id}'"))["n"][0])
        assert found == 0, f"stored a {what} ({path}: {_head(path)})"


def _head(path: Path) -> str:
    """The start of a fuzzed file, for the failure message (hypothesis shows no fixture-made values)."""
    return repr(path.read_bytes()[:300]) if path.is_file() else f"folder {sorted(p.name for p in path.iterdir())}"


def _fresh(base: Path, name: str) -> Path:
    target = base / name
    if target.exists():
        shutil.rmtree(target) if target.is_dir() else target.unlink()
    return target


def _copy_export(tmp: Path, name: str) -> Path:
    target = _fresh(tmp, name)
    shutil.copytree(INGEST_DATA / name, target)
    return target


# ------------------------------------------------------------------------------------------- numbers
@FUZZ
@given(fav=json_numbers, rts=json_numbers)
def test_fuzz_x_archive_counts(
    fuzz_ws: Workspace, tmp_path_factory: pytest.TempPathFactory, fav: Any, rts: Any
) -> None:
    folder = _copy_export(tmp_path_factory.getbasetemp(), "x-archive")
    tweet = {"id_str": "77", "created_at": "Wed Oct 10 20:19:24 +0000 2018", "full_text": "hi"}
    tweet |= {"favorite_count": fav, "retweet_count": rts}
    (folder / "data" / "tweets-part5.js").write_text(
        "window.YTD.tweets.part5 = " + json.dumps([{"tweet": tweet}]), encoding="utf-8"
    )
    attempt("x-archive numbers", fuzz_ws, folder)


@FUZZ
@given(cells=st.lists(st.tuples(numbers, numbers), min_size=1, max_size=6))
def test_fuzz_generic_csv_counts(
    fuzz_ws: Workspace, tmp_path_factory: pytest.TempPathFactory, cells: list[tuple[str, str]]
) -> None:
    f = _fresh(tmp_path_factory.getbasetemp(), "fuzz-posts.csv")
    rows = [f'n{i},2024-01-0{1 + i % 9},"{a}","{b}"' for i, (a, b) in enumerate(cells)]
    f.write_text("post_id,created_at,likes,comments\n" + "\n".join(r.replace("\x00", "") for r in rows) + "\n")
    attempt("generic numbers", fuzz_ws, f, platform="fuzz")


@FUZZ
@given(weights=st.lists(numbers, min_size=1, max_size=6))
def test_fuzz_edge_list_weights(
    fuzz_ws: Workspace, tmp_path_factory: pytest.TempPathFactory, weights: list[str]
) -> None:
    f = _fresh(tmp_path_factory.getbasetemp(), "fuzz-retweet.edges")
    lines = [f"{i} {i + 1} {w}".rstrip() for i, w in enumerate(weights)]
    f.write_text("\n".join(line.replace("\x00", "") for line in lines) + "\n")
    attempt("edgelist weights", fuzz_ws, f, format="edgelist", platform="fuzz", kind="repost")


@FUZZ
@given(views=numbers, likes=numbers)
def test_fuzz_youtube_counts(
    fuzz_ws: Workspace, tmp_path_factory: pytest.TempPathFactory, views: str, likes: str
) -> None:
    folder = _fresh(tmp_path_factory.getbasetemp(), "Content 2024-01-01_2024-03-31 Fuzz")
    folder.mkdir()
    header = "Content,Video title,Video publish time,Duration,Views,Likes\n"
    row = f'fuzzvid0001,"t","Mar 5, 2024",60,"{views}","{likes}"\n'.replace("\x00", "")
    (folder / "Table data.csv").write_text(header + row, encoding="utf-8")
    attempt("youtube numbers", fuzz_ws, folder, format="youtube-content")


# ------------------------------------------------------------------------------------------- dates
@FUZZ
@given(when=dates)
def test_fuzz_x_archive_dates(fuzz_ws: Workspace, tmp_path_factory: pytest.TempPathFactory, when: str) -> None:
    f = _fresh(tmp_path_factory.getbasetemp(), "tweets.js")
    tweet = {"id_str": "78", "created_at": when, "full_text": "x", "favorite_count": "1"}
    f.write_text("window.YTD.tweets.part0 = " + json.dumps([{"tweet": tweet}]), encoding="utf-8")
    attempt("x-archive dates", fuzz_ws, f)


@FUZZ
@given(when=st.lists(dates, min_size=1, max_size=5))
def test_fuzz_generic_csv_dates(fuzz_ws: Workspace, tmp_path_factory: pytest.TempPathFactory, when: list[str]) -> None:
    f = _fresh(tmp_path_factory.getbasetemp(), "fuzz-dates.csv")
    body = "".join(f'd{i},"{w}",3\n' for i, w in enumerate(x.replace('"', "").replace("\x00", "") for x in when))
    f.write_text("post_id,created_at,likes\n" + body, encoding="utf-8")
    attempt("generic dates", fuzz_ws, f, platform="fuzz")


@FUZZ
@given(times=st.lists(st.one_of(unix_times.map(str), st.text(max_size=12)), min_size=1, max_size=5))
def test_fuzz_higgs_times(fuzz_ws: Workspace, tmp_path_factory: pytest.TempPathFactory, times: list[str]) -> None:
    f = _fresh(tmp_path_factory.getbasetemp(), "fuzz-higgs.txt")
    lines = [f"{i} {i + 1} {t} RT".replace("\x00", "") for i, t in enumerate(times)]
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    attempt("higgs times", fuzz_ws, f, format="higgs-activity", platform="fuzz")


@FUZZ
@given(when=dates, ts=unix_times)
def test_fuzz_mastodon_and_instagram_dates(
    fuzz_ws: Workspace, tmp_path_factory: pytest.TempPathFactory, when: str, ts: Any
) -> None:
    folder = _copy_export(tmp_path_factory.getbasetemp(), "mastodon")
    act = {"type": "Create", "published": when, "object": {"id": "https://f.example/users/b/statuses/9"}}
    (folder / "outbox.json").write_text(json.dumps({"type": "OrderedCollection", "orderedItems": [act]}))
    attempt("mastodon dates", fuzz_ws, folder)
    ig = _copy_export(tmp_path_factory.getbasetemp(), "instagram")
    posts = ig / "your_instagram_activity" / "content" / "posts_1.json"
    posts.write_text(json.dumps([{"media": [{"uri": "media/posts/1/fz.jpg", "creation_timestamp": ts}]}]))
    attempt("instagram dates", fuzz_ws, ig)


# ------------------------------------------------------------------------------------------- nesting
@FUZZ
@given(depth=depths, kind=st.sampled_from(["list", "object", "mixed"]), where=st.sampled_from(["x", "m", "ig", "g"]))
def test_fuzz_nesting(
    fuzz_ws: Workspace, tmp_path_factory: pytest.TempPathFactory, depth: int, kind: str, where: str
) -> None:
    base = tmp_path_factory.getbasetemp()
    deep = nested(depth, kind)
    if where == "x":
        path = _fresh(base, "tweets.js")
        path.write_text(f'window.YTD.tweets.part0 = [{{"tweet": {{"id_str": "1", "entities": {deep}}}}}]')
    elif where == "m":
        path = _copy_export(base, "mastodon")
        (path / "outbox.json").write_text(f'{{"type": "OrderedCollection", "orderedItems": [{deep}]}}')
    elif where == "ig":
        path = _copy_export(base, "instagram")
        (path / "your_instagram_activity" / "content" / "posts_1.json").write_text(f'[{{"media": {deep}}}]')
    else:
        path = _fresh(base, "fuzz-nested.jsonl")
        path.write_text(f'{{"post_id": "1", "created_at": "2024-01-01", "text": {deep}}}\n')
    attempt(f"nesting ({where})", fuzz_ws, path, **({"platform": "fuzz"} if where == "g" else {}))


# ------------------------------------------------------------------------------------------- JSON types
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=6),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=6,
)


def _x_with(value: Any, field: str, folder: Path) -> None:
    tweet: dict[str, Any] = {"id_str": "1", "created_at": "Wed Oct 10 20:19:24 +0000 2018", "full_text": "t"}
    files = {
        "account": ("account.js", "account", {"accountId": "9", "username": "b"}),
        "follower": ("follower.js", "follower", {"accountId": "8"}),
        "like": ("like.js", "like", {"tweetId": "7"}),
        "tweet": ("tweets.js", "tweet", tweet),
    }
    kind, _, key = field.partition(".")
    name, wrapper, record = files[kind]
    record = dict(record)
    if key.startswith("entities."):
        record["entities"] = {key.removeprefix("entities."): value}
    else:
        record[key] = value
    (folder / "data" / name).write_text(f"window.YTD.{wrapper}.part0 = " + json.dumps([{wrapper: record}, value]))


X_FIELDS = [
    "tweet.id_str", "tweet.created_at", "tweet.full_text", "tweet.entities.hashtags", "tweet.entities.user_mentions",
    "tweet.entities.media", "tweet.extended_entities", "tweet.in_reply_to_user_id_str", "account.accountId",
    "account.username", "account.createdAt", "follower.accountId", "like.tweetId",
]  # fmt: skip
M_FIELDS = ["tag", "attachment", "to", "cc", "content", "inReplyTo", "contentMap", "id", "url"]
IG_FIELDS = ["string_list_data", "media", "title", "creation_timestamp", "uri"]


@FUZZ
@given(value=json_values, target=st.sampled_from(["x", "mastodon", "instagram"]), pick=st.integers(0, 50))
def test_fuzz_json_types(
    fuzz_ws: Workspace, tmp_path_factory: pytest.TempPathFactory, value: Any, target: str, pick: int
) -> None:
    """A field holding a value of another JSON type (a number for a list, a list for a text …)."""
    base = tmp_path_factory.getbasetemp()
    if target == "x":
        path = _copy_export(base, "x-archive")
        _x_with(value, X_FIELDS[pick % len(X_FIELDS)], path)
    elif target == "mastodon":
        path = _copy_export(base, "mastodon")
        obj: dict[str, Any] = {"id": "https://a.example/users/b/statuses/1", M_FIELDS[pick % len(M_FIELDS)]: value}
        acts = [{"type": "Create", "published": "2024-01-01T00:00:00Z", "object": obj}, {"type": "Announce",
                "published": "2024-01-01T00:00:00Z", "object": value}]  # fmt: skip
        (path / "outbox.json").write_text(json.dumps({"type": "OrderedCollection", "orderedItems": acts}))
        (path / "likes.json").write_text(json.dumps({"orderedItems": value}))
    else:
        path = _copy_export(base, "instagram")
        field = IG_FIELDS[pick % len(IG_FIELDS)]
        rel = path / "connections" / "followers_and_following"
        (rel / "followers_1.json").write_text(json.dumps([{field: value}, value]))
        media = {"uri": "media/posts/1/a.jpg", "creation_timestamp": 1704110400, field: value}
        (path / "your_instagram_activity" / "content" / "posts_1.json").write_text(json.dumps([{"media": [media]}]))
    attempt(f"JSON types ({target})", fuzz_ws, path)


# ------------------------------------------------------------------------------------------- encodings
@FUZZ
@given(
    text=texts,
    encoding=st.sampled_from(ENCODINGS),
    junk=st.binary(max_size=12),
    target=st.sampled_from(["generic", "edgelist", "x", "mastodon"]),
)
def test_fuzz_encodings(
    fuzz_ws: Workspace, tmp_path_factory: pytest.TempPathFactory, text: str, encoding: str, junk: bytes, target: str
) -> None:
    base = tmp_path_factory.getbasetemp()
    cell = text.replace('"', "'")
    body = {
        "generic": f'post_id,created_at,text\n1,2024-01-01,"{cell}"\n',
        "edgelist": f"a{cell.split()[0] if cell.split() else 'x'} b 1\n",
        "x": 'window.YTD.tweets.part0 = [{"tweet": '
        + json.dumps({"id_str": "5", "created_at": "Wed Oct 10 20:19:24 +0000 2018", "full_text": text})
        + "}]",
        "mastodon": json.dumps({"type": "OrderedCollection", "orderedItems": [{"type": "Create", "content": text}]}),
    }[target]
    data = body.encode(encoding, errors="replace") + junk
    names = {"generic": "fuzz-enc.csv", "edgelist": "fuzz-enc-retweet.edges", "x": "tweets.js"}
    if target == "mastodon":
        path = _copy_export(base, "mastodon")
        (path / "outbox.json").write_bytes(data)
    else:
        path = _fresh(base, names[target])
        path.write_bytes(data)
    kwargs = {"x": {}, "mastodon": {}, "edgelist": {"format": "edgelist", "kind": "repost"}}.get(target, {})
    attempt(f"encodings ({target})", fuzz_ws, path, platform=None if target in ("x", "mastodon") else "fuzz", **kwargs)


# ------------------------------------------------------------------------------------------- zip structures
member_names = st.one_of(
    st.sampled_from(
        [
            "data/tweets.js",
            "../../evil.js",
            "/etc/passwd",
            "C:/x.js",
            "data\\..\\..\\x.js",
            "outbox.json",
            "actor.json",
            "a/" * 60 + "tweets.js",
            "tweets.js\x00.txt",
            "data/",
            "Table data.csv",
        ]
    ),
    st.text(alphabet="abc/._-", min_size=1, max_size=20),
)
damages = st.sampled_from(["none", "crc", "truncate", "size", "garbage-tail", "zip-in-zip"])


def _damage(data: bytes, how: str, cut: int) -> bytes:
    if how == "crc":
        pos = data.find(b"PK\x01\x02")
        if pos >= 0:
            return data[: pos + 16] + bytes([data[pos + 16] ^ 0xFF]) + data[pos + 17 :]
    if how == "size":
        pos = data.find(b"PK\x01\x02")
        if pos >= 0:
            return data[: pos + 24] + b"\x05\x00\x00\x00" + data[pos + 28 :]
    if how == "truncate":
        return data[: max(4, cut % max(len(data), 1))]
    if how == "garbage-tail":
        return data + b"\x00PK\x05\x06" * 3
    if how == "zip-in-zip":
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as zf:
            zf.writestr("inner.zip", data)
        return buf.getvalue()
    return data


@FUZZ
@given(
    members=st.lists(st.tuples(member_names, st.binary(max_size=200)), min_size=0, max_size=5),
    base_export=st.sampled_from(["x-archive", "mastodon", "instagram", None]),
    damage=damages,
    cut=st.integers(min_value=0, max_value=10**6),
    method=st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED]),
)
def test_fuzz_zip_structures(
    fuzz_ws: Workspace,
    tmp_path_factory: pytest.TempPathFactory,
    members: list[tuple[str, bytes]],
    base_export: str | None,
    damage: str,
    cut: int,
    method: int,
) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as zf:
        if base_export:
            for p in sorted((INGEST_DATA / base_export).rglob("*")):
                if p.is_file():
                    zf.write(p, p.relative_to(INGEST_DATA / base_export).as_posix())
        for name, content in members:
            zf.writestr(name, content)
    path = _fresh(tmp_path_factory.getbasetemp(), "fuzz.zip")
    path.write_bytes(_damage(buf.getvalue(), damage, cut))
    attempt("zip structures", fuzz_ws, path)


@FUZZ
@given(payload=st.binary(max_size=300), cut=st.integers(min_value=0, max_value=400), forced=st.booleans())
def test_fuzz_gzip_streams(
    fuzz_ws: Workspace, tmp_path_factory: pytest.TempPathFactory, payload: bytes, cut: int, forced: bool
) -> None:
    data = gzip.compress(b"1 2 1341100972 RT\n" + payload)
    path = _fresh(tmp_path_factory.getbasetemp(), "fuzz-activity.txt.gz")
    path.write_bytes(data[: max(2, cut)] if cut < len(data) else data)
    attempt("gzip streams", fuzz_ws, path, platform="fuzz", **({"format": "higgs-activity"} if forced else {}))
