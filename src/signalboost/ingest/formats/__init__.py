"""One module per import format; each registers itself in :mod:`signalboost.ingest.registry`."""
