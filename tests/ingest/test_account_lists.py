"""Account lists with follower counts (an influencer list, a tool's export, an agency's sheet) load into
``accounts`` through the generic importer: recognised from their headers, with ``--map``, idempotent, a later list
updating the counts, and the influence ranking reading its reach from them. Expected values are from the files."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from signalboost.errors import SignalboostError
from signalboost.ingest import import_files
from signalboost.store.workspace import Workspace

KIM_HEADER = "Username\tCategory\t#Followers\t#Followees\t#Posts\n" + "=" * 71 + "\n"


def _ws(tmp_path: Path) -> Workspace:
    return Workspace.open(tmp_path / "ws", create=True)


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_a_kim_style_list_loads_its_accounts_and_skips_the_rule(tmp_path: Path) -> None:
    ws = _ws(tmp_path)
    f = _write(
        tmp_path / "influencers.txt", KIM_HEADER + "alpha\tbeauty\t1432\t1089\t363\nbeta\tfood\t137600\t548\t569\n"
    )
    [res] = import_files(ws, [f], platform="instagram", progress=False)
    assert res.per_table["accounts"] == (2, 0, 0)
    assert res.rows_rejected == 0
    assert res.skipped == {"separator lines under the header (=====)": 1}
    rows = ws.query("SELECT account_id, handle, category, followers, following, posts_count FROM accounts ORDER BY 1")
    assert rows.rows() == [("alpha", "alpha", "beauty", 1432, 1089, 363), ("beta", "beta", "food", 137600, 548, 569)]


def test_a_bad_row_under_the_rule_is_a_reject_with_the_files_own_line(tmp_path: Path) -> None:
    ws = _ws(tmp_path)
    f = _write(tmp_path / "influencers.txt", KIM_HEADER + "alpha\tbeauty\t1432\t1089\t363\nbeta\tfood\t-5\t548\t569\n")
    [res] = import_files(ws, [f], platform="instagram", progress=False)
    assert res.rows_rejected == 1
    [rej] = ws.table("rejects").to_dicts()
    assert rej["line"] == 4  # header 1, rule 2, alpha 3, beta 4
    assert "followers (#Followers): '-5'" in rej["reason"]


def test_reimporting_a_list_changes_nothing_and_a_later_list_updates_the_counts(tmp_path: Path) -> None:
    ws = _ws(tmp_path)
    first = _write(tmp_path / "list.txt", KIM_HEADER + "alpha\tbeauty\t1000\t10\t5\nbeta\tfood\t2000\t20\t6\n")
    t1, t2 = datetime(2024, 1, 1, tzinfo=UTC), datetime(2024, 6, 1, tzinfo=UTC)
    import_files(ws, [first], platform="instagram", progress=False, observed_at=t1)
    [again] = import_files(ws, [first], platform="instagram", progress=False)  # observed now: later, same counts
    assert again.per_table == {"accounts": (0, 2, 0)}
    assert ws.query("SELECT count(*) FROM account_snapshots").item() == 2
    assert ws.query("SELECT count(DISTINCT observed_at) FROM accounts").item() == 1
    later = _write(tmp_path / "later.txt", KIM_HEADER + "alpha\tbeauty\t1500\t10\t9\nbeta\tfood\t2000\t20\t6\n")
    [res] = import_files(ws, [later], platform="instagram", progress=False, observed_at=t2)
    assert any("1 accounts already stored have other counts" in n for n in res.notes), res.notes
    got = ws.query("SELECT account_id, followers, posts_count, observed_at FROM accounts ORDER BY 1").rows()
    assert got == [("alpha", 1500, 9, t2), ("beta", 2000, 6, t2)]  # a list with its own time confirms beta's
    history = ws.query("SELECT followers FROM account_snapshots WHERE account_id = 'alpha' ORDER BY observed_at")
    assert history.to_series().to_list() == [1000, 1500]
    assert ws.query("SELECT count(*) FROM account_snapshots WHERE account_id = 'beta'").item() == 1


def test_an_account_list_with_other_names_loads_with_map(tmp_path: Path) -> None:
    ws = _ws(tmp_path)
    f = _write(tmp_path / "sheet.csv", "Creator,Audience size,Country\n@ana.g,5400,NO\nbo_k,77,SE\n")
    with pytest.raises(SignalboostError):  # nothing says what the columns are
        import_files(ws, [f], platform="instagram", progress=False)
    mapping = {"account_id": "Creator", "followers": "Audience size"}
    [res] = import_files(ws, [f], platform="instagram", mapping=mapping, progress=False)
    assert res.per_table["accounts"] == (2, 0, 0)
    assert ws.query("SELECT account_id, followers FROM accounts ORDER BY 1").rows() == [("ana.g", 5400), ("bo_k", 77)]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("1.2K", 1200),
        ("3.4M", 3400000),
        ("12K", 12000),
        ("2B", 2000000000),
        ("1.25m", 1250000),
        ('"1,2K"', 1200),  # the decimal comma before a suffix
        ("1.234567M", 1234567),
        ('"12,345"', 12345),
        ("12 345", 12345),
    ],
)
def test_counts_as_tools_print_them_are_read_as_printed(tmp_path: Path, cell: str, expected: int) -> None:
    ws = _ws(tmp_path)
    f = _write(tmp_path / "list.csv", f"Handle,Followers\nana,{cell}\n")
    [res] = import_files(ws, [f], platform="instagram", progress=False)
    assert res.rows_rejected == 0
    assert ws.query("SELECT followers FROM accounts").item() == expected


@pytest.mark.parametrize("cell", ["1.2345K", "1.5", "K", "1.2KK", "-1K", '"1,23"', "1.2.3K"])
def test_counts_that_are_not_whole_or_not_numbers_are_rejects(tmp_path: Path, cell: str) -> None:
    ws = _ws(tmp_path)
    f = _write(tmp_path / "list.csv", f"Handle,Followers\nana,{cell}\nbo,10\n")
    [res] = import_files(ws, [f], platform="instagram", progress=False)
    assert res.rows_rejected == 1
    assert ws.query("SELECT account_id FROM accounts").to_series().to_list() == ["bo"]
    [rej] = ws.table("rejects").to_dicts()
    assert rej["line"] == 2 and "followers (Followers)" in rej["reason"]


def test_a_posts_file_keeps_its_author_and_ignores_account_like_columns(tmp_path: Path) -> None:
    """SFM's tweet export has followers_count / friends_count beside each tweet: still a posts file."""
    ws = _ws(tmp_path)
    f = _write(
        tmp_path / "tweets.csv",
        "twitter_id,created_at,screen_name,followers_count,friends_count,text\n1,2020-05-08T10:00:00Z,nasa,235,114,hi\n",
    )
    [res] = import_files(ws, [f], platform="x", progress=False)
    assert set(res.per_table) == {"posts"}
    assert ws.query("SELECT author_id FROM posts").item() == "nasa"
    assert ws.query("SELECT count(*) FROM accounts").item() == 0


def test_mapping_an_account_field_on_a_posts_file_is_refused(tmp_path: Path) -> None:
    ws = _ws(tmp_path)
    f = _write(tmp_path / "posts.csv", "post_id,created_at,text,Fans\n1,2020-05-08,hi,10\n")
    with pytest.raises(SignalboostError, match="followers is a field of an account list"):
        import_files(ws, [f], platform="x", mapping={"followers": "Fans"}, progress=False)
    assert ws.query("SELECT count(*) FROM posts").item() == 0


def test_influence_reads_its_reach_from_the_imported_follower_counts(tmp_path: Path) -> None:
    """Kim's list + posts: the ranking is no longer refused, and its reach is the list's follower counts."""
    from signalboost.influence.job import load_data
    from signalboost.influence.score import compute_influence

    ws = _ws(tmp_path)
    lst = _write(tmp_path / "influencers.txt", KIM_HEADER + "big\tfood\t90000\t10\t5\nsmall\tfood\t1200\t10\t5\n")
    posts = _write(
        tmp_path / "posts.csv",
        "post_id,username,taken_at_timestamp,like_count,comment_count,caption\n"
        "1,big,1557925200,500,10,a\n2,small,1557925300,40,2,b\n3,big,1557926200,600,20,c\n",
    )
    import_files(ws, [lst, posts], platform="instagram", progress=False)
    table = compute_influence(load_data(ws, "instagram")).table
    followers = dict(zip(table["account_id"].to_list(), table["followers"].to_list(), strict=True))
    assert followers["big"] == 90000 and followers["small"] == 1200
    ranks = dict(zip(table["account_id"].to_list(), table["reach"].to_list(), strict=True))
    assert ranks["big"] > ranks["small"]


def test_kim_influencer_list_loads_whole(shared_data: Path, tmp_path: Path) -> None:
    """The real list (SOURCE.md: 33,935 influencers, followers 1,000 … 96,476,007, median 16,125; fashion 11,911)."""
    path = shared_data / "instagram-influencers-kim2020" / "influencers.txt"
    if not path.exists():
        pytest.skip("Kim et al.'s influencer list is not in the shared data")
    ws = _ws(tmp_path)
    [res] = import_files(ws, [path], platform="instagram", progress=False)
    assert res.per_table["accounts"] == (33935, 0, 0)
    assert res.rows_rejected == 0 and sum(res.skipped.values()) == 1
    low, high, median = ws.query("SELECT min(followers), max(followers), median(followers) FROM accounts").row(0)
    assert (low, high, median) == (1000, 96476007, 16125)
    assert ws.query("SELECT count(*) FROM accounts WHERE category = 'fashion'").item() == 11911


# ------------------------------------------------------------------ influencer tools' names (session 10)
@pytest.mark.parametrize(
    ("header", "row", "expected"),
    [
        # HypeAuditor's report fields (followings_count), and Daasity's documented copy of it (total_*)
        ("username,followers_count,followings_count,posts_count", "ann,10,20,30", (10, 20, 30)),
        ("username,total_followers,total_following,total_posts", "ann,10,20,30", (10, 20, 30)),
        # camelCase exports of discovery tools
        ("username,followerCount,followingCount,mediaCount", "ann,10,20,30", (10, 20, 30)),
        ("username,followersCount,followingsCount,postsCount", "ann,10,20,30", (10, 20, 30)),
    ],
)
def test_influencer_tools_count_names_fill_every_count(
    tmp_path: Path, header: str, row: str, expected: tuple[int, int, int]
) -> None:
    ws = _ws(tmp_path)
    f = _write(tmp_path / "list.csv", f"{header}\n{row}\n")
    [res] = import_files(ws, [f], platform="instagram", progress=False)
    assert res.per_table["accounts"] == (1, 0, 0)
    assert ws.query("SELECT followers, following, posts_count FROM accounts").row(0) == expected


def test_a_lists_scraped_at_dates_its_snapshot_and_reimport_adds_nothing(tmp_path: Path) -> None:
    ws = _ws(tmp_path)
    f = _write(tmp_path / "list.csv", "username,followerCount,scrapedAt\nann,10,2024-05-02T09:30:00Z\n")
    [res] = import_files(ws, [f], platform="instagram", progress=False)
    assert not any("observed at the time of this import" in n for n in res.notes)
    when = ws.query("SELECT observed_at FROM account_snapshots").item()
    assert when == datetime(2024, 5, 2, 9, 30, tzinfo=UTC)
    [again] = import_files(ws, [f], platform="instagram", progress=False)
    assert again.per_table["accounts"] == (0, 1, 0)
    assert ws.query("SELECT count(*) FROM account_snapshots").item() == 1


def test_a_list_of_display_names_without_a_handle_is_refused_with_what_to_map(tmp_path: Path) -> None:
    ws = _ws(tmp_path)
    f = _write(tmp_path / "names.csv", "Name,Followers,Website\nOslo Eats,45210,https://osloeats.example\n")
    with pytest.raises(SignalboostError, match="cannot tell what the file holds") as info:
        import_files(ws, [f], platform="instagram", progress=False)
    assert "account_id+followers (an account list)" in (info.value.hint or "")
    assert ws.query("SELECT count(*) FROM accounts").item() == 0
