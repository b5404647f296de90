"""The --map grammar (constants, @me, parts of columns, mapping files), --kind honoured or refused, the brand's
time zone, dry runs that write nothing, and the sanity summary."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from signalboost.cli.ingest import parse_map
from signalboost.cli.main import app
from signalboost.errors import UsageError
from signalboost.ingest import import_files
from signalboost.store.workspace import Workspace

STRATEGY = """version: 1
brand:
  name: Acme
  timezone: Europe/Madrid
  handles:
    mastodon: "@acme@masto.test"
"""


def _brand(tmp_path: Path) -> Workspace:
    root = tmp_path / "brand"
    root.mkdir()
    (root / "strategy.yaml").write_text(STRATEGY)
    return Workspace.open(root)


def test_at_me_is_the_brands_account_and_naive_times_its_zone(tmp_path: Path) -> None:
    ws = _brand(tmp_path)
    follows = tmp_path / "following_accounts.csv"
    follows.write_text("Account address,Show boosts,Notify on new posts,Languages\nalice@example.social,true,false,\n")
    [res] = import_files(ws, [follows], progress=False)
    assert ws.follows()["follower_id"].to_list() == ["acme@masto.test"]
    assert res.format == "mastodon-csv"
    posts = tmp_path / "posts.csv"
    posts.write_text("post_id,created_at\np1,2024-01-15 10:00\n")
    [res] = import_files(ws, [posts], platform="x", progress=False)
    assert ws.posts()["created_at"][0] == datetime(2024, 1, 15, 9, tzinfo=UTC)  # 10:00 in Madrid (CET)
    assert any("Europe/Madrid (the brand's time zone" in n for n in res.notes)
    accounts = tmp_path / "accounts.csv"
    accounts.write_text("Account\nbob@other.org\n")
    import_files(
        ws, [accounts], platform="mastodon", mapping={"follower_id": "=@me", "followee_id": "Account"}, progress=False
    )
    assert sorted(ws.follows()["followee_id"].to_list()) == ["alice@example.social", "bob@other.org"]


def test_at_me_without_a_handle_is_refused(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "accounts.csv"
    path.write_text("Account\nbob@other.org\n")
    with pytest.raises(UsageError, match="needs the brand's own account"):
        import_files(
            workspace,
            [path],
            platform="mastodon",
            mapping={"follower_id": "=@me", "followee_id": "Account"},
            progress=False,
        )
    with pytest.raises(UsageError, match="whose follows are these"):
        (tmp_path / "following_accounts.csv").write_text("alice@example.social\n")
        import_files(workspace, [tmp_path / "following_accounts.csv"], progress=False)
    assert workspace.follows().height == 0


def test_mapping_file_with_parts_and_a_missing_column(workspace: Workspace, tmp_path: Path) -> None:
    from signalboost.ingest.formats.generic import load_mapping_file

    mapping = tmp_path / "page.yaml"
    mapping.write_text("post_id: status_id|after:_\nauthor_id: status_id|before:_\ncreated_at: when\n")
    path = tmp_path / "page.csv"
    path.write_text("status_id,when\n111_222,2020-05-08 10:00\nnounderscore,2020-05-08 11:00\n")
    import_files(workspace, [path], platform="facebook", mapping=load_mapping_file(mapping), progress=False)
    assert workspace.posts().select("post_id", "author_id").rows() == [("222", "111")]
    [rej] = workspace.table("rejects").to_dicts()
    assert rej["line"] == 3 and "post_id (status_id|after:_) is empty" in rej["reason"]
    assert parse_map(["author_id=id|before:_,platform==facebook"], None) == {
        "author_id": "id|before:_",
        "platform": "=facebook",
    }
    with pytest.raises(Exception, match="names column 'nope'"):
        import_files(workspace, [path], platform="facebook", mapping={"post_id": "nope|after:_"}, progress=False)


def test_kind_is_honoured_or_refused(workspace: Workspace, tmp_path: Path, ingest_data: Path) -> None:
    comments = tmp_path / "comments.csv"
    comments.write_text("author,video,when\nu1,v1,2024-05-01 10:00\n")
    with pytest.raises(UsageError, match="asks for interactions, but the mapped columns make this a posts file"):
        import_files(
            workspace, [comments], platform="youtube", kind="reply", mapping={"post_id": "video"}, progress=False
        )
    mapping = {"actor_id": "author", "target_post_id": "video", "occurred_at": "when"}
    import_files(workspace, [comments], platform="youtube", kind="reply", mapping=mapping, progress=False)
    assert workspace.interactions().select("actor_id", "kind", "target_post_id").rows() == [("u1", "reply", "v1")]
    with pytest.raises(UsageError, match="does not apply to a x-archive file"):
        import_files(workspace, [ingest_data / "x-archive"], kind="like", progress=False)
    assert workspace.posts().height == 0  # the refused import stored nothing


def test_dry_run_writes_nothing_and_shows_rows(tmp_path: Path) -> None:
    path = tmp_path / "fb.csv"
    path.write_text("post_id,created_at,likes\n1,8/1/12 7:38,3\n2,04/13/2018 04:53,5\nTotal,,8\n")
    result = CliRunner().invoke(app, ["import", str(path), "-p", "facebook", "-w", str(tmp_path / "ws"), "--dry-run"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Dry run" in out and "2012-08-01 07:38:00+00:00" in out and "month-first" in out
    assert "encoding: utf-8" in out and "skipped 1 summary rows" in out
    assert not (tmp_path / "ws").exists()


def test_sanity_summary_flags_ids_totals_and_sparse_columns(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "posts.csv"
    rows = ["post_id,created_at,likes,views,text"]
    rows += [f"p{i},2020-05-0{i} 10:00,{10 * i},{12345678901 + i},{'t' if i == 1 else ''}" for i in range(1, 5)]
    rows.append("p5,2020-05-05 10:00,100,1,")  # likes 100 = 10 + 20 + 30 + 40: a totals row?
    path.write_text("\n".join(rows) + "\n")
    [res] = import_files(workspace, [path], platform="x", progress=False)
    text = "\n".join(res.sanity)
    assert "posts.created_at: 2020-05-01 to 2020-05-05 (5 rows loaded)" in text
    assert "post_metrics.views: values up to 12,345,678,905 look like ids" in text
    assert "post_metrics.likes: one value (100) is the sum of all the others" in text
    assert "posts: mostly empty columns: text (1 of 5)" in text


def test_sanity_summary_checks_every_metric_column_quotes_included(workspace: Workspace, tmp_path: Path) -> None:
    """Every count of post_metrics is checked, the last added (quotes) as much as likes: a quotes column that
    holds ids, and one whose last row is the total of the others (3 + 4 + 5 = 12)."""
    path = tmp_path / "posts.csv"
    rows = ["post_id,created_at,quote_count,reply_count"]
    rows += [f"p{i},2020-05-0{i} 10:00,{98765432100 + i},{2 + i}" for i in range(1, 4)]
    rows.append("p4,2020-05-04 10:00,1,12")
    path.write_text("\n".join(rows) + "\n")
    [res] = import_files(workspace, [path], platform="x", progress=False)
    text = "\n".join(res.sanity)
    assert "post_metrics.quotes: values up to 98,765,432,103 look like ids" in text
    assert "post_metrics.comments: one value (12) is the sum of all the others" in text
