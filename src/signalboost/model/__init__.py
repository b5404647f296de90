"""The strategy document as data: the seven factors and the KPIs (see ``strategy.py``)."""

from signalboost.model.strategy import Strategy

__all__ = ["Strategy"]
