"""Stored pillar assignments for the Analytics page, so it need not retrain the pillar classifier.

:func:`signalboost.analytics.analysis.analyze` assigns every post its pillars (rules, labels, and a classifier
trained on the strategy's examples — about half the page's time on the demo workspace) before the other analyses.
``signalboost analytics`` and the demo store those assignments in ``post_pillars``; when they are current (every
post has one, all stored after the last change of ``strategy.yaml``:
:func:`signalboost.store.analytics_sql.stored_pillar_assignments`), the page passes them to ``analyze(assignments=…)``.
The result equals a full ``analyze()`` (tests/web/test_fast_paths.py compares every section).
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from signalboost.store import analytics_sql
from signalboost.store.workspace import Workspace
from signalboost.web.context import READ_TIMEOUT


def stored_assignments(ws: Workspace) -> pl.DataFrame | None:
    """The stored pillar assignments when they are current, else ``None`` (compute them)."""
    try:
        st = ws.strategy_path.stat().st_mtime
    except OSError:
        st = 0.0
    with ws.connect(purpose="read pillar assignments", timeout=READ_TIMEOUT) as con:
        return analytics_sql.stored_pillar_assignments(con, dt.datetime.fromtimestamp(st, dt.UTC))
