"""One local SparkSession for every Spark test of this folder (starting the JVM costs seconds)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    """A local[2] SparkSession bound to 127.0.0.1, UI off; skips without PySpark or Java."""
    pytest.importorskip("pyspark")
    if shutil.which("java") is None:
        pytest.skip("no Java runtime for Spark (scripts/system-deps.sh test installs one)")
    os.environ["SPARK_LOCAL_IP"] = "127.0.0.1"
    from signalboost.scale.influence_spark import local_spark

    session = local_spark("signalboost-tests", cores=2)
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
