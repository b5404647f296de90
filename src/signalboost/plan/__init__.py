"""signalboost.plan: the publishing calendar planned from the strategy (see docs/calendar.md).

Pure planning: :func:`plan_calendar`, :func:`make_plan`; workspace wiring in :mod:`signalboost.plan.service`;
exports in :mod:`signalboost.plan.export`; terminal views in :mod:`signalboost.plan.view`.
"""

from signalboost.plan.calendar import PlanResult, make_plan, plan_calendar
from signalboost.plan.posts import KINDS, STATUSES, PlannedPost, plan_id

__all__ = ["KINDS", "STATUSES", "PlanResult", "PlannedPost", "make_plan", "plan_calendar", "plan_id"]
