from __future__ import annotations

import datetime as dt

import pytest

from signalboost.errors import OutreachError
from signalboost.outreach import pipeline as pl_
from signalboost.outreach.pipeline import LEGAL_MOVES, STAGES, check_move
from signalboost.store.workspace import Workspace

from .conftest import T0

# The legal moves, written out by hand from the issue (independent of the module's table).
EXPECTED_LEGAL = {
    ("identified", "warming"),
    ("identified", "contacted"),
    ("identified", "paused"),
    ("identified", "declined"),
    ("warming", "contacted"),
    ("warming", "paused"),
    ("warming", "declined"),
    ("contacted", "warming"),
    ("contacted", "collaborating"),
    ("contacted", "paused"),
    ("contacted", "declined"),
    ("collaborating", "retained"),
    ("collaborating", "paused"),
    ("collaborating", "declined"),
    ("retained", "collaborating"),
    ("retained", "paused"),
    ("retained", "declined"),
    ("paused", "warming"),
    ("paused", "contacted"),
    ("paused", "collaborating"),
    ("paused", "retained"),
    ("paused", "declined"),
    ("declined", "identified"),
}
ALL_PAIRS = [(a, b) for a in STAGES for b in STAGES]
ILLEGAL = [p for p in ALL_PAIRS if p not in EXPECTED_LEGAL]


def test_table_matches_the_hand_written_moves() -> None:
    assert {(a, b) for a, targets in LEGAL_MOVES.items() for b in targets} == EXPECTED_LEGAL
    assert len(ILLEGAL) == 49 - 23


@pytest.mark.parametrize(("current", "target"), ILLEGAL)
def test_every_illegal_move_is_refused_with_stage_and_allowed_moves(current: str, target: str) -> None:
    with pytest.raises(OutreachError) as info:
        check_move(current, target, who="@maria")
    message = info.value.message()
    assert f"stage {current}" in message
    assert f"Allowed moves from {current}: " + ", ".join(LEGAL_MOVES[current]) in message
    assert "@maria" in message


@pytest.mark.parametrize(("current", "target"), sorted(EXPECTED_LEGAL))
def test_every_legal_move_passes(current: str, target: str) -> None:
    check_move(current, target)


def test_unknown_stage_names_the_stages() -> None:
    with pytest.raises(OutreachError, match=r"unknown stage 'friend'.*identified, warming"):
        check_move("identified", "friend")
    with pytest.raises(OutreachError, match="unknown stage"):
        pl_.allowed_moves("nope")


def test_illegal_move_in_the_database_changes_nothing(ws: Workspace) -> None:
    pl_.add_influencer(ws, "x", "u1", handle="maria", now=T0)
    with pytest.raises(OutreachError, match="cannot move @maria from 'identified' to 'retained'"):
        pl_.move(ws, "x", "u1", "retained", now=T0)
    assert pl_.get_record(ws, "x", "u1").stage == "identified"
    assert len(pl_.history(ws, "x", "u1")) == 1


def test_moves_are_kept_in_the_history(ws: Workspace) -> None:
    pl_.add_influencer(ws, "x", "u1", handle="maria", owner="ana", now=T0)
    path = ["warming", "contacted", "collaborating", "paused", "collaborating", "retained", "declined", "identified"]
    for i, stage in enumerate(path, start=1):
        pl_.move(ws, "x", "u1", stage, note=f"step {i}", now=T0 + dt.timedelta(days=i))
    moves = pl_.history(ws, "x", "u1")
    assert [(m.from_stage, m.to_stage) for m in moves] == list(
        zip([None, "identified", *path[:-1]], ["identified", *path], strict=True)
    )
    assert moves[2].note == "step 2"
    assert moves[1].moved_by == "ana"
    assert pl_.get_record(ws, "x", "u1").stage == "identified"


def test_add_twice_and_missing_record_are_clear_errors(ws: Workspace) -> None:
    pl_.add_influencer(ws, "x", "u1", handle="maria")
    with pytest.raises(OutreachError, match="already in the pipeline"):
        pl_.add_influencer(ws, "x", "u1")
    with pytest.raises(OutreachError, match="not in the pipeline"):
        pl_.move(ws, "x", "u2", "warming")
    with pytest.raises(OutreachError, match="cannot start in stage 'declined'"):
        pl_.add_influencer(ws, "x", "u2", stage="declined")


def test_paid_terms_are_checked(ws: Workspace) -> None:
    rec = pl_.add_influencer(
        ws, "x", "u1", mode="paid", offer_kind="discount", offer="20% code", cost=150.0, due_date=dt.date(2026, 2, 1)
    )
    assert (rec.mode, rec.offer_kind, rec.cost) == ("paid", "discount", 150.0)
    with pytest.raises(OutreachError, match="makes the relationship paid"):
        pl_.add_influencer(ws, "x", "u2", offer_kind="product")
    with pytest.raises(OutreachError, match="unknown offer kind 'cash'"):
        pl_.add_influencer(ws, "x", "u2", mode="paid", offer_kind="cash")
    with pytest.raises(OutreachError, match="unknown mode"):
        pl_.add_influencer(ws, "x", "u2", mode="free")
    with pytest.raises(OutreachError, match="cost must be a number"):
        pl_.add_influencer(ws, "x", "u2", cost=-1)
    with pytest.raises(OutreachError, match="cannot update stage"):
        pl_.update(ws, "x", "u1", {"stage": "retained"})
    with pytest.raises(OutreachError, match="makes the relationship paid"):
        pl_.update(ws, "x", "u1", {"mode": "organic"})
    updated = pl_.update(ws, "x", "u1", {"owner": "li", "next_step": "send brief", "cost": 200.0})
    assert (updated.owner, updated.next_step, updated.cost, updated.stage) == ("li", "send brief", 200.0, "identified")


def test_resolve_account_by_handle_id_and_platform(ws: Workspace) -> None:
    assert pl_.resolve_account(ws, "@Maria") == ("x", "u1", "maria")
    assert pl_.resolve_account(ws, "u2") == ("x", "u2", "li")
    with pytest.raises(OutreachError, match="several platforms"):
        pl_.resolve_account(ws, "sam")
    assert pl_.resolve_account(ws, "sam", platform="ig") == ("ig", "u9", "sam")
    with pytest.raises(OutreachError, match="no account 'nobody'"):
        pl_.resolve_account(ws, "nobody")


def test_add_many_skips_existing_and_list_filters(ws: Workspace) -> None:
    pl_.add_influencer(ws, "x", "u1", handle="maria", stage="warming")
    added = pl_.add_many(ws, [("x", "u1", "maria"), ("x", "u2", "li"), ("x", "u3", "sam")])
    assert added == 2
    assert [r.account_id for r in pl_.list_records(ws, stage="identified")] == ["u2", "u3"]
    assert [r.account_id for r in pl_.list_records(ws, stage="warming")] == ["u1"]
    assert pl_.get_record(ws, "x", "u1").stage == "warming"
