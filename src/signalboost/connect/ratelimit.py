"""How long to wait before the next request, from the servers' own rate-limit headers.

Bluesky (PDS and AppView) and Mastodon both send the IETF draft headers ``ratelimit-limit``,
``ratelimit-remaining`` and ``ratelimit-reset`` (Bluesky: reset as epoch seconds; Mastodon: ``x-ratelimit-*``
with an ISO 8601 reset time), and ``retry-after`` on a 429. Limits: Bluesky 3,000 requests / 5 min per IP for
the AppView, Mastodon 300 / 5 min per account (docs.bsky.app "Rate Limits"; docs.joinmastodon.org
"Rate limits").

Policy: keep ``reserve`` requests of the window unused (other clients of the same account share it): once
``remaining <= reserve`` wait until the reset. On a 429 wait ``retry-after`` or until the reset; without either,
back off exponentially: ``min(cap, base * 2**attempt)``.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Mapping
from typing import TypeVar

T = TypeVar("T")


def _number(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        return None


def reset_in(headers: Mapping[str, str], now: float) -> float | None:
    """Seconds until the window resets (``None`` when the headers do not say)."""
    raw = headers.get("ratelimit-reset") or headers.get("x-ratelimit-reset")
    if raw is None:
        return None
    num = _number(raw)
    if num is not None:
        # epoch seconds (Bluesky) or, when small, seconds from now (IETF draft delta-seconds)
        return max(0.0, num - now) if num > 1e9 else max(0.0, num)
    try:
        when = dt.datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        return None
    return max(0.0, when.timestamp() - now)


def wait_after_success(headers: Mapping[str, str], now: float, *, reserve: int = 2) -> float:
    """Seconds to pause after a successful response (0 while the window has room)."""
    remaining = _number(headers.get("ratelimit-remaining") or headers.get("x-ratelimit-remaining"))
    if remaining is None or remaining > reserve:
        return 0.0
    return reset_in(headers, now) or 1.0


def wait_after_429(
    headers: Mapping[str, str], now: float, attempt: int, *, base: float = 1.0, cap: float = 300.0
) -> float:
    """Seconds to wait before retrying a request the server refused with 429 (``attempt`` counts from 0)."""
    retry_after = _number(headers.get("retry-after"))
    if retry_after is not None:
        return min(cap, max(0.0, retry_after))
    reset = reset_in(headers, now)
    if reset is not None:
        return min(cap, reset + 0.5)
    return min(cap, base * 2.0**attempt)


def transient_backoff(attempt: int) -> float:
    """Seconds to wait before retrying after a network error or a 502/503 (``attempt`` from 0):
    ``min(60, 0.5 * 2**attempt)``."""
    return min(60.0, 0.5 * 2.0**attempt)


def retrying(
    call: Callable[[], T],
    *,
    attempts: int,
    refusal: type[BaseException],
    transient: tuple[type[BaseException], ...],
    refusal_headers: Callable[[BaseException], Mapping[str, str]],
    success_headers: Callable[[T], Mapping[str, str]] | None,
    pause: Callable[[float], None],
    refused: Callable[[], BaseException],
    unreachable: Callable[[BaseException], BaseException] | None = None,
) -> T:
    """``call()`` under the policy above, at most ``attempts`` times (the Bluesky and Mastodon connectors' loop).

    A ``refusal`` (HTTP 429) pauses :func:`wait_after_429` of ``refusal_headers(exc)`` and tries again; a
    ``transient`` failure (network, 502, 503) pauses :func:`transient_backoff` and tries again; a success pauses
    :func:`wait_after_success` of ``success_headers(result)`` (no pause when ``None``). Any other exception
    propagates at once. After the last attempt: ``refused()`` is raised for a refusal; ``unreachable(exc)`` for a
    transient failure (``None``: the failure itself)."""
    for attempt in range(attempts):
        last = attempt == attempts - 1
        try:
            result = call()
        except refusal as exc:
            if last:
                break
            pause(wait_after_429(refusal_headers(exc), time.time(), attempt))
            continue
        except transient as exc:
            if not last:
                pause(transient_backoff(attempt))
                continue
            if unreachable is None:
                raise
            raise unreachable(exc) from None
        if success_headers is not None:
            pause(wait_after_success(success_headers(result), time.time()))
        return result
    raise refused()
