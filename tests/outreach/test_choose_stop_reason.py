"""`partners choose` says why it stops before k."""

from __future__ import annotations

from signalboost.cli.partners import stop_reason


def test_stop_reasons() -> None:
    assert stop_reason(3, 3, 10) is None
    assert stop_reason(2, 3, 2) == "there are only 2 candidates; add more or raise --top"
    assert stop_reason(1, 3, 1).startswith("there is only 1 candidate")  # type: ignore[union-attr]
    assert "no other candidate adds new reach" in str(stop_reason(2, 3, 10))
