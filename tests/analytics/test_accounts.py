"""Per account: several pages of one network are never pooled; ``--account`` selects one."""

from __future__ import annotations

import polars as pl
import pytest

from signalboost.analytics.accounts import select_accounts
from signalboost.analytics.analysis import AnalysisOptions, analyze
from signalboost.errors import AnalyticsError

from .frames import metrics, posts, t


def _two_pages() -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Pages "shop" and "rival" on facebook post once a day on the same 20 days (pooled: 2 posts a day)."""
    rows, mrows = [], []
    for day in range(1, 21):
        for author, likes in (("shop", 10), ("rival", 500)):
            pid = f"{author}{day}"
            rows.append({"post_id": pid, "author_id": author, "created_at": t(day, 9 if author == "shop" else 15)})
            mrows.append({"post_id": pid, "likes": likes + day, "comments": 0, "shares": 0, "reach": 1000})
    accounts = pl.DataFrame(
        {
            "platform": ["facebook", "facebook"],
            "account_id": ["shop", "rival"],
            "handle": ["TheShop", None],
            "is_brand": [False, False],
        }
    )
    return posts(rows), metrics(mrows), accounts


def test_two_pages_are_not_pooled_in_posts_per_day() -> None:
    p, m, accounts = _two_pages()
    result = analyze(None, p, m, accounts=accounts)
    assert result.engagement.height == 20
    freq = result.frequency.row(0, named=True)
    # one page posts once a day: pooled, every day would have looked like 2 posts
    assert freq["current_per_day"] == 1 and freq["current_per_week"] == pytest.approx(20 / 3, abs=0.05)
    assert len(result.notes) and "2 accounts, not pooled" in result.notes[0]


def test_the_strategys_handle_picks_the_account_and_account_selects() -> None:
    p, m, accounts = _two_pages()
    kept, notes = select_accounts(p, accounts, brand_handles={"facebook": "@theshop"})
    assert set(kept["author_id"]) == {"shop"} and "the brand's handle in the strategy" in notes[0]
    assert "@TheShop" in notes[0] and "rival (20 posts)" in notes[0]
    kept, _ = select_accounts(p, accounts, account="rival")
    assert set(kept["author_id"]) == {"rival"} and kept.height == 20
    kept, _ = select_accounts(p, accounts, account="@THESHOP")  # handle, any case, @ optional
    assert set(kept["author_id"]) == {"shop"}
    with pytest.raises(AnalyticsError, match="no imported post is by account 'nobody'") as exc:
        select_accounts(p, accounts, account="nobody")
    assert "@TheShop on facebook (20 posts)" in str(exc.value.hint)
    result = analyze(None, p, m, accounts=accounts, options=AnalysisOptions(account="rival"))
    assert set(result.engagement["author_id"]) == {"rival"}


def test_a_marked_brand_account_wins_over_the_busiest() -> None:
    p, _, accounts = _two_pages()
    p = pl.concat([p, posts([{"post_id": "extra", "author_id": "rival", "created_at": t(25)}])])
    marked = accounts.with_columns((pl.col("account_id") == "shop").alias("is_brand"))
    kept, notes = select_accounts(p, marked)
    assert set(kept["author_id"]) == {"shop"} and "marked as the brand's" in notes[0]
    kept, notes = select_accounts(p, accounts)  # nothing marked: the most posts (rival, 21)
    assert set(kept["author_id"]) == {"rival"} and "the most posts" in notes[0]


def test_posts_per_week_wording_agrees_with_the_proposal() -> None:
    from signalboost.analytics.frequency import frequency_advice

    row = {
        "current_per_week": 68.3,
        "current_per_day": 4,
        "posting_days_per_week": 7.0,
        "recommended_per_day": 4,
        "recommended_per_week": 28,
        "changed": False,
        "evidence": "no other number of posts a day did better than 4/day (120 days)",
    }
    n, why = frequency_advice(row, 3)
    assert n == 3 and why.startswith("kept at 3/week as in strategy.yaml; now 68.3/week")
    assert "best-supported" not in why and "more posts gain" not in why
    n, why = frequency_advice({**row, "changed": True, "recommended_per_day": 2, "recommended_per_week": 14}, 3)
    assert n == 14 and why.startswith("2/day on 7.0 posting days a week ≈ 14/week")
    assert frequency_advice(None, 5) == (5, "kept at 5/week: no days with posts to compare")


def _many_accounts(k: int) -> pl.DataFrame:
    """``k`` instagram accounts; account ``a{i:02d}`` has ``k + 1 - i`` posts (a00 the most)."""
    rows = [
        {"post_id": f"a{i:02d}-{j}", "author_id": f"a{i:02d}", "created_at": t(1 + j % 28, 9)}
        for i in range(k)
        for j in range(k + 1 - i)
    ]
    return posts(rows).with_columns(pl.lit("instagram").alias("platform"))


def test_a_dataset_of_many_accounts_names_the_busiest_left_out_and_counts_the_rest() -> None:
    """A data set of thousands of influencers (Kim et al.'s Instagram sample: 23,047 accounts) printed every one
    of them in one note (550,000 characters). The note names the 5 busiest left out and counts the rest."""
    kept, notes = select_accounts(_many_accounts(30))
    assert set(kept["author_id"]) == {"a00"} and kept.height == 31
    (note,) = notes
    assert note == (
        "instagram: 30 accounts, not pooled — analysed a00 (31 posts; the most posts); left out a01 (30 posts), "
        "a02 (29 posts), a03 (28 posts), a04 (27 posts), a05 (26 posts) and 24 more; see another with --account"
    )
    _, notes = select_accounts(_many_accounts(6))  # 5 left out: every one named, nothing "more"
    assert notes[0].endswith("a05 (2 posts); see another with --account") and "more" not in notes[0]


def test_an_unknown_account_among_many_lists_the_busiest_and_counts_the_rest() -> None:
    with pytest.raises(AnalyticsError, match="no imported post is by account 'nobody'") as exc:
        select_accounts(_many_accounts(30), account="nobody")
    hint = str(exc.value.hint)
    assert hint.startswith("Use one of: a00 on instagram (31 posts), a01 on instagram (30 posts), ")
    assert hint.endswith("a09 on instagram (22 posts) and 20 more") and "a10" not in hint
