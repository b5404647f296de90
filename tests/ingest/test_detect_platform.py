"""Detection never overrides an explicit ``--platform``: a file named like another network's export
(``followers.csv`` is Mastodon's name) is read as the user's own table of that platform."""

from __future__ import annotations

from pathlib import Path

import pytest

from signalboost.errors import SignalboostError
from signalboost.ingest import import_files
from signalboost.store.workspace import Workspace

CORPUS = Path(__file__).resolve().parents[1] / "data" / "ingest" / "corpus"


def _followers(tmp_path: Path) -> Path:
    path = tmp_path / "followers.csv"
    path.write_text("follower_id,followee_id\nana,brand\nbo,brand\n", encoding="utf-8")
    return path


def test_followers_csv_with_platform_instagram_is_read_as_instagram_follows(tmp_path: Path) -> None:
    ws = Workspace.open(tmp_path / "ws", create=True)
    [res] = import_files(ws, [_followers(tmp_path)], platform="instagram", kind="follows", progress=False)
    assert res.format == "generic"
    assert res.per_table == {"follows": (2, 0, 0)}
    got = ws.query("SELECT platform, follower_id, followee_id FROM follows ORDER BY 2").rows()
    assert got == [("instagram", "ana", "brand"), ("instagram", "bo", "brand")]
    assert any("named like a mastodon export (mastodon-csv)" in n for n in res.notes), res.notes


def test_a_file_whose_content_names_its_format_keeps_it_whatever_the_platform(tmp_path: Path) -> None:
    """Mastodon's own header says Mastodon whatever the name, and Higgs lines are Higgs under any --platform."""
    ws = Workspace.open(tmp_path / "ws", create=True)
    path = tmp_path / "followers.csv"
    path.write_text("Account address,Show boosts,Notify on new posts,Languages\nana@example.social,true,false,\n")
    with pytest.raises(SignalboostError, match="whose follows are these"):
        import_files(ws, [path], platform="instagram", progress=False)
    higgs = Path(__file__).resolve().parents[1] / "data" / "ingest" / "higgs_small.txt"
    [res] = import_files(ws, [higgs], platform="mastodon", progress=False)
    assert res.format == "higgs-activity"


def test_followers_csv_without_a_platform_is_still_taken_for_mastodons(tmp_path: Path) -> None:
    ws = Workspace.open(tmp_path / "ws", create=True)
    with pytest.raises(SignalboostError, match="whose follows are these"):
        import_files(ws, [_followers(tmp_path)], progress=False)
    with pytest.raises(SignalboostError, match="whose follows are these"):
        import_files(ws, [_followers(tmp_path)], platform="mastodon", progress=False)


def test_a_format_that_loads_the_platform_asked_for_is_still_detected(tmp_path: Path) -> None:
    """Meta's post CSV loads Instagram posts as well as Facebook's: -p instagram keeps it."""
    ws = Workspace.open(tmp_path / "ws", create=True)
    [res] = import_files(ws, [CORPUS / "meta" / "posts_business_suite.csv"], platform="instagram", progress=False)
    assert res.format == "meta-posts"
