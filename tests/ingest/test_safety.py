"""Bad input changes nothing: empty, binary, truncated, wrong format, zip traversal and bombs; atomic imports."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
import zipfile
from pathlib import Path

import pytest

from signalboost.errors import IngestError, WorkspaceLockedError
from signalboost.ingest import import_files
from signalboost.store.workspace import Workspace

from .conftest import counts

EMPTY = {t: 0 for t in ("accounts", "account_snapshots", "posts", "post_metrics", "follows", "interactions", "rejects")}


def _imports(ws: Workspace) -> int:
    return int(ws.query("SELECT count(*) FROM imports").item())


def _assert_untouched(ws: Workspace) -> None:
    assert counts(ws) == EMPTY
    assert _imports(ws) == 0


def test_empty_file(workspace: Workspace, tmp_path: Path) -> None:
    empty = tmp_path / "posts.csv"
    empty.write_bytes(b"")
    with pytest.raises(IngestError, match="empty"):
        import_files(workspace, [empty], progress=False)
    _assert_untouched(workspace)


def test_binary_file(workspace: Workspace, tmp_path: Path) -> None:
    blob = tmp_path / "photo.jpg"
    blob.write_bytes(bytes(range(256)) * 64)
    with pytest.raises(IngestError, match="binary"):
        import_files(workspace, [blob], progress=False)
    _assert_untouched(workspace)


def test_binary_file_with_commas(workspace: Workspace, tmp_path: Path) -> None:
    blob = tmp_path / "data.bin"
    blob.write_bytes(b"\x00\x01,\x02,\x03" * 500)
    with pytest.raises(IngestError, match="binary"):
        import_files(workspace, [blob], progress=False)
    _assert_untouched(workspace)


def test_unknown_zip_and_folder(workspace: Workspace, tmp_path: Path) -> None:
    other = tmp_path / "holiday.zip"
    with zipfile.ZipFile(other, "w") as zf:
        zf.writestr("notes.txt", "a,b\n1,2\n")
    with pytest.raises(IngestError, match="cannot tell which export format"):
        import_files(workspace, [other], progress=False)
    folder = tmp_path / "photos"
    folder.mkdir()
    (folder / "a.txt").write_text("hello")
    with pytest.raises(IngestError, match="cannot tell which export format"):
        import_files(workspace, [folder], progress=False)
    _assert_untouched(workspace)


def test_missing_file(workspace: Workspace, tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="no such file"):
        import_files(workspace, [tmp_path / "nope.csv"], progress=False)


def test_truncated_x_archive_names_file_and_position(workspace: Workspace, ingest_data: Path, tmp_path: Path) -> None:
    part = tmp_path / "tweets.js"
    text = (ingest_data / "x-archive" / "data" / "tweets.js").read_text()
    part.write_text(text[: len(text) // 2])
    with pytest.raises(IngestError, match=r"truncated|invalid JSON") as err:
        import_files(workspace, [part], progress=False)
    assert "tweets.js:" in str(err.value)
    _assert_untouched(workspace)


def test_truncated_archive_member_rolls_back_earlier_batches(
    workspace: Workspace, ingest_data: Path, tmp_path: Path
) -> None:
    # tweets.js is fine and staged first; like.js is truncated: nothing of the archive may be kept.
    import shutil

    broken = tmp_path / "broken"
    shutil.copytree(ingest_data / "x-archive", broken)
    like = broken / "data" / "like.js"
    like.write_text(like.read_text()[:-30])
    with pytest.raises(IngestError, match=r"like\.js"):
        import_files(workspace, [broken], progress=False)
    _assert_untouched(workspace)


def test_wrong_format_forced(workspace: Workspace, ingest_data: Path) -> None:
    with pytest.raises(IngestError):
        import_files(workspace, [ingest_data / "uci_small.csv"], format="x-archive", progress=False)
    _assert_untouched(workspace)


def test_unknown_format_name(workspace: Workspace, ingest_data: Path) -> None:
    with pytest.raises(IngestError, match="unknown format"):
        import_files(workspace, [ingest_data / "uci_small.csv"], format="myspace", progress=False)


def test_zip_path_traversal_refused(workspace: Workspace, tmp_path: Path) -> None:
    evil = tmp_path / "twitter.zip"
    with zipfile.ZipFile(evil, "w") as zf:
        zf.writestr("data/tweets.js", "window.YTD.tweets.part0 = []")
        zf.writestr("../../etc/evil.sh", "echo pwned")
    with pytest.raises(IngestError, match="path traversal"):
        import_files(workspace, [evil], progress=False)
    _assert_untouched(workspace)
    assert not (tmp_path.parent / "etc").exists()


def test_zip_bomb_refused(workspace: Workspace, tmp_path: Path) -> None:
    bomb = tmp_path / "twitter.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("data/tweets.js", "window.YTD.tweets.part0 = []")
        zf.writestr("data/like.js", b"\0" * (8 * 1024 * 1024))  # 8 MiB of zeros compress ~1000x
    with pytest.raises(IngestError, match="zip bomb"):
        import_files(workspace, [bomb], progress=False)
    _assert_untouched(workspace)


def test_second_import_waits_then_refuses_clearly(workspace: Workspace, ingest_data: Path) -> None:
    held = threading.Event()
    release = threading.Event()

    def hold() -> None:
        with workspace.connect(purpose="test holder"):
            held.set()
            release.wait(10)

    t = threading.Thread(target=hold)
    t.start()
    try:
        held.wait(10)
        with pytest.raises(WorkspaceLockedError, match="busy"):
            import_files(workspace, [ingest_data / "uci_small.csv"], progress=False, lock_timeout=0.3)
    finally:
        release.set()
        t.join()
    # Once the other holder is done, the import goes through.
    [res] = import_files(workspace, [ingest_data / "uci_small.csv"], progress=False)
    assert res.rows_loaded > 0


_CHILD = textwrap.dedent(
    """
    import sys
    from signalboost.store.workspace import Workspace
    from signalboost.ingest import import_files
    import_files(Workspace.open(sys.argv[1]), [sys.argv[2]], platform="x", progress=False)
    """
)


def _big_csv(path: Path, rows: int) -> None:
    import duckdb

    con = duckdb.connect()
    con.execute(
        f"COPY (SELECT 'u' || (i % 50000) AS actor_id, 'v' || (i % 7919) AS target_account_id, "
        f"['like', 'reply', 'repost'][1 + (i % 3)::INT] AS kind, "
        f"strftime(TIMESTAMP '2024-01-01' + to_seconds(i), '%Y-%m-%d %H:%M:%S') AS occurred_at "
        f"FROM range({rows}) t(i)) TO '{path}' (HEADER)"
    )
    con.close()


@pytest.mark.slow
def test_kill_mid_import_then_reimport_equals_clean(tmp_path: Path) -> None:
    data = tmp_path / "interactions.csv"
    _big_csv(data, 1_500_000)
    ws = Workspace.open(tmp_path / "ws", create=True)
    import_files(ws, [Path(__file__).parents[1] / "data" / "ingest" / "higgs_small.txt"], progress=False)
    before = counts(ws)
    child = subprocess.Popen([sys.executable, "-c", _CHILD, str(ws.root), str(data)])
    lock = ws.root / ".signalboost.lock"
    holder = f"pid {child.pid} (import interactions.csv)".encode()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and (lock.read_bytes() if lock.exists() else b"") != holder:
        time.sleep(0.01)
    assert lock.read_bytes() == holder, "the child never started its import"
    time.sleep(0.5)  # inside the import's transaction (it takes seconds)
    assert child.poll() is None, "the import finished before it could be killed; use a larger file"
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    assert counts(ws) == before  # nothing partial was kept
    import_files(ws, [data], platform="x", progress=False)
    after_recovery = counts(ws)
    clean = Workspace.open(tmp_path / "clean", create=True)
    import_files(clean, [Path(__file__).parents[1] / "data" / "ingest" / "higgs_small.txt"], progress=False)
    import_files(clean, [data], platform="x", progress=False)
    assert after_recovery == counts(clean)
    assert after_recovery["interactions"] == before["interactions"] + 1_500_000
