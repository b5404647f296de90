from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from signalboost.errors import OutreachError
from signalboost.outreach import ledger
from signalboost.outreach.pipeline import add_influencer
from signalboost.store.workspace import Workspace

from .conftest import T0, add_interactions, add_posts


def test_same_touch_twice_is_stored_once(ws: Workspace) -> None:
    add_influencer(ws, "x", "u1")
    day = dt.date(2026, 1, 5)
    assert ledger.log_touch(ws, "x", "u1", "gift", at=day, note="scarf") is True
    assert ledger.log_touch(ws, "x", "u1", "gift", at=day, note="again") is False
    # Same day as a midnight datetime: the same natural key.
    assert ledger.log_touch(ws, "x", "u1", "gift", at=dt.datetime(2026, 1, 5)) is False
    # A different post, day or direction is a different touch.
    assert ledger.log_touch(ws, "x", "u1", "gift", at=day, post_id="p1") is True
    assert ledger.log_touch(ws, "x", "u1", "gift", at=dt.date(2026, 1, 6)) is True
    assert ledger.log_touch(ws, "x", "u1", "interaction", direction="theirs", at=day) is True
    assert ledger.touches(ws).height == 4


def test_bad_touches_are_refused(ws: Workspace) -> None:
    add_influencer(ws, "x", "u1")
    with pytest.raises(OutreachError, match=r"'hug' is not a touch of ours.*like, reply, share, message, gift"):
        ledger.log_touch(ws, "x", "u1", "hug")
    with pytest.raises(OutreachError, match="'like' is not a touch of theirs"):
        ledger.log_touch(ws, "x", "u1", "like", direction="theirs")
    with pytest.raises(OutreachError, match="only our touches can be asks"):
        ledger.log_touch(ws, "x", "u1", "interaction", direction="theirs", is_ask=True)
    with pytest.raises(OutreachError, match="not in the pipeline"):
        ledger.log_touch(ws, "x", "u2", "like")


def test_give_ask_ratio_and_flag(ws: Workspace) -> None:
    add_influencer(ws, "x", "u1")
    add_influencer(ws, "x", "u2")
    add_influencer(ws, "x", "u3")
    days = [dt.date(2026, 1, d) for d in range(1, 10)]
    # u1: 3 gives, 1 ask -> ratio 3.0, not flagged.
    for d in days[:3]:
        ledger.log_touch(ws, "x", "u1", "like", at=d)
    ledger.log_touch(ws, "x", "u1", "message", is_ask=True, at=days[3])
    # u2: 1 give, 2 asks -> ratio 0.5, flagged.
    ledger.log_touch(ws, "x", "u2", "reply", at=days[0])
    ledger.log_touch(ws, "x", "u2", "message", is_ask=True, at=days[1])
    ledger.log_touch(ws, "x", "u2", "message", is_ask=True, at=days[2])
    ledger.log_touch(ws, "x", "u2", "amplification", direction="theirs", at=days[2])
    got = {b.account_id: b for b in ledger.ledger_balances(ws)}
    assert (got["u1"].gives, got["u1"].asks, got["u1"].give_ask_ratio, got["u1"].flagged) == (3, 1, 3.0, False)
    assert (got["u2"].gives, got["u2"].asks, got["u2"].give_ask_ratio, got["u2"].flagged) == (1, 2, 0.5, True)
    assert got["u2"].their_amplifications == 1
    # u3: no touches -> no ratio (None, not 0), not flagged.
    assert (got["u3"].gives, got["u3"].asks, got["u3"].give_ask_ratio, got["u3"].flagged) == (0, 0, None, False)


def test_equal_gives_and_asks_is_not_flagged() -> None:
    events = pl.DataFrame(
        {
            "platform": ["x", "x"],
            "account_id": ["a", "a"],
            "direction": ["ours", "ours"],
            "kind": ["gift", "message"],
            "is_ask": [False, True],
            "occurred_at": [dt.datetime(2026, 1, 1, tzinfo=dt.UTC)] * 2,
        }
    )
    (b,) = ledger.balances(events)
    assert (b.give_ask_ratio, b.flagged) == (1.0, False)


def test_sync_from_imported_interactions_is_idempotent(ws: Workspace) -> None:
    add_influencer(ws, "x", "u1")
    add_influencer(ws, "x", "u2")
    add_posts(
        ws,
        [
            {"post_id": "bp1", "author_id": "b1", "created_at": T0},
            {"post_id": "mp1", "author_id": "u1", "created_at": T0},
        ],
    )
    t = [T0 + dt.timedelta(hours=h) for h in range(10)]
    add_interactions(
        ws,
        [
            ("u1", "like", "bp1", "", t[1]),  # theirs: interaction with our post
            ("u1", "repost", "bp1", "", t[2]),  # theirs: amplification
            ("u1", "mention", "", "b1", t[3]),  # theirs: interaction with our account
            ("b1", "like", "mp1", "", t[4]),  # ours: like of their post
            ("b1", "reply", "", "u2", t[5]),  # ours: reply to u2
            ("u3", "like", "bp1", "", t[6]),  # u3 is not in the pipeline: ignored
            ("u1", "like", "zz", "", t[7]),  # not about us: ignored
            ("u2", "quote", "bp1", "", None),  # no time: cannot be keyed, ignored
        ],
    )
    assert ledger.sync_from_interactions(ws) == 5
    assert ledger.sync_from_interactions(ws) == 0
    events = ledger.touches(ws)
    got = sorted(zip(events["account_id"], events["direction"], events["kind"], strict=True))
    assert got == [
        ("u1", "ours", "like"),
        ("u1", "theirs", "amplification"),
        ("u1", "theirs", "interaction"),
        ("u1", "theirs", "interaction"),
        ("u2", "ours", "reply"),
    ]
    # Logging by hand a touch that was imported (same key) adds nothing.
    assert ledger.log_touch(ws, "x", "u1", "like", post_id="mp1", at=t[4]) is False


def test_sync_without_a_brand_account_explains_what_to_do(workspace: Workspace) -> None:
    with pytest.raises(OutreachError, match=r"brand.handles"):
        ledger.sync_from_interactions(workspace)
