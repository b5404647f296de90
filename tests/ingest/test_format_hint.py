"""``import --format json`` means the summary's --output: the error says so."""

from __future__ import annotations

import pytest

from signalboost.errors import IngestError
from signalboost.ingest import get_format


@pytest.mark.parametrize("name", ["json", "csv", "table", "JSON"])
def test_output_format_passed_as_input_format(name: str) -> None:
    with pytest.raises(IngestError, match=f"unknown format '{name}'") as exc:
        get_format(name)
    assert exc.value.hint is not None
    assert exc.value.hint.endswith(
        f"; the summary's output format is --output {name.lower()} (--format names the input format)"
    )
    assert "facebook-uci" in exc.value.hint  # the list of input formats is still given


def test_other_unknown_format_has_no_output_hint() -> None:
    with pytest.raises(IngestError) as exc:
        get_format("nope")
    assert exc.value.hint is not None and "--output" not in exc.value.hint
