"""The stored scores (migration 030), the job on a workspace and the two commands."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import polars as pl
import pytest

from signalboost.cli.main import main
from signalboost.errors import InfluenceError
from signalboost.influence.job import influencer_profile, resolve_brand, run_influence, stored_influencers
from signalboost.store import influence_sql as sql
from signalboost.store.workspace import Workspace

T = dt.datetime(2024, 6, 30, 12, tzinfo=dt.UTC)


def fill(ws: Workspace, *, brand_flag: bool = True) -> None:
    """A small X-like workspace: brand B, followers f1..f3, a thought leader t, a fan."""
    h = dt.timedelta(hours=1)
    rows = [
        ("f1", "repost", "t"), ("f2", "repost", "t"), ("f3", "mention", "t"), ("f1", "mention", "t"),
        ("f2", "reply", "f1"), ("f3", "repost", "f1"), ("fan", "repost", "B"), ("fan", "mention", "B"),
        ("fan", "reply", "B"), ("f1", "mention", "B"),
    ]  # fmt: skip
    inter = pl.DataFrame(
        {
            "platform": "x",
            "actor_id": [a for a, _, _ in rows],
            "kind": [k for _, k, _ in rows],
            "target_account_id": [t for _, _, t in rows],
            "occurred_at": [T - i * h for i in range(len(rows))],
        }
    )
    follows = pl.DataFrame({"platform": "x", "follower_id": ["f1", "f2", "f3", "fan"], "followee_id": "B"})
    accounts = pl.DataFrame(
        {
            "platform": "x",
            "account_id": ["B", "f1", "f2", "f3", "t", "fan"],
            "handle": ["brand", "=cmd|' /C calc'!A0", "f2", "f3", "leader", "fan"],
            "followers": [5000, 20000, 300, 50, 90000, 10],
            "is_brand": [brand_flag, False, False, False, False, False],
        }
    )
    ws.strategy_path.write_text("version: 1\nbrand:\n  name: Brand\ninfluence:\n  influence_threshold: 60\n")
    with ws.transaction() as con:
        sql.insert_frame(con, "interactions", inter)
        sql.insert_frame(con, "follows", follows)
        sql.insert_frame(con, "accounts", accounts)


def test_run_writes_the_contract_columns_and_replaces_previous_run(workspace: Workspace) -> None:
    fill(workspace)
    res = run_influence(workspace)
    assert res.brand_id == "B"
    with workspace.connect() as con:
        cols = [r[0] for r in con.execute("DESCRIBE influence_scores").fetchall()]
        n1 = con.execute("SELECT count(*) FROM influence_scores").fetchone()[0]
    assert cols[:13] == [
        "platform", "account_id", "computed_at", "score", "reach", "authority", "amplification", "topic",
        "activity", "engagement", "follows_brand", "segment", "top_topics",
    ]  # fmt: skip
    run_influence(workspace)
    frame, run = stored_influencers(workspace)
    assert frame.height == n1 == 5  # 6 accounts, the brand B itself is not listed
    assert "B" not in frame["account_id"].to_list()
    assert run is not None and set(run["unavailable"]) == {"amplification", "topic"}
    # unavailable components are NULL, never 0
    assert frame["amplification"].null_count() == 5 and frame["topic"].null_count() == 5
    with workspace.connect() as con:
        assert con.execute("SELECT count(*) FROM influence_runs").fetchone()[0] >= 1
    seg = dict(zip(frame["account_id"].to_list(), frame["segment"].to_list(), strict=True))
    assert seg["t"] == "thought_leader"  # reposted and mentioned by the followers, does not follow B
    assert seg["fan"] == "fan"
    assert seg["f1"] == "advocate"  # follows B, influential, one mention of B: engaged (counted, not decayed)
    # with engagement at 2+ interactions and a tolerance of 1 (strategy.yaml), the single mention leaves f1 untapped
    workspace.strategy_path.write_text(
        "version: 1\nbrand:\n  name: Brand\ninfluence:\n  influence_threshold: 60\n  engagement_threshold: 2\n"
        "  untapped_tolerance: 1\n"
    )
    run_influence(workspace)
    frame, _ = stored_influencers(workspace)
    seg = dict(zip(frame["account_id"].to_list(), frame["segment"].to_list(), strict=True))
    assert seg["f1"] == "untapped" and seg["fan"] == "fan"
    assert frame["account_id"].to_list()[0] == "f1"  # untapped listed first


def test_brand_resolution_order(workspace: Workspace) -> None:
    fill(workspace, brand_flag=False)
    assert resolve_brand(workspace, "x").account_id is None
    workspace.strategy_path.write_text("version: 1\nbrand:\n  name: Brand\n  handles:\n    x: '@Brand'\n")
    who = resolve_brand(workspace, "x")
    assert who.account_id == "B" and "strategy.yaml" in who.how
    assert resolve_brand(workspace, "x", "f2").account_id == "f2"
    with pytest.raises(InfluenceError, match="no account 'nobody'"):
        resolve_brand(workspace, "x", "nobody")
    with workspace.transaction() as con:
        sql.mark_brand(con, "x", "f3")
    assert resolve_brand(workspace, "x").how == "accounts.is_brand"


def test_cli_influencers_json_csv_and_errors(workspace: Workspace, capsys: pytest.CaptureFixture[str]) -> None:
    fill(workspace)
    w = str(workspace.root)
    assert main(["influencers", "-w", w, "--format", "json", "--top", "3"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert len(doc["rows"]) == 3 and doc["run"]["brand_account_id"] == "B"
    assert main(["influencers", "-w", w, "--stored", "--format", "csv", "--segment", "untapped"]) == 0
    out = capsys.readouterr().out
    cells = [c for row in csv.reader(io.StringIO(out)) for c in row]
    assert not any(c.startswith("=") for c in cells)  # formula injection neutralised
    assert main(["influencers", "-w", w, "--segment", "untaped"]) == 1
    assert "did you mean" in capsys.readouterr().err.lower()
    assert main(["influencers", "-w", w, "--top", "0"]) == 2


def test_cli_on_empty_workspace_and_unknown_handle(workspace: Workspace, capsys: pytest.CaptureFixture[str]) -> None:
    w = str(workspace.root)
    assert main(["influencers", "-w", w]) == 1
    assert "signalboost import" in capsys.readouterr().err
    assert main(["influencer", "@nobody", "-w", w]) == 1
    assert "no account '@nobody'" in capsys.readouterr().err


def test_influencer_profile(workspace: Workspace, capsys: pytest.CaptureFixture[str]) -> None:
    fill(workspace)
    run_influence(workspace)
    prof = influencer_profile(workspace, "@FAN")
    assert prof.account_id == "fan" and prof.posts_observed == 3
    assert dict(prof.formats) == {"repost": 1, "mention": 1, "reply": 1}
    assert prof.weekday_hour.sum() == 3 and prof.advice[0].startswith("Not enough data: 3 post(s)")
    assert prof.score["segment"] == "fan"
    assert main(["influencer", "fan", "-w", str(workspace.root), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["engagement_over_time"][0]["interactions"] == 3
    assert main(["influencer", "leader", "-w", str(workspace.root)]) == 0


def test_cli_writes_the_quadrant_chart(workspace: Workspace, tmp_path) -> None:  # type: ignore[no-untyped-def]
    fill(workspace)
    out = tmp_path / "charts" / "quadrant.png"
    assert main(["influencers", "-w", str(workspace.root), "--chart", str(out), "--format", "json"]) == 0
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_bad_settings_and_options_are_clear_errors(workspace: Workspace, capsys: pytest.CaptureFixture[str]) -> None:
    fill(workspace)
    w = str(workspace.root)
    assert main(["influencer", "fan", "-w", w, "--every", "weekly"]) == 1
    assert "not a duration" in capsys.readouterr().err
    workspace.strategy_path.write_text(
        "version: 1\nbrand:\n  name: B\ninfluence:\n  weights: {reach: 0, authority: 0, activity: 0}\n"
    )
    assert main(["influencers", "-w", w]) == 1
    assert "weight 0" in capsys.readouterr().err
    workspace.strategy_path.write_text("version: 1\nbrand:\n  name: B\ninfluence:\n  weights: {reach: -1}\n")
    assert main(["influencers", "-w", w]) == 1
    assert "greater than or equal to 0" in capsys.readouterr().err
    assert main(["influencers", "-w", w, "--platform", "mastodon"]) == 1


def test_brand_accounts_are_not_listed_but_stay_in_the_graph(workspace: Workspace) -> None:
    fill(workspace)  # B is marked is_brand
    res = run_influence(workspace, brand="f2")  # f2 named as the brand: both are the brand's own accounts
    ids = set(res.table["account_id"].to_list())
    assert ids == {"f1", "f3", "t", "fan"}
    assert sum(res.summary()["segments"].values()) == 4  # type: ignore[attr-defined]


def test_cli_names_the_combination_rule(workspace: Workspace, capsys: pytest.CaptureFixture[str]) -> None:
    fill(workspace)
    w = str(workspace.root)
    assert main(["influencers", "-w", w]) == 0
    assert "influence.combine: tail" in " ".join(capsys.readouterr().out.split())
    workspace.strategy_path.write_text("version: 1\nbrand:\n  name: B\ninfluence:\n  combine: mean\n")
    assert main(["influencers", "-w", w]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "weighted mean (influence.combine: mean)" in out
    workspace.strategy_path.write_text("version: 1\nbrand:\n  name: B\ninfluence:\n  combine: median\n")
    assert main(["influencers", "-w", w]) == 1
    err = capsys.readouterr().err
    assert "combine" in err and "tail" in err


def test_readable_listing_all_rows_raw_values_and_precise_percentiles(
    workspace: Workspace, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from signalboost.cli.common import OutputFormat
    from signalboost.cli.influence import parse_top, percentile_text, top_share

    assert (
        percentile_text(99.99721) == "99.9972"
        and percentile_text(99.4) == "99.40"
        and percentile_text(98.5) == "98.5"
        and percentile_text(99.95) == "99.950"
    )
    assert top_share(1, 30_000) == "top 0.0033%" and top_share(3, 10) == "top 30%"
    assert parse_top(None, OutputFormat.table) == 20 and parse_top(None, OutputFormat.csv) is None
    assert parse_top(None, OutputFormat.json) == 20
    assert parse_top("all", OutputFormat.table) is None and parse_top("7", OutputFormat.json) == 7
    fill(workspace)
    w = str(workspace.root)
    assert main(["influencers", "-w", w, "--format", "csv"]) == 0  # every row, as the README says
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == 5
    by = {r["account_id"]: r for r in rows}
    # raw values: the follower counts of the accounts table (reach's audience), ranks by score 1..5
    assert float(by["t"]["audience"]) == 90000 and float(by["f3"]["followers"]) == 50
    assert by["t"]["attention"] == ""  # reach is the follower count alone here (no post metrics): no second factor
    assert sorted(int(r["rank"]) for r in rows) == [1, 2, 3, 4, 5] and by["t"]["rank"] == "1"
    assert main(["influencers", "-w", w, "--stored", "--top", "all", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert len(doc["rows"]) == 5 and doc["segments"]["advocate"] == 1
    monkeypatch.setenv("COLUMNS", "250")  # a wide terminal: every cell whole
    assert main(["influencers", "-w", w, "--stored", "--top", "all"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "@leader" in out and "1 (top 20%)" in out
    assert "advocate = influential and engaged" in out and "Segments: untapped 0" in out
    assert "untapped: 0 — every follower with score ≥ 60 interacted with the brand in the window" in out
    assert main(["influencer", "@leader", "-w", w]) == 0
    lines = [ln for ln in capsys.readouterr().out.splitlines() if ln.strip() and "─" not in ln]
    assert (
        lines[0].startswith("Score ") and "rank 1 of 5 (top 20%)" in lines[0] and "segment thought_leader" in lines[0]
    )


def test_cli_shows_the_reach_rule_on_interaction_only_data(
    workspace: Workspace, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # No follower counts, no follow graph: reach from D (distinct accounts interacting) and A (attention received).
    # "named": u and v mention it, u replies to it — D 2, 3 interactions, A = 3 · 2 = 6, (1 + 2)(1 + 6) = 21;
    # "shared": u, v, w repost it, u twice — D 3, 4 interactions, A = 4, (1 + 3)(1 + 4) = 20. So "named" ranks
    # first, where in-degree alone or the count received alone would put "shared" first.
    rows = [("u", "mention", "named"), ("v", "mention", "named"), ("u", "reply", "named")]
    rows += [(a, "repost", "shared") for a in "uvwu"]
    inter = pl.DataFrame(
        {
            "platform": "x",
            "actor_id": [a for a, _, _ in rows],
            "kind": [k for _, k, _ in rows],
            "target_account_id": [t for _, _, t in rows],
            "occurred_at": [T] * len(rows),
        }
    )
    workspace.strategy_path.write_text("version: 1\nbrand:\n  name: Brand\n")
    with workspace.transaction() as con:
        sql.insert_frame(con, "interactions", inter)
    monkeypatch.setenv("COLUMNS", "250")
    assert main(["influencers", "-w", str(workspace.root)]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "Reach from the distinct accounts interacting (D) and the attention received" in out
    assert "A = reposts + quotes + 2 × (replies + mentions)" in out and "ranked by (1 + D)(1 + A)" in out
    assert main(["influencers", "-w", str(workspace.root), "--stored", "--format", "csv"]) == 0
    listed = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["account_id"] for r in listed[:2]] == ["named", "shared"]
    assert float(listed[0]["audience"]) == 2 and float(listed[1]["audience"]) == 3
    # and A, the other factor of reach, so the order can be checked from the export alone
    assert float(listed[0]["attention"]) == 6 and float(listed[1]["attention"]) == 4


def test_csv_carries_the_attention_per_post_behind_reach_with_follower_counts(
    workspace: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    """Follower counts and posts with metrics: reach ranks (1 + F)(1 + P). "small" (F 1,000) has posts with 900 and
    100 likes + 50 comments: P = (900 + 150) / 2 = 525, (1001)(526) = 526,526; "big" (F 5,000) has one post with
    9 likes: P = 9, (5001)(10) = 50,010; "quiet" (F 20,000) has no post with metrics: P = 0, 20,001. So "small"
    ranks first, and F alone (audience) would put it last."""
    from signalboost.ingest import import_files

    folder = workspace.root / "in"
    folder.mkdir()
    (folder / "influencers.csv").write_text("Username,Followers\nsmall,1000\nbig,5000\nquiet,20000\n")
    (folder / "posts.csv").write_text(
        "post_id,created_at,author,likes,comments\n"
        "p1,2024-06-30T12:00:00Z,small,900,\np2,2024-06-30T12:00:00Z,small,100,50\np3,2024-06-30T12:00:00Z,big,9,\n"
    )
    for name in ("influencers.csv", "posts.csv"):
        [res] = import_files(workspace, [folder / name], platform="instagram", progress=False)
        assert res.rows_rejected == 0
    workspace.strategy_path.write_text("version: 1\nbrand:\n  name: Brand\n")
    assert main(["influencers", "-w", str(workspace.root), "--format", "csv"]) == 0
    listed = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["account_id"] for r in listed] == ["small", "big", "quiet"]
    assert [float(r["attention"]) for r in listed] == [525.0, 9.0, 0.0]
    assert [float(r["audience"]) for r in listed] == [1000.0, 5000.0, 20000.0]


def test_listing_fits_80_columns_with_handles_whole(
    workspace: Workspace, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # issue #14: at 80 columns the 10-column table folded "@leader" into "@lead/er" and "False" into "Fals/e";
    # the narrow table keeps the deciding columns, whole, under short headers spelled out below it
    fill(workspace)
    monkeypatch.setenv("COLUMNS", "80")
    assert main(["influencers", "-w", str(workspace.root), "--top", "all"]) == 0
    lines = capsys.readouterr().out.splitlines()
    table = [ln for ln in lines if ln[:1] in "┏┃┡│└"]
    assert table and all(len(ln) <= 80 for ln in table)
    cells = [[c.strip() for c in ln.strip("│").split("│")] for ln in table if ln.startswith("│")]
    assert len(cells) == 5  # one line per account: nothing folded
    by = {c[0]: c for c in cells}
    assert by["@leader"][1:] == ["thought_leader", "91.7", "1", "0", "0.00", "no"]
    assert by["@fan"][1] == "fan" and by["@fan"][-1] == "yes"
    assert any(ln.startswith("inter = interactions with the brand") for ln in lines)
    monkeypatch.setenv("COLUMNS", "250")  # wide: every column, as before
    assert main(["influencers", "-w", str(workspace.root), "--stored", "--top", "all"]) == 0
    out = capsys.readouterr().out
    assert "authority" in out and "inter = " not in out


def test_listing_from_the_brands_own_interactions_says_so_before_the_ranking(
    workspace: Workspace, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An account export alone (every interaction is the brand's own): the ranking is who the brand engages with,
    not influence — said above the table and in its title, once; JSON keeps the note in the run."""
    days = [T - dt.timedelta(days=d) for d in (3, 2, 1)]
    inter = pl.DataFrame(
        {
            "platform": "x",
            "actor_id": ["B", "B", "B"],
            "kind": ["mention", "reply", "mention"],
            "target_account_id": ["f1", "f1", "c1"],
            "occurred_at": days,
        }
    )
    posts = pl.DataFrame(
        {
            "platform": "x",
            "post_id": ["p1", "p2", "p3"],
            "author_id": "B",
            "created_at": days,
            "hashtags": [["css"], ["css"], ["js"]],
        }
    )
    accounts = pl.DataFrame({"platform": "x", "account_id": ["B"], "handle": ["brand"], "is_brand": [True]})
    workspace.strategy_path.write_text("version: 1\nbrand:\n  name: Brand\n")
    with workspace.transaction() as con:
        sql.insert_frame(con, "interactions", inter)
        sql.insert_frame(con, "posts", posts)
        sql.insert_frame(con, "accounts", accounts)
    monkeypatch.setenv("COLUMNS", "200")
    assert main(["influencers", "-w", str(workspace.root)]) == 0
    lines = [" ".join(line.split()) for line in capsys.readouterr().out.splitlines()]
    warning = "Every interaction in the data is the brand's own (an account export holds no one else's likes,"
    at = [i for i, line in enumerate(lines) if line.startswith(warning)]
    first_row = next(i for i, line in enumerate(lines) if "f1" in line)
    assert len(at) == 1 and at[0] < first_row  # once, above the ranking (not only in the footer)
    assert "Accounts the brand engages with on x (not an influence ranking)" in lines
    assert "Influencers on x" not in lines
    assert main(["influencers", "-w", str(workspace.root), "--stored", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert any(n.startswith("every interaction in the data is the brand's own (") for n in doc["run"]["notes"])
    assert {r["account_id"] for r in doc["rows"]} == {"f1", "c1"}


def test_listing_with_other_accounts_interactions_keeps_the_influencers_title(
    workspace: Workspace, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    fill(workspace)
    monkeypatch.setenv("COLUMNS", "200")
    assert main(["influencers", "-w", str(workspace.root)]) == 0
    out = capsys.readouterr().out
    assert "Influencers on x" in out
    assert "brand's own" not in out and "not an influence ranking" not in out


def test_display_names_are_shown_beside_handles_and_instead_of_ids(
    workspace: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 13: handles and display names wherever the data has them, ids only as a last resort."""
    fill(workspace)
    with workspace.transaction() as con:
        con.execute("UPDATE accounts SET name = 'Thought Leader Ltd' WHERE account_id = 't'")
        con.execute("UPDATE accounts SET handle = NULL, name = 'Fanny  Fan' WHERE account_id = 'fan'")
        con.execute("UPDATE accounts SET handle = NULL WHERE account_id = 'f3'")
    w = str(workspace.root)
    assert main(["influencers", "-w", w, "--format", "json", "--top", "all"]) == 0
    rows = {r["account_id"]: r for r in json.loads(capsys.readouterr().out)["rows"]}
    assert rows["t"]["name"] == "Thought Leader Ltd" and rows["t"]["account"] == "@leader (Thought Leader Ltd)"
    assert rows["fan"]["account"] == "Fanny Fan"  # no handle: the name (spaces folded), not the id
    assert rows["f3"]["account"] == "f3" and rows["f3"]["name"] is None  # neither: the id
    assert rows["f2"]["account"] == "@f2"
    assert main(["influencers", "-w", w, "--stored", "--format", "csv", "--top", "all"]) == 0
    table = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert {r["account_id"]: r["name"] for r in table}["t"] == "Thought Leader Ltd"
    assert main(["influencer", "leader", "-w", w]) == 0
    assert "@leader (Thought Leader Ltd)" in capsys.readouterr().out
    assert main(["influencer", "leader", "-w", w, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["name"] == "Thought Leader Ltd"


def test_account_label_cuts_long_names_and_skips_a_name_equal_to_the_handle() -> None:
    from signalboost.cli.influence import account_label

    assert account_label("acme", "ACME", "1") == "@acme"
    assert account_label("acme", "A" * 30, "1") == "@acme (" + "A" * 23 + "…)"
    assert account_label(None, None, "123") == "123"
    assert account_label(None, "", "123") == "123"
