"""Live accounts: connect Bluesky, sync it into the canonical tables, publish the calendar.

One small interface (:class:`signalboost.connect.base.Connector`) per network; :mod:`~signalboost.connect.sync`
writes what a connector returns exactly as an import would.
"""
