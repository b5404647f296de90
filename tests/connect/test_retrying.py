"""``ratelimit.retrying``: the retry loop the Bluesky and Mastodon connectors share (pauses hand-computed from the
policy: 429 → retry-after; transient → 0.5·2^attempt s; success with remaining ≤ 2 → until the reset)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pytest

from signalboost.connect import ratelimit


class Refused(Exception):
    """A 429."""


class Down(Exception):
    """A network failure."""


class GaveUp(Exception):
    pass


def _run(
    outcomes: list[Any],
    *,
    attempts: int = 4,
    unreachable: Callable[[BaseException], BaseException] | None = None,
    success_headers: Callable[[Any], Mapping[str, str]] | None = None,
) -> tuple[Any, list[float], int]:
    """Run ``retrying`` over ``outcomes`` (an exception is raised, anything else returned): result, pauses, calls."""
    pauses: list[float] = []
    calls = 0

    def call() -> Any:
        nonlocal calls
        outcome = outcomes[calls]
        calls += 1
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome

    result = ratelimit.retrying(
        call,
        attempts=attempts,
        refusal=Refused,
        transient=(Down,),
        refusal_headers=lambda exc: {"retry-after": str(exc.args[0])},
        success_headers=success_headers,
        pause=pauses.append,
        refused=lambda: GaveUp("refused"),
        unreachable=unreachable,
    )
    return result, pauses, calls


def test_refusals_and_failures_wait_then_the_answer_is_returned() -> None:
    result, pauses, calls = _run([Refused(7), Down(), Down(), "ok"])
    assert (result, calls) == ("ok", 4)
    assert pauses == [7.0, 1.0, 2.0]  # retry-after 7; 0.5·2^1, 0.5·2^2 (attempts 1 and 2)


def test_a_success_near_the_window_end_waits_for_the_reset() -> None:
    headers = {"ratelimit-remaining": "1", "ratelimit-reset": "30"}  # delta-seconds: 30 s
    result, pauses, _calls = _run(["ok"], success_headers=lambda _r: headers)
    assert result == "ok" and pauses == [30.0]
    _result, pauses, _calls = _run(["ok"], success_headers=lambda _r: {"ratelimit-remaining": "3"})
    assert pauses == [0.0]


def test_refused_every_time_raises_refused_after_the_last_attempt() -> None:
    with pytest.raises(GaveUp):
        _run([Refused(1)] * 3, attempts=3)


def test_down_every_time_raises_the_failure_or_unreachable() -> None:
    with pytest.raises(Down):
        _run([Down()] * 2, attempts=2)
    with pytest.raises(GaveUp, match="down: Down") as info:
        _run([Down()] * 2, attempts=2, unreachable=lambda exc: GaveUp(f"down: {type(exc).__name__}"))
    assert info.value.__suppress_context__  # the client's exception text is not repeated


def test_any_other_error_propagates_at_once() -> None:
    pauses: list[float] = []

    def call() -> Any:
        raise KeyError("x")

    with pytest.raises(KeyError):
        ratelimit.retrying(
            call,
            attempts=5,
            refusal=Refused,
            transient=(Down,),
            refusal_headers=lambda _exc: {},
            success_headers=None,
            pause=pauses.append,
            refused=lambda: GaveUp(),
        )
    assert pauses == []
