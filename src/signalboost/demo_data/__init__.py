"""Real public data bundled for ``signalboost demo`` (see ATTRIBUTION.md)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from signalboost.errors import SignalboostError
from signalboost.i18n import L_


def demo_file(*parts: str) -> Path:
    """Path of a bundled demo file, e.g. ``demo_file("facebook-metrics-uci", "dataset_Facebook.csv")``."""
    path = Path(str(resources.files("signalboost.demo_data").joinpath(*parts)))
    if not path.exists():
        raise SignalboostError(
            L_("a bundled demo file is missing from this installation"),
            where=str(path),
            hint=L_(
                "Reinstall Signalboost (pip install --force-reinstall signalboost), or from a clone run `make demo`"
            ),
        )
    return path


UCI_FACEBOOK = ("facebook-metrics-uci", "dataset_Facebook.csv")
HIGGS_ACTIVITY = ("higgs-twitter-snap", "higgs-activity_time.txt.gz")
