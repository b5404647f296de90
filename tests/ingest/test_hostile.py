"""Issue 18, importers: damaged zips, hostile numbers, deep nesting, decompression and reject caps, empty files.

Each test reproduces one break of the attack report (it failed before the fix) and checks the clear, located
refusal or the per-row reject that replaced it, and that a refused import left the workspace as it was.
"""

from __future__ import annotations

import gzip
import io
import os
import shutil
import struct
import time
import zipfile
from pathlib import Path

import pytest

from signalboost.errors import IngestError, UsageError
from signalboost.ingest import import_files
from signalboost.ingest.limits import Limits, parse_size
from signalboost.store.workspace import Workspace

from .conftest import INGEST_DATA, counts

YOUTUBE = INGEST_DATA / "Content 2024-01-01_2024-03-31 Brand Co"
#: (export folder, the member to damage) per zip-based importer.
EXPORTS = {
    "x": (INGEST_DATA / "x-archive", "data/tweets.js"),
    "mastodon": (INGEST_DATA / "mastodon", "outbox.json"),
    "instagram": (INGEST_DATA / "instagram", "connections/followers_and_following/followers_1.json"),
    "youtube": (YOUTUBE, "Table data.csv"),
}


def _state(ws: Workspace) -> tuple[dict[str, int], int]:
    return counts(ws), int(ws.query("SELECT count(*) AS n FROM imports")["n"][0])


def zip_folder(folder: Path, target: Path, *, method: int = zipfile.ZIP_DEFLATED) -> Path:
    """The export folder as a zip (member names relative to the folder)."""
    with zipfile.ZipFile(target, "w", method) as zf:
        for p in sorted(folder.rglob("*")):
            if p.is_file():
                zf.write(p, p.relative_to(folder).as_posix())
    return target


def _central_entry(data: bytes, member: str) -> int:
    """Offset of ``member``'s central-directory header (PKWARE APPNOTE 4.3.12)."""
    pos = data.find(b"PK\x01\x02")
    while pos >= 0:
        name_len = struct.unpack_from("<H", data, pos + 28)[0]
        if data[pos + 46 : pos + 46 + name_len].decode() == member:
            return pos
        pos = data.find(b"PK\x01\x02", pos + 4)
    raise AssertionError(member)


def flip_crc(path: Path, member: str) -> None:
    """Corrupt the stored CRC-32 of ``member`` (central directory and local header)."""
    data = bytearray(path.read_bytes())
    entry = _central_entry(bytes(data), member)
    local = struct.unpack_from("<I", data, entry + 42)[0]
    for off in (entry + 16, local + 14):
        data[off] ^= 0xFF
    path.write_bytes(bytes(data))


def declare_size(path: Path, member: str, size: int) -> None:
    """Make ``member`` declare a false uncompressed size (central directory and local header)."""
    data = bytearray(path.read_bytes())
    entry = _central_entry(bytes(data), member)
    local = struct.unpack_from("<I", data, entry + 42)[0]
    struct.pack_into("<I", data, entry + 24, size)
    struct.pack_into("<I", data, local + 22, size)
    path.write_bytes(bytes(data))


# ------------------------------------------------------------------------------------------- 8: damaged zips
@pytest.mark.parametrize("platform", sorted(EXPORTS))
@pytest.mark.parametrize("damage", ["crc", "size-smaller", "size-larger"])
def test_damaged_zip_member_is_a_located_error(
    platform: str, damage: str, workspace: Workspace, tmp_path: Path
) -> None:
    folder, member = EXPORTS[platform]
    archive = zip_folder(folder, tmp_path / f"{platform}.zip")
    real = zipfile.ZipFile(archive).getinfo(member).file_size
    if damage == "crc":
        flip_crc(archive, member)
    else:
        declare_size(archive, member, real - 7 if damage == "size-smaller" else real + 5000)
    before = _state(workspace)
    with pytest.raises(IngestError) as err:
        import_files(workspace, [archive], progress=False, platform="youtube" if platform == "youtube" else None)
    assert err.value.where == f"{archive}!{member}"
    assert "damaged" in err.value.what or "declared size" in err.value.what
    assert "Re-download" in (err.value.hint or "")
    assert _state(workspace) == before


def test_dashboard_upload_of_a_damaged_zip_says_what(workspace: Workspace, tmp_path: Path) -> None:
    from signalboost.web.uploads import JobRegistry

    archive = zip_folder(INGEST_DATA / "x-archive", tmp_path / "x.zip")
    flip_crc(archive, "data/tweets.js")
    jobs = JobRegistry(workspace, max_bytes=10 * 1024**2)
    job, path = jobs.store("twitter-archive.zip", io.BytesIO(archive.read_bytes()))
    jobs.start(job, path, wait=True)
    assert job.phase == "failed"
    assert job.error is not None and "unexpected" not in job.error
    assert "CRC-32" in job.error and "data/tweets.js" in job.error
    assert _state(workspace) == ({t: 0 for t in counts(workspace)}, 0)


# ------------------------------------------------------------------------------------------- 9: numbers
HOSTILE_COUNTS = ["NaN", "1e400", "99999999999999999999999", "-5", "1.5", "inf", "-0.5", "12abc"]


@pytest.mark.parametrize("value", HOSTILE_COUNTS)
def test_x_archive_bad_favorite_count_is_a_reject(value: str, workspace: Workspace, tmp_path: Path) -> None:
    folder = tmp_path / "x"
    shutil.copytree(INGEST_DATA / "x-archive", folder)
    tweets = folder / "data" / "tweets.js"
    text = tweets.read_text(encoding="utf-8")
    assert text.count('"favorite_count" : "12"') == 1
    tweets.write_text(text.replace('"favorite_count" : "12"', f'"favorite_count" : "{value}"'), encoding="utf-8")
    [res] = import_files(workspace, [folder], progress=False)
    rejects = workspace.query("SELECT file, line, reason FROM rejects WHERE reason LIKE '%favorite_count%'").rows()
    # tweet 11 is record 1 of data/tweets.js
    assert rejects == [(f"{folder}/data/tweets.js", 1, rejects[0][2])]
    assert value[:5] in rejects[0][2] or "negative" in rejects[0][2]
    posts = set(workspace.query("SELECT post_id FROM posts")["post_id"].to_list())
    assert "11" not in posts and "12" in posts  # the bad record is out, the good ones load
    assert res.rows_rejected == 2  # the fixture's own bad record + this one


def test_x_archive_good_counts_load_exactly(workspace: Workspace, tmp_path: Path) -> None:
    folder = tmp_path / "x"
    shutil.copytree(INGEST_DATA / "x-archive", folder)
    tweets = folder / "data" / "tweets.js"
    big = 2**63 - 1
    text = tweets.read_text(encoding="utf-8").replace('"favorite_count" : "12"', f'"favorite_count" : "{big}"')
    tweets.write_text(text, encoding="utf-8")
    import_files(workspace, [folder], progress=False)
    assert workspace.query("SELECT likes FROM post_metrics WHERE post_id = '11'")["likes"].to_list() == [big]


@pytest.mark.parametrize("value", HOSTILE_COUNTS)
def test_generic_csv_bad_count_cell_is_a_reject_and_the_rest_loads(
    value: str, workspace: Workspace, tmp_path: Path
) -> None:
    f = tmp_path / "posts.csv"
    f.write_text(f"post_id,created_at,likes\n1,2024-01-01,3\n2,2024-01-02,{value}\n3,2024-01-03,4\n")
    [res] = import_files(workspace, [f], progress=False, platform="x")
    assert workspace.query("SELECT post_id, likes FROM post_metrics ORDER BY 1").rows() == [("1", 3), ("3", 4)]
    assert workspace.query("SELECT line, reason FROM rejects").rows() == [
        (3, f"likes (likes): '{value}' is not a count (a whole number from 0)")
    ]
    assert res.rows_rejected == 1


def test_generic_csv_counts_are_exact(workspace: Workspace, tmp_path: Path) -> None:
    f = tmp_path / "posts.csv"
    f.write_text(
        'post_id,created_at,likes\n1,2024-01-01,"1,234"\n2,2024-01-02,1e3\n3,2024-01-03,9223372036854775807\n'
        "4,2024-01-04,12.0\n5,2024-01-05,n/a\n"
    )
    import_files(workspace, [f], progress=False, platform="x")
    rows = workspace.query("SELECT post_id, likes FROM post_metrics ORDER BY 1").rows()
    assert rows == [("1", 1234), ("2", 1000), ("3", 2**63 - 1), ("4", 12), ("5", None)]


@pytest.mark.parametrize("weight", ["-5", "NaN", "inf", "-inf", "1e400"])
def test_edge_list_bad_weight_is_a_reject(weight: str, workspace: Workspace, tmp_path: Path) -> None:
    f = tmp_path / "edges.txt"
    f.write_text(f"1 2 3\n3 4 {weight}\n5 6 0.5\n")
    [res] = import_files(workspace, [f], progress=False, format="edgelist", kind="repost", platform="x")
    assert workspace.query("SELECT actor_id, weight FROM interactions ORDER BY 1").rows() == [("1", 3.0), ("5", 0.5)]
    assert workspace.query("SELECT line, reason FROM rejects").rows() == [
        (2, f"weight {weight} is not a finite number from 0")
    ]
    assert res.rows_rejected == 1


@pytest.mark.parametrize("weight", ["-5", "NaN", "inf"])
def test_generic_interactions_bad_weight_is_a_reject(weight: str, workspace: Workspace, tmp_path: Path) -> None:
    f = tmp_path / "interactions.csv"
    f.write_text(f"actor_id,kind,target_account_id,weight\na,like,b,2\nc,like,d,{weight}\n")
    import_files(workspace, [f], progress=False, platform="x")
    assert workspace.query("SELECT actor_id, weight FROM interactions").rows() == [("a", 2.0)]
    [(line, reason)] = workspace.query("SELECT line, reason FROM rejects").rows()
    assert line == 3 and f"'{weight}' is not a finite number from 0" in reason


def test_youtube_bad_count_is_a_reject(workspace: Workspace, tmp_path: Path) -> None:
    folder = tmp_path / "Content 2024-01-01_2024-03-31 Brand Co"
    shutil.copytree(YOUTUBE, folder)
    table = folder / "Table data.csv"
    lines = table.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    view_col = next(i for i, h in enumerate(header) if h.strip().lower() in ("views", "vues"))
    target = next(i for i, ln in enumerate(lines[1:], start=1) if not ln.lower().startswith("total"))
    cells = lines[target].split(",")
    cells[view_col] = "1e400"
    lines[target] = ",".join(cells)
    table.write_text("\n".join(lines) + "\n", encoding="utf-8")
    import_files(workspace, [folder], progress=False, format="youtube-content")
    reasons = workspace.query("SELECT reason FROM rejects")["reason"].to_list()
    assert any("1e400" in r or "inf" in r for r in reasons), reasons


# ------------------------------------------------------------------------------------------- 10: nesting
def test_mastodon_outbox_100000_deep_is_refused_quickly(workspace: Workspace, tmp_path: Path) -> None:
    folder = tmp_path / "mastodon"
    shutil.copytree(INGEST_DATA / "mastodon", folder)
    depth = 100_000
    (folder / "outbox.json").write_text(
        '{"type": "OrderedCollection", "orderedItems": ' + "[" * depth + "]" * depth + "}", encoding="utf-8"
    )
    before = _state(workspace)
    t0 = time.perf_counter()
    with pytest.raises(IngestError, match="nested too deeply") as err:
        import_files(workspace, [folder], progress=False)
    assert time.perf_counter() - t0 < 5  # the issue asks for 1 s; generous for a loaded CI machine
    assert err.value.where is not None and err.value.where.endswith("outbox.json")
    assert _state(workspace) == before


def test_mastodon_outbox_deep_objects_inside_an_activity(workspace: Workspace, tmp_path: Path) -> None:
    """Nesting the parser accepts (900 levels) inside a record must not crash the code walking it either."""
    folder = tmp_path / "mastodon"
    shutil.copytree(INGEST_DATA / "mastodon", folder)
    deep = '{"a": ' * 900 + "1" + "}" * 900
    act = '{"type": "Create", "published": "2024-01-01T00:00:00Z", "object": ' + deep + "}"
    (folder / "outbox.json").write_text(
        '{"type": "OrderedCollection", "orderedItems": [' + act + "]}", encoding="utf-8"
    )
    before = _state(workspace)
    try:
        import_files(workspace, [folder], progress=False)
    except IngestError as exc:
        assert "nested too deeply" in exc.what
        assert _state(workspace) == before


# ------------------------------------------------------------------------------------------- 11: caps
def _bomb_csv(rows: int) -> bytes:
    return b"post_id,created_at,likes\n" + b"1,2024-01-01,x\n" * rows


def test_zip_over_the_decompression_limit_is_refused_before_inflating(workspace: Workspace, tmp_path: Path) -> None:
    archive = zip_folder(INGEST_DATA / "x-archive", tmp_path / "x.zip")
    with zipfile.ZipFile(archive, "a", zipfile.ZIP_DEFLATED) as zf:
        noise = os.urandom(3 * 1024**2 // 2).hex().encode()  # compresses about 2x: under the ratio cap
        zf.writestr("data/tweets-part9.js", b'window.YTD.tweets.part9 = ["' + noise + b'"]')
    before = _state(workspace)
    with pytest.raises(IngestError, match="decompression limit") as err:
        import_files(workspace, [archive], progress=False, limits=Limits(max_uncompressed=1024**2))
    assert err.value.where == f"{archive}!data/tweets-part9.js"
    assert "SIGNALBOOST_MAX_UNCOMPRESSED" in (err.value.hint or "")
    assert _state(workspace) == before
    # the same archive under the default limit imports
    [res] = import_files(workspace, [archive], progress=False)
    assert res.rows_loaded > 0


def test_gzip_over_the_decompression_limit_is_refused(workspace: Workspace, tmp_path: Path) -> None:
    f = tmp_path / "edges-retweet.txt.gz"
    line = b"1 2\n"
    with gzip.open(f, "wb") as gz:
        gz.write(line * (3 * 1024**2 // len(line)))
    before = _state(workspace)
    with pytest.raises(IngestError, match="decompression limit"):
        import_files(workspace, [f], progress=False, platform="x", limits=Limits(max_uncompressed=1024**2))
    assert _state(workspace) == before


def test_gzip_bomb_ratio_is_refused_early(workspace: Workspace, tmp_path: Path) -> None:
    """80 MiB of one repeated line compresses about 1000x: refused past 64 MiB without writing the rest."""
    f = tmp_path / "edges-retweet.txt.gz"
    with gzip.open(f, "wb", compresslevel=9) as gz:
        chunk = b"1 2\n" * (1024**2 // 4)
        for _ in range(80):
            gz.write(chunk)
    assert f.stat().st_size < 1024**2
    before = _state(workspace)
    with pytest.raises(IngestError, match="expands"):
        import_files(workspace, [f], progress=False, platform="x")
    assert _state(workspace) == before


def test_rejects_kept_are_capped_and_the_rest_counted(workspace: Workspace, tmp_path: Path) -> None:
    f = tmp_path / "posts.csv"
    f.write_bytes(_bomb_csv(250) + b"2,2024-01-02,5\n")
    [res] = import_files(workspace, [f], progress=False, platform="x", limits=Limits(max_rejects=100))
    assert res.rows_rejected == 250
    assert int(workspace.query("SELECT count(*) AS n FROM rejects")["n"][0]) == 100
    assert workspace.query("SELECT min(line) AS a, max(line) AS b FROM rejects").rows() == [(2, 101)]
    assert any("first 100" in w for w in res.warnings)
    assert workspace.query("SELECT rows_rejected FROM imports")["rows_rejected"].to_list() == [250]
    assert workspace.query("SELECT post_id, likes FROM post_metrics").rows() == [("2", 5)]


def test_python_rejects_are_capped_too(workspace: Workspace, tmp_path: Path) -> None:
    folder = tmp_path / "x"
    shutil.copytree(INGEST_DATA / "x-archive", folder)
    bad = ",".join(f'{{"tweet": {{"id_str": "9{i}"}}}}' for i in range(30))
    (folder / "data" / "tweets-part2.js").write_text(f"window.YTD.tweets.part2 = [{bad}]", encoding="utf-8")
    [res] = import_files(workspace, [folder], progress=False, limits=Limits(max_rejects=5))
    assert res.rows_rejected == 31  # 30 here + the fixture's own
    assert int(workspace.query("SELECT count(*) AS n FROM rejects")["n"][0]) == 5


def test_limits_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SIGNALBOOST_MAX_UNCOMPRESSED", "2GiB")
    monkeypatch.setenv("SIGNALBOOST_MAX_REJECTS", "50")
    assert Limits.from_env() == Limits(max_uncompressed=2 * 1024**3, max_rejects=50)
    assert parse_size("800MB", where="x") == 800_000_000
    assert parse_size("1048576", where="x") == 1024**2
    monkeypatch.setenv("SIGNALBOOST_MAX_UNCOMPRESSED", "lots")
    with pytest.raises(UsageError, match="not a size"):
        Limits.from_env()


# ------------------------------------------------------------------------------------------- 14: empty files
@pytest.mark.parametrize(
    ("fmt", "extra"),
    [("higgs-activity", {}), ("edgelist", {"kind": "follows", "platform": "x"}), ("generic", {"platform": "x"})],
)
@pytest.mark.parametrize("content", [b"", b"  \n\n", gzip.compress(b"")], ids=["empty", "blank", "empty-gz"])
def test_empty_file_with_a_forced_format_is_refused(
    fmt: str, extra: dict[str, str], content: bytes, workspace: Workspace, tmp_path: Path
) -> None:
    f = tmp_path / ("data.txt.gz" if content.startswith(b"\x1f\x8b") else "data.txt")
    f.write_bytes(content)
    before = _state(workspace)
    with pytest.raises(IngestError, match="empty"):
        import_files(workspace, [f], progress=False, format=fmt, **extra)  # type: ignore[arg-type]
    with pytest.raises(IngestError, match="empty"):
        import_files(workspace, [f], progress=False, **extra)  # type: ignore[arg-type]
    assert _state(workspace) == before


def test_import_memory_follows_a_csv_size_within_its_bounds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """DuckDB's memory cap of an import: 1.5x a CSV's size, from 256 MB to 1 GB; 1 GB for what is not a plain CSV
    (a JSON array is buffered whole); SIGNALBOOST_IMPORT_MEMORY overrides. Sparse files: no disk used."""
    from signalboost.ingest.limits import import_memory

    monkeypatch.delenv("SIGNALBOOST_IMPORT_MEMORY", raising=False)
    sizes = {"small.csv": 10_000, "mid.csv": 400_000_000, "big.tsv": 2_000_000_000, "array.json": 10_000}
    for name, size in sizes.items():
        with (tmp_path / name).open("wb") as fh:
            fh.truncate(size)
    assert import_memory(tmp_path / "small.csv") == 256_000_000
    assert import_memory(tmp_path / "mid.csv") == 600_000_000
    assert import_memory(tmp_path / "big.tsv") == 1_000_000_000
    assert import_memory(tmp_path / "array.json") == 1_000_000_000
    assert import_memory(tmp_path) == 1_000_000_000  # an export folder
    monkeypatch.setenv("SIGNALBOOST_IMPORT_MEMORY", "300MB")
    assert import_memory(tmp_path / "small.csv") == import_memory(tmp_path / "array.json") == 300_000_000
    monkeypatch.setenv("SIGNALBOOST_IMPORT_MEMORY", "lots")
    with pytest.raises(UsageError, match="not a size"):
        import_memory(tmp_path / "small.csv")


def test_keyed_merge_and_commit_memory_make_room_for_the_index(monkeypatch: pytest.MonkeyPatch) -> None:
    """A first merge into a table with a PRIMARY KEY: the cap plus room for its ART index (80 B + 1.5 B per key
    byte per key) and 128 MB; the commit: twice the index in memory + 128 MB; at least the current cap, at most the
    fixed one; SIGNALBOOST_IMPORT_MEMORY, when set, is the cap throughout (hand-computed values)."""
    from signalboost.ingest.limits import commit_memory, keyed_merge_memory

    monkeypatch.delenv("SIGNALBOOST_IMPORT_MEMORY", raising=False)
    # 100 MB of index already, 2M keys of 16 bytes: 100e6 + 2e6 * (80 + 24) + 128e6
    assert keyed_merge_memory(256_000_000, 100_000_000, 2_000_000, 16.0) == 436_000_000
    assert keyed_merge_memory(500_000_000, 100_000_000, 2_000_000, 16.0) == 500_000_000  # never below the cap
    assert keyed_merge_memory(256_000_000, 0, 10, 3.0) == 256_000_000  # a small file: the sized cap suffices
    assert keyed_merge_memory(256_000_000, 0, 10_000_000, 16.0) == 1_000_000_000  # never above the fixed cap
    assert commit_memory(256_000_000, 231_000_000) == 590_000_000  # 2 * 231e6 + 128e6
    assert commit_memory(256_000_000, 0) == 256_000_000  # follows, interactions: no index, the sized cap
    assert commit_memory(256_000_000, 600_000_000) == 1_000_000_000
    monkeypatch.setenv("SIGNALBOOST_IMPORT_MEMORY", "300MB")
    assert keyed_merge_memory(256_000_000, 0, 10_000_000, 16.0) == commit_memory(1, 10**9) == 300_000_000


def test_an_import_out_of_memory_under_the_sized_cap_runs_again_under_the_fixed_one(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the cap sized to the file is too small (here forced to 24 MB, with no room added for the index), the
    import is rolled back and run once more under the fixed cap: every row stored once, the same counts and
    notes as a plain run, plus a note saying so. With SIGNALBOOST_IMPORT_MEMORY set, the user's cap is kept and
    the error reported (nothing stored)."""
    from signalboost.ingest import pipeline
    from signalboost.store import ingest_sql

    n = 300_000
    path = tmp_path / "posts.csv"
    lines = [f"p{i},2021-03-04 05:06:07,post {i} #t{i % 7},{i % 50}" for i in range(n)]
    lines.insert(0, "post_id,created_at,text,likes")
    path.write_text("\n".join(lines) + "\n")
    monkeypatch.delenv("SIGNALBOOST_IMPORT_MEMORY", raising=False)
    monkeypatch.setattr(pipeline, "import_memory", lambda p: 24_000_000)
    monkeypatch.setattr(ingest_sql, "keyed_merge_memory", lambda current, *rest: current)
    [res] = import_files(workspace, [path], platform="x", progress=False)
    assert (res.rows_read, res.rows_loaded, res.rows_rejected) == (n, 2 * n, 0)
    assert res.per_table == {"posts": (n, 0, 0), "post_metrics": (n, 0, 0)}
    assert sum("ran out of memory" in note for note in res.notes) == 1
    assert sum("encoding: utf-8" in note for note in res.notes) == 1  # the first attempt's notes are not repeated
    assert counts(workspace)["posts"] == n and counts(workspace)["post_metrics"] == n
    with workspace.connect(purpose="read") as con:
        assert con.execute("SELECT count(*), count(DISTINCT import_id) FROM imports").fetchall() == [(1, 1)]
        assert con.execute("SELECT hashtags FROM posts WHERE post_id = 'p9'").fetchall() == [(["t2"],)]

    other = Workspace.open(tmp_path / "other", create=True)
    monkeypatch.setenv("SIGNALBOOST_IMPORT_MEMORY", "24MB")
    with pytest.raises(IngestError, match="Out of Memory"):
        import_files(other, [path], platform="x", progress=False)
    assert sum(counts(other).values()) == 0


def test_the_arrow_schemas_are_the_fields_in_arrow_types() -> None:
    """``SCHEMAS`` (built from ``FIELDS`` on first use, so a CSV import never loads pyarrow) has every table's
    columns in order, with types whose Arrow names are the ones ``FIELDS`` gives and SQL maps to DuckDB types."""
    import pyarrow as pa

    from signalboost.ingest.base import FIELDS, SCHEMAS
    from signalboost.store.ingest_sql import duck_type

    assert set(SCHEMAS) == set(FIELDS)
    for table, cols in FIELDS.items():
        assert [(f.name, str(f.type)) for f in SCHEMAS[table]] == list(cols)
    assert SCHEMAS["posts"].field("hashtags").type == pa.list_(pa.string())
    assert SCHEMAS["interactions"].field("occurred_at").type == pa.timestamp("us", tz="UTC")
    assert duck_type("posts", "hashtags") == "VARCHAR[]" and duck_type("interactions", "weight") == "DOUBLE"


def test_a_csv_import_loads_neither_pyarrow_nor_polars(tmp_path: Path) -> None:
    """A whole ``signalboost import`` of a CSV (read by DuckDB) in a fresh process never imports pyarrow or polars
    (~60 MB of the import's peak memory), nor numpy unless the file has a text column (DuckDB needs numpy for the
    mojibake repair function, registered only then)."""
    import subprocess
    import sys

    ws = tmp_path / "ws"
    init = [sys.executable, "-m", "signalboost.cli.main", "init", str(ws), "--template", "blank"]
    subprocess.run(init, capture_output=True, check=True)
    files = {
        "follows.csv": ("follower_id,followee_id\n1,2\n2,3\n", "loaded 2", "[]"),
        "posts.csv": (
            "post_id,created_at,text,likes\np1,2024-05-01 10:00:00,hello #a,3\n"
            "p2,2024-05-02 10:00:00,caf\u00c3\u00a9,\n",
            "loaded 4",  # 2 posts + 2 metrics rows
            "['numpy']",
        ),
    }
    for name, (text, loaded, modules) in files.items():
        data = tmp_path / name
        data.write_text(text, encoding="utf-8")
        script = (
            "import sys\nfrom signalboost.cli.main import main\n"
            f"code = main(['import', {str(data)!r}, '-w', {str(ws)!r}, '-p', 'x', '--no-progress'])\n"
            "print(sorted(m for m in ('pyarrow', 'polars', 'numpy') if m in sys.modules))\nsys.exit(code)\n"
        )
        out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
        assert out.stdout.strip().splitlines()[-1] == modules
        assert loaded in out.stdout
    with Workspace.open(ws).connect() as con:  # the mojibake repaired by the function registered for the text
        assert con.execute("SELECT text FROM posts ORDER BY post_id").fetchall() == [("hello #a",), ("café",)]
