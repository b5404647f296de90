"""signalboost.analytics: engagement metrics, timing and frequency models, pillar mix, KPIs, recommendations.

Everything takes plain Polars frames with the canonical columns (see ``store/migrations/001_core.sql``) and
returns Polars frames; :func:`analyze` runs it all. Read the frames with
``signalboost.store.analytics_sql.read_analytics_frames(workspace)``.
"""

from __future__ import annotations

from signalboost.analytics.analysis import Analysis, AnalysisOptions, analyze
from signalboost.analytics.metrics import DEFINITIONS, post_engagement, summarize_engagement

__all__ = ["DEFINITIONS", "Analysis", "AnalysisOptions", "analyze", "post_engagement", "summarize_engagement"]
