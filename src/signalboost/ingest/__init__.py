"""Importers: the data exports of the networks and CSV files, loaded into the workspace's canonical tables.

Library call (the CLI ``signalboost import`` and the dashboard's upload use it)::

    from signalboost.ingest import import_files
    results = import_files(ws, ["twitter-archive.zip"], progress=False)
    results[0].rows_loaded

One module per format under :mod:`signalboost.ingest.formats`, registered in :mod:`signalboost.ingest.registry`.
"""

from __future__ import annotations

from signalboost.ingest.base import Format, ImportResult, ReadOptions
from signalboost.ingest.pipeline import describe, import_files
from signalboost.ingest.registry import all_formats, detect_format, get_format

__all__ = [
    "Format",
    "ImportResult",
    "ReadOptions",
    "all_formats",
    "describe",
    "detect_format",
    "get_format",
    "import_files",
]
