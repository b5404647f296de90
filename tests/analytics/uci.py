"""A tiny stand-in loader of the UCI Facebook metrics file into canonical frames (until the importer lands).

It follows the importer's contract: platform ``facebook``, author ``uci-cosmetics-page``, format
photo/text/link/video, ``paid``, pillars from the category (1 action, 2 product, 3 inspiration), metrics with NULL
for missing cells, follower snapshots = Page total likes, rows oldest → newest, created_at rebuilt from month,
weekday (1 = Monday, ISO) and hour in Europe/Lisbon: each post gets the earliest day of its month on its weekday,
at its hour, not before the previous post (else the last such day of the month) — the importer's rule.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import polars as pl

from .frames import METRIC_SCHEMA, POST_SCHEMA, SNAP_SCHEMA

LISBON = ZoneInfo("Europe/Lisbon")
CATEGORY = {"1": "action", "2": "product", "3": "inspiration"}
FORMAT = {"Photo": "photo", "Status": "text", "Link": "link", "Video": "video"}


def _int(cell: str) -> int | None:
    return int(cell) if cell.strip() else None


def _assign_date(month: int, weekday: int, hour: int, previous: dt.datetime | None) -> dt.datetime:
    first = dt.date(2014, month, 1)
    day = first + dt.timedelta(days=(weekday - 1 - first.weekday()) % 7)
    last = None
    while day.month == month:
        last = dt.datetime(day.year, day.month, day.day, hour, tzinfo=LISBON)
        if previous is None or last >= previous:
            return last
        day += dt.timedelta(days=7)
    assert last is not None
    return last


def load_uci(path: Path) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """``(posts, post_metrics, account_snapshots)`` from ``dataset_Facebook.csv``."""
    with path.open(newline="", encoding="ascii") as fh:
        rows = list(csv.DictReader(fh, delimiter=";"))
    n = len(rows)
    rows.reverse()  # the file runs newest first
    previous: dt.datetime | None = None
    posts, metrics, snaps = [], [], []
    for i, r in enumerate(rows):
        local = _assign_date(int(r["Post Month"]), int(r["Post Weekday"]), int(r["Post Hour"]), previous)
        previous = local
        created = local.astimezone(dt.UTC)
        pid = f"uci-{n - i}"  # data row number, 1 = the first (newest) row
        paid = _int(r["Paid"])
        posts.append(
            {
                "platform": "facebook",
                "post_id": pid,
                "author_id": "uci-cosmetics-page",
                "created_at": created,
                "text": None,
                "format": FORMAT[r["Type"]],
                "hashtags": None,
                "paid": None if paid is None else bool(paid),
                "pillars": [CATEGORY[r["Category"]]],
                "tactic": None,
            }
        )
        metrics.append(
            {
                "platform": "facebook",
                "post_id": pid,
                "observed_at": dt.datetime(2015, 1, 1, tzinfo=dt.UTC),
                "impressions": _int(r["Lifetime Post Total Impressions"]),
                "reach": _int(r["Lifetime Post Total Reach"]),
                "likes": _int(r["like"]),
                "comments": _int(r["comment"]),
                "shares": _int(r["share"]),
                "saves": None,
                "clicks": None,
                "views": None,
                "engaged_users": _int(r["Lifetime Engaged Users"]),
            }
        )
        snaps.append(
            {
                "platform": "facebook",
                "account_id": "uci-cosmetics-page",
                "observed_at": created,
                "followers": _int(r["Page total likes"]),
            }
        )
    snap_frame = pl.DataFrame(snaps, schema=SNAP_SCHEMA).unique(
        subset=["observed_at"], keep="first", maintain_order=True
    )
    return pl.DataFrame(posts, schema=POST_SCHEMA), pl.DataFrame(metrics, schema=METRIC_SCHEMA), snap_frame
