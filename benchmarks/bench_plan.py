"""Planning a year for six networks (target: well under a second).

Prints the median of several runs of :func:`make_plan` and, as a baseline measured in the same process, the
median time to only generate the slots (the floor any planner pays), with the ratio between them.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
from collections.abc import Callable

from signalboost.model.strategy import Strategy
from signalboost.plan.calendar import make_plan
from signalboost.plan.slots import weekly_slots

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def year_strategy() -> Strategy:
    """Six networks with 2-3 posts a day, five pillars, two tactics, 20 % curated."""
    nets = {
        "instagram": ["09:00", "18:30"],
        "facebook": ["10:00", "19:00"],
        "x": ["08:00", "12:30", "17:00"],
        "linkedin": ["08:30", "12:00"],
        "tiktok": ["19:30", "21:00"],
        "threads": ["11:00", "16:00", "20:00"],
    }
    return Strategy.model_validate(
        {
            "brand": {"name": "Bench", "timezone": "Europe/Oslo"},
            "ecosystem": [{"network": n, "formats": ["photo"]} for n in nets],
            "schedule": {
                "networks": {n: {"min_posts_per_week": 7, "slots": dict.fromkeys(DAYS, ts)} for n, ts in nets.items()}
            },
            "pillars": [
                {"id": p, "name": p, "weight": w}
                for p, w in (("edu", 35), ("fun", 25), ("prod", 20), ("team", 12), ("cause", 8))
            ],
            "tactics": [
                {
                    "id": "give",
                    "name": "Giveaway",
                    "goal": "engagement",
                    "rrule": "FREQ=MONTHLY;BYDAY=1FR",
                    "networks": ["instagram", "tiktok"],
                    "pillars": ["fun"],
                },
                {
                    "id": "live",
                    "name": "Live Q&A",
                    "goal": "community",
                    "rrule": "FREQ=WEEKLY;BYDAY=WE",
                    "time": "20:00",
                    "placement": "add-slot",
                    "networks": ["instagram"],
                },
            ],
            "curation": {"share": 0.2},
        }
    )


def median_seconds(fn: Callable[[], object], runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    s = year_strategy()
    start = dt.date(2026, 1, 5)
    end = start + dt.timedelta(weeks=52)
    tz = s.tz()

    def slots_only() -> object:
        return [weekly_slots(n, sch.slot_times(), tz, start, end) for n, sch in s.schedule.networks.items()]

    result = make_plan(s, start, 52)
    base = median_seconds(slots_only)
    full = median_seconds(lambda: make_plan(s, start, 52))
    print(f"posts planned: {len(result.posts)} over 52 weeks, 6 networks")
    print(f"pillar discrepancy: plan-wide {result.discrepancy[0]:.3f}, worst network {result.discrepancy[1]:.3f}")
    print(f"slots only (baseline): median {base * 1000:.1f} ms")
    print(f"make_plan (year, 6 networks): median {full * 1000:.1f} ms  ratio {full / base:.1f}x baseline")


if __name__ == "__main__":
    main()
