"""The corpus of real-world export variants (tests/data/ingest/corpus/manifest.json): each file loads exactly —
the format detected, the rows loaded per table, rejected and skipped, and hand-checked values."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from signalboost.cli.ingest import parse_map
from signalboost.ingest import import_files
from signalboost.store.workspace import Workspace

CORPUS = Path(__file__).resolve().parents[1] / "data" / "ingest" / "corpus"
MANIFEST: list[dict[str, Any]] = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))


def test_the_corpus_is_large_enough() -> None:
    assert len(MANIFEST) >= 40
    assert len({m["file"] for m in MANIFEST}) == len(MANIFEST)


@pytest.mark.parametrize("case", MANIFEST, ids=[m["file"] for m in MANIFEST])
def test_variant_loads_exactly(case: dict[str, Any], tmp_path: Path) -> None:
    ws = Workspace.open(tmp_path / "ws", create=True)
    args = dict(case["args"])
    mapping = parse_map(args.pop("map", None), None)
    [res] = import_files(ws, [CORPUS / case["file"]], mapping=mapping, progress=False, **args)
    assert res.format == case["format"]
    loaded = {t: lo for t, (lo, _, _) in res.per_table.items() if lo}
    assert loaded == case["loaded"], res.as_dict()
    assert res.rows_rejected == case["rejected"], ws.table("rejects").to_dicts()
    assert sum(res.skipped.values()) == case["skipped"], res.skipped
    for check in case["checks"]:
        got = ws.query(check["q"]).row(0)[0]
        if check.get("suffix"):  # a file name: the corpus's absolute path, then the expected end
            assert str(got).endswith(check["v"]), (check["q"], got)
        else:
            assert got == check["v"], check["q"]
    if "warning" in case:
        assert any(case["warning"] in w for w in res.warnings), res.warnings
