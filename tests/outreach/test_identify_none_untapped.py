"""`outreach identify` on data where nobody can be untapped says why and what to do (it printed "0 added … 0
untapped" and an empty table: an own export holds no follow graph or no one else's interactions)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from signalboost.cli.main import main
from signalboost.influence import job
from tests.influence.test_own_export_default_weights import _own_export


def test_identify_says_why_nobody_is_untapped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ws = _own_export(tmp_path)  # the brand's own interactions only, no follow edge: no follow graph to the brand
    job.run_influence(ws, platform="x")
    assert main(["outreach", "identify", "-w", str(ws.root)]) == 0
    err = " ".join(capsys.readouterr().err.split())
    assert "0 added as identified (0 best of 0 untapped" in err
    assert "No one is untapped on x: no follow graph to the brand" in err, err
    assert "signalboost outreach add @handle" in err
    assert main(["outreach", "identify", "-w", str(ws.root), "-f", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["untapped"] == 0 and doc["why_none"].startswith("No one is untapped on x"), doc
