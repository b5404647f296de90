from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from signalboost.errors import PlanError
from signalboost.plan.apportion import Item, apportion, discrepancy
from signalboost.plan.calendar import make_plan

from .helpers import strategy

EPS = 1e-9


def _bounds(items: list[Item], pillars: list[tuple[str, ...]], weights: dict[str, float]) -> tuple[float, float]:
    """Independent re-count of the largest |count - weight * posts| over every prefix (plan, networks)."""
    worst_plan = worst_net = 0.0
    plan: dict[str, float] = dict.fromkeys(weights, 0.0)
    nets: dict[str, dict[str, float]] = {}
    sizes: dict[str, int] = {}
    for i, (item, ps) in enumerate(zip(items, pillars, strict=True), start=1):
        net = nets.setdefault(item.group, dict.fromkeys(weights, 0.0))
        sizes[item.group] = sizes.get(item.group, 0) + 1
        for p in ps:
            plan[p] += 1 / len(ps)
            net[p] += 1 / len(ps)
        for p, w in weights.items():
            worst_plan = max(worst_plan, abs(plan[p] - w * i))
            worst_net = max(worst_net, abs(net[p] - w * sizes[item.group]))
    return worst_plan, worst_net


weights_st = st.lists(st.integers(1, 100), min_size=1, max_size=6).map(
    lambda raw: {f"p{i}": r / sum(raw) for i, r in enumerate(raw)}
)


@settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(weights=weights_st, groups=st.lists(st.integers(0, 2), min_size=1, max_size=250))
def test_within_one_per_network_and_two_plan_wide_up_to_three_networks(
    weights: dict[str, float], groups: list[int]
) -> None:
    # each network at its optimum (below 1 without fixed posts) may cost the plan-wide mix up to the relaxation 2
    items = [Item(f"n{g}") for g in groups]
    pillars = apportion(items, weights)
    worst_plan, worst_net = _bounds(items, pillars, weights)
    assert worst_plan <= 2 + EPS
    assert worst_net <= 1 + EPS
    assert discrepancy(items, pillars, weights) == pytest.approx((worst_plan, worst_net))


@settings(max_examples=120, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(weights=weights_st, groups=st.lists(st.integers(0, 5), min_size=1, max_size=250))
def test_within_one_per_network_and_two_plan_wide_for_six_networks(
    weights: dict[str, float], groups: list[int]
) -> None:
    items = [Item(f"n{g}") for g in groups]
    worst_plan, worst_net = _bounds(items, apportion(items, weights), weights)
    assert worst_net <= 1 + EPS
    assert worst_plan <= 2 + EPS


@settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(
    weights=weights_st,
    slots=st.lists(
        st.tuples(st.sampled_from(["mon", "tue", "wed", "thu", "fri", "sat", "sun"]), st.integers(6, 22)),
        min_size=1,
        max_size=10,
    ),
    monthday=st.integers(1, 28),
    weeks=st.integers(5, 20),
    start=st.dates(dt.date(2024, 1, 1), dt.date(2030, 12, 31)),
    placement=st.sampled_from(["add-slot", "nearest-slot"]),
)
def test_calendar_with_random_tactic_dates_keeps_the_bound(weights, slots, monthday, weeks, start, placement) -> None:  # type: ignore[no-untyped-def]
    timetable: dict[str, list[str]] = {}
    for day, hour in slots:
        timetable.setdefault(day, []).append(f"{hour:02d}:00")
    s = strategy(
        schedule={"networks": {"instagram": {"min_posts_per_week": 1, "slots": timetable}}},
        pillars=[{"id": p, "name": p, "weight": w * 100} for p, w in weights.items()],
        tactics=[
            {
                "id": "t",
                "name": "T",
                "goal": "engagement",
                "rrule": f"FREQ=MONTHLY;BYMONTHDAY={monthday}",
                "networks": ["instagram"],
                "placement": "add-slot",
            }
        ],
        examples=[],
    )
    result = make_plan(s, start, weeks, skip_empty_tactics=True)
    posts = [p for p in result.posts if p.pillars]
    items = [Item(p.network) for p in posts]
    worst_plan, worst_net = _bounds(items, [p.pillars for p in posts], s.pillar_weights())
    assert worst_plan <= 1 + 1e-6 and worst_net <= 1 + 1e-6
    assert sum(p.kind == "tactic" for p in result.posts) >= 1


def _min_repeats(n: int, w: list[float], bound: float) -> int | None:
    """Peer: the fewest same-pillar-twice-in-a-row of any sequence of ``n`` posts within ``bound`` at every
    prefix (dynamic programming over counts and last pillar), ``None`` when no sequence keeps the bound."""
    states: dict[tuple[tuple[int, ...], int], int] = {((0,) * len(w), -1): 0}
    for t in range(1, n + 1):
        nxt: dict[tuple[tuple[int, ...], int], int] = {}
        for (c, last), r in states.items():
            for k in range(len(w)):
                c2 = tuple(x + (i == k) for i, x in enumerate(c))
                if all(abs(c2[i] - w[i] * t) <= bound + EPS for i in range(len(w))):
                    nxt[(c2, k)] = min(nxt.get((c2, k), n), r + (k == last))
        states = nxt
    return min(states.values()) if states else None


def _repeats(got: list[str]) -> int:
    return sum(a == b for a, b in itertools.pairwise(got))


def test_hand_computed_sequence_for_50_30_20() -> None:
    # the optimum is 0.5: edu is 1/2 off its quota after every odd post. It forces one repeat in 10 posts: edu
    # must open (after 1 post fun and prod may hold at most 0.3 + 0.5 and 0.2 + 0.5 < 1), and edu on posts
    # 1, 3, 5, 7, 9 leaves fun 2 after 8 posts where 9 need 0.3·9 − 0.5 = 2.2
    items = [Item("ig")] * 10
    weights = {"edu": 0.5, "fun": 0.3, "prod": 0.2}
    got = [p[0] for p in apportion(items, weights)]
    assert got.count("edu") == 5 and got.count("fun") == 3 and got.count("prod") == 2
    assert got[0] == "edu"
    assert discrepancy(items, [(p,) for p in got], weights)[1] == pytest.approx(0.5)
    assert _min_repeats(10, [0.5, 0.3, 0.2], 0.5 - 1e-6) is None
    assert _repeats(got) == _min_repeats(10, [0.5, 0.3, 0.2], 0.5) == 1


def test_no_more_repeats_than_the_optimum_forces() -> None:
    # 40/30/20/10: the optimum is 0.6 (none below it), and at 0.6 some repeats are forced; the planner makes no
    # more than the fewest possible (the no-repeat rule yields only to the optimum)
    items = [Item("ig")] * 40
    w = [0.4, 0.3, 0.2, 0.1]
    got = [p[0] for p in apportion(items, dict(zip("abcd", w, strict=True)))]
    assert [got.count(x) for x in "abcd"] == [16, 12, 8, 4]
    assert _min_repeats(40, w, 0.6 - 1e-6) is None
    assert discrepancy(items, [(p,) for p in got], dict(zip("abcd", w, strict=True)))[1] == pytest.approx(0.6)
    assert _repeats(got) == _min_repeats(40, w, 0.6)
    # with the weights one pillar never needs to follow itself: none does
    got = [p[0] for p in apportion([Item("ig")] * 12, {"a": 0.25, "b": 0.25, "c": 0.25, "d": 0.25})]
    assert _repeats(got) == 0


def test_two_pillar_post_counts_half_each() -> None:
    items = [Item("ig", ("a", "b"))] + [Item("ig")] * 3
    got = apportion(items, {"a": 0.5, "b": 0.5})
    assert got[0] == ("a", "b")
    assert discrepancy(items, got, {"a": 0.5, "b": 0.5})[1] <= 0.5 + EPS


@pytest.mark.parametrize("weights", [{"a": 0.5, "b": 0.4}, {}, {"a": 1.2, "b": -0.2}])
def test_bad_weights_are_plan_errors(weights: dict[str, float]) -> None:
    with pytest.raises(PlanError) as info:
        apportion([Item("ig")], weights)
    assert "pillar" in info.value.message()


def test_tactic_that_overfills_a_pillar_is_reported() -> None:
    # a monthly tactic fixed to a 1 % pillar on a network posting once a week: 1 post in 5 is p0, far over 1 %
    s = strategy(
        schedule={"networks": {"instagram": {"min_posts_per_week": 1, "slots": {"mon": ["09:00"]}}}},
        pillars=[{"id": "p0", "name": "A", "weight": 1}, {"id": "p1", "name": "B", "weight": 99}],
        tactics=[
            {
                "id": "t",
                "name": "T",
                "goal": "engagement",
                "rrule": "FREQ=MONTHLY;BYMONTHDAY=5",
                "networks": ["instagram"],
                "placement": "add-slot",
                "pillars": ["p0"],
            }
        ],
        examples=[],
    )
    result = make_plan(s, dt.date(2026, 1, 5), 20)
    tactic = [p for p in result.posts if p.kind == "tactic"]
    assert len(tactic) == 5 and all(p.pillars == ("p0",) for p in tactic)
    own = [p for p in result.posts if p.kind == "own"]
    assert all(p.pillars == ("p1",) for p in own)  # the others compensate fully
    assert result.discrepancy[1] > 1
    assert any("strays more than one post" in n for n in result.notes)


def test_fixed_posts_inside_the_quota_keep_the_bound() -> None:
    # a 25 % pillar fixed on every 8th post of 3 networks: well inside its quota, each network within 1 (its
    # optimum) and the plan-wide mix within the relaxation 2
    items = [Item(f"n{i % 3}", ("fun",) if i % 8 == 0 else None) for i in range(240)]
    weights = {"edu": 0.4, "fun": 0.25, "prod": 0.2, "team": 0.15}
    pillars = apportion(items, weights)
    assert all(pillars[i] == ("fun",) for i in range(0, 240, 8))
    worst_plan, worst_net = _bounds(items, pillars, weights)
    assert worst_plan <= 2 + EPS and worst_net <= 1 + EPS


# ------------------------------------------------------------------ rules a careless edit would break (issue #19)
def test_a_post_fixed_to_two_pillars_counts_half_to_each_in_the_discrepancy() -> None:
    # one post serving a and b, then one a, one b: counts after each post (a, b) = (½, ½), (1½, ½), (1½, 1½)
    # against quotas ½·N = ½, 1, 1½: plan-wide |1½ − 1| = ½ is the worst; the one network is the same sequence
    items = [Item("ig", ("a", "b")), Item("ig", ("a",)), Item("ig", ("b",))]
    pillars = [("a", "b"), ("a",), ("b",)]
    assert discrepancy(items, pillars, {"a": 0.5, "b": 0.5}) == pytest.approx((0.5, 0.5))
    # a pillar unknown to the weights does not count, and does not halve the known one: (a, ghost) is 1 to a
    assert discrepancy([Item("ig")], [("a", "ghost")], {"a": 0.5, "b": 0.5}) == pytest.approx((0.5, 0.5))


def test_posts_fixed_to_two_pillars_leave_room_for_half_a_post_each() -> None:
    # a:b = ¼:¾ and two posts fixed to (a, b): after them a holds 1 (quota ½) and b 1 (quota 1½), each within ½.
    # Five free posts can keep both pillars within 1 of their quota (b b b b a: a 1 − ¾, 1 − 1, 1 − 1¼, 1 − 1½,
    # 2 − 1¾). Counting the fixed posts as 1 to each pillar (a: 2 − ½) hides that a is already ahead, and an a
    # placed too early ends 1¼ above its quota.
    items = [Item("ig", ("a", "b"))] * 2 + [Item("ig")] * 5
    weights = {"a": 0.25, "b": 0.75}
    got = apportion(items, weights)
    assert got[:2] == [("a", "b"), ("a", "b")]
    worst_plan, worst_net = _bounds(items, got, weights)
    assert worst_plan <= 1 + EPS and worst_net <= 1 + EPS


def test_a_post_fixed_to_two_pillars_counts_half_to_each_in_the_optimum() -> None:
    # (the rule of _forced_shares, issue #19's survivor at "line ~182") ½/½ and four posts fixed to (a, b): each
    # adds ½ to both, so both stay exactly on quota (0 off) and no source forces the mix; counted 1 to each they
    # would be 4 − 2 = 2 off and reported
    from signalboost.plan.apportion import forcing_sources

    assert forcing_sources([Item("x", ("a", "b"))] * 4, {"a": 0.5, "b": 0.5}) == {}
    # a:b = ¼:¾, two (a, b) posts then five free: the network ends at its optimum, found here by trying all 32
    # choices of the free posts (½ off: b b b a b or b b b b a)
    items = [Item("ig", ("a", "b"))] * 2 + [Item("ig")] * 5
    weights = {"a": 0.25, "b": 0.75}
    got = apportion(items, weights)
    best = min(
        _bounds(items, [*got[:2], *[(p,) for p in free]], weights)[1] for free in itertools.product("ab", repeat=5)
    )
    assert _bounds(items, got, weights)[1] == pytest.approx(best)
