"""Images, alt text and threads refused at calendar time (attach, thread, approve) with a clear message, before
anything could be sent. Fast: no network is needed to refuse."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from signalboost.cli.main import main
from signalboost.connect.media import Image, Part, attach, detach, load_parts, problems, set_thread
from signalboost.connect.publish import approve
from signalboost.errors import ConnectError
from signalboost.plan.posts import PlannedPost
from signalboost.plan.service import post_to_row
from signalboost.store import plan_sql, post_media_sql
from signalboost.store.workspace import Workspace
from tests.connect.images import write_png

WHEN = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def _ws(tmp_path: Path, network: str = "bluesky", draft: str = "Linen week") -> Workspace:
    ws = Workspace.open(tmp_path / "ws", create=True)
    post = PlannedPost(
        id="sb-media0000001",
        network=network,
        kind="own",
        scheduled_at=WHEN,
        timezone="UTC",
        slot="2026-03-02T09:00",
        format="photo",
        draft=draft,
        status="planned",
    )
    with ws.transaction() as con:
        plan_sql.upsert_planned(con, [post_to_row(post, WHEN)])
    return ws


def _status(ws: Workspace) -> str:
    with ws.connect() as con:
        return str(con.execute("SELECT status FROM planned_posts").fetchone()[0])


def _sized(path: Path, size: int) -> Path:
    """A PNG padded to exactly ``size`` bytes (the size limit counts the file's bytes)."""
    write_png(path)
    data = path.read_bytes()
    path.write_bytes(data + b"\0" * (size - len(data)))
    return path


def test_attach_stores_a_workspace_relative_path_and_marks_the_post_drafted(tmp_path: Path) -> None:
    ws = _ws(tmp_path)
    png = write_png(ws.root / "media" / "a.png")
    parts = attach(ws, "sb-media", png, "  A shirt  ")
    assert parts == [Part("Linen week", (Image("media/a.png", "A shirt"),))]
    assert _status(ws) == "drafted"  # re-planning keeps it
    assert approve(ws, "sb-media0000001").status == "approved"


def test_an_image_missing_on_disk_is_refused_at_approval(tmp_path: Path) -> None:
    ws = _ws(tmp_path)
    png = write_png(ws.root / "media" / "gone.png")
    attach(ws, "sb-media0000001", png, "A shirt")
    png.unlink()
    with pytest.raises(ConnectError, match=r"image media/gone\.png: no such file in the workspace"):
        approve(ws, "sb-media0000001")
    assert _status(ws) == "drafted"


def test_no_alt_text_is_refused_at_attach_and_at_approval(tmp_path: Path) -> None:
    ws = _ws(tmp_path)
    png = write_png(ws.root / "a.png")
    with pytest.raises(ConnectError, match=r"image a\.png: no alt text"):
        attach(ws, "sb-media0000001", png, "   ")
    assert load_parts(ws, "sb-media0000001", "Linen week")[0].images == ()  # nothing attached
    with ws.transaction() as con:  # stored by another way (an older version, the database by hand)
        post_media_sql.add_media(con, "sb-media0000001", 0, "a.png", "")
    with pytest.raises(ConnectError, match="no alt text"):
        approve(ws, "sb-media0000001")
    assert _status(ws) == "planned"


@pytest.mark.parametrize("network", ["bluesky", "mastodon"])
def test_a_fifth_image_is_refused(tmp_path: Path, network: str) -> None:
    ws = _ws(tmp_path, network)
    for i in range(4):
        attach(ws, "sb-media0000001", write_png(ws.root / f"{i}.png"), f"image {i}")
    with pytest.raises(ConnectError, match=f"5 images; {network} allows 4 a post"):
        attach(ws, "sb-media0000001", write_png(ws.root / "4.png"), "image 4")
    with ws.transaction() as con:
        post_media_sql.add_media(con, "sb-media0000001", 0, "4.png", "image 4")
    with pytest.raises(ConnectError, match=f"5 images; {network} allows 4"):
        approve(ws, "sb-media0000001")
    detach(ws, "sb-media0000001")
    assert approve(ws, "sb-media0000001").status == "approved"


def test_bluesky_size_limit_is_one_million_bytes(tmp_path: Path) -> None:
    ws = _ws(tmp_path)
    attach(ws, "sb-media0000001", _sized(ws.root / "exact.png", 1_000_000), "At the limit")  # accepted
    big = _sized(ws.root / "big.png", 1_000_001)
    with pytest.raises(ConnectError, match=r"image big\.png: 1,000,001 bytes; bluesky allows 1,000,000"):
        attach(ws, "sb-media0000001", big, "One byte too many")
    assert approve(ws, "sb-media0000001").status == "approved"
    # the file grew after it was attached: approval checks again
    _sized(ws.root / "exact.png", 1_000_001)
    with pytest.raises(ConnectError, match="1,000,001 bytes; bluesky allows 1,000,000"):
        approve(ws, "sb-media0000001")


def test_the_same_2_mb_image_is_too_big_for_bluesky_and_fine_for_mastodon(tmp_path: Path) -> None:
    _sized(tmp_path / "two-mb.png", 2_000_000)
    part = [Part("x", (Image("two-mb.png", "alt"),))]
    assert problems(part, "mastodon", tmp_path) == []
    assert problems(part, "bluesky", tmp_path) == [
        "the post, image two-mb.png: 2,000,000 bytes; bluesky allows 1,000,000 (resize or compress it)"
    ]


def test_a_thread_part_over_the_length_limit_is_refused(tmp_path: Path) -> None:
    ws = _ws(tmp_path)
    flag = "\U0001f1eb\U0001f1f7"  # one grapheme, two code points
    set_thread(ws, "sb-media0000001", ["2/ fine", flag * 300, "4/ " + "x" * 298])
    with pytest.raises(ConnectError) as info:
        approve(ws, "sb-media0000001")
    assert "thread part 3: the text is 301 characters long; bluesky allows 300" in info.value.message()
    assert "thread part 2" not in info.value.message()  # 300 flags are 300 graphemes: allowed
    assert _status(ws) == "drafted"
    set_thread(ws, "sb-media0000001", ["2/ fine", flag * 300, "4/ short"])
    assert approve(ws, "sb-media0000001").status == "approved"


def test_every_problem_is_listed_at_once(tmp_path: Path) -> None:
    parts = [Part("", (Image("a.gif", ""),)), Part("y" * 301, (Image("b.bmp", "alt"),))]
    write_png(tmp_path / "a.gif")
    assert problems(parts, "bluesky", tmp_path) == [
        "the post: the post has no text. Write the post with `signalboost calendar draft`",
        "the post, image a.gif: no alt text (describe the image with --alt)",
        "thread part 1: the text is 301 characters long; bluesky allows 300. Shorten it by 1 (counted as bluesky "
        "counts: graphemes)",
        "thread part 1, image b.bmp: not a JPEG, PNG, GIF or WebP image",
        f"thread part 1, image b.bmp: no such file in the workspace ({tmp_path / 'b.bmp'})",
    ]


def test_threads_are_refused_on_mastodon(tmp_path: Path) -> None:
    ws = _ws(tmp_path, "mastodon")
    with pytest.raises(ConnectError, match="mastodon posts cannot be threads here"):
        set_thread(ws, "sb-media0000001", ["2/ more"])
    with ws.transaction() as con:
        post_media_sql.replace_thread(con, "sb-media0000001", ["2/ more"])
    with pytest.raises(ConnectError, match="threads are published on Bluesky only"):
        approve(ws, "sb-media0000001")


def test_an_image_outside_the_workspace_or_missing_is_refused(tmp_path: Path) -> None:
    ws = _ws(tmp_path)
    outside = write_png(tmp_path / "elsewhere.png")
    with pytest.raises(ConnectError, match="outside the workspace folder"):
        attach(ws, "sb-media0000001", outside, "A shirt")
    with pytest.raises(ConnectError, match="no such image file"):
        attach(ws, "sb-media0000001", ws.root / "nope.png", "A shirt")
    with pytest.raises(ConnectError, match="has no part 1"):
        attach(ws, "sb-media0000001", write_png(ws.root / "in.png"), "A shirt", part=1)


def test_shortening_a_thread_drops_the_images_of_the_parts_gone(tmp_path: Path) -> None:
    ws = _ws(tmp_path)
    set_thread(ws, "sb-media0000001", ["2/ a", "3/ b"])
    attach(ws, "sb-media0000001", write_png(ws.root / "p2.png"), "On part 2", part=2)
    attach(ws, "sb-media0000001", write_png(ws.root / "p1.png"), "On part 1", part=1)
    parts = set_thread(ws, "sb-media0000001", ["2/ a"])
    assert parts == [Part("Linen week"), Part("2/ a", (Image("p1.png", "On part 1"),))]
    assert set_thread(ws, "sb-media0000001", []) == [Part("Linen week")]


def test_cli_attach_thread_and_a_refused_approval(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = _ws(tmp_path)
    monkeypatch.chdir(ws.root)
    write_png(ws.root / "media" / "shirt.png")
    w = ["-w", str(ws.root)]
    assert main(["calendar", "attach", "sb-media", "media/shirt.png", "--alt", "A linen shirt", *w]) == 0
    assert main(["calendar", "thread", "sb-media", "2/ Why linen", "z" * 301, *w]) == 0
    out = capsys.readouterr().out
    assert "image media/shirt.png — alt: A linen shirt" in out and "part 1: 2/ Why linen" in out
    assert main(["calendar", "approve", "sb-media", *w]) == 1
    err = " ".join(capsys.readouterr().err.split())
    assert "thread part 2: the text is 301 characters long; bluesky allows 300" in err
    assert "Traceback" not in err
    assert main(["calendar", "thread", "sb-media", *w]) == 0  # no text: a single post again
    assert main(["calendar", "approve", "sb-media", *w]) == 0
    assert main(["calendar", "attach", "sb-media", "media/shirt.png", *w]) == 2  # --alt is required
