"""Validation speed: ``validate_text`` on a template and on a large generated strategy.

Target: validating is interactive (an editor can run it on every save) — well under a second for a strategy far
larger than any real one. Baseline (same process): parsing the same text with ruamel's round-trip loader alone,
which validation must do anyway; the ratio validate / parse is the cost of the checks. Medians of 5 runs.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
from collections.abc import Callable

from signalboost.model.io import yaml_rt
from signalboost.model.templates import template_text
from signalboost.model.validate import validate_text
from signalboost.model.vocab import NETWORKS

TODAY = dt.date(2026, 1, 15)


def large_strategy(n_pillars: int = 40, n_personas: int = 100) -> str:
    """A valid strategy with every network, ``n_pillars`` pillars and an example in every cell."""
    weight = 100 / n_pillars
    lines = ["version: 1", "brand:", "  name: Big", "  timezone: Europe/Madrid", "audience:", "  personas:"]
    for i in range(n_personas):
        lines += [
            f"    - id: p{i}",
            f"      name: Persona {i}",
            "      networks: [instagram, x]",
            "      last_reviewed: 2026-01-01",
        ]
    lines.append("ecosystem:")
    for net in NETWORKS:
        lines += [f"  - network: {net}", "    role: reach", "    personas: [p0, p1]"]
    lines += ["schedule:", "  networks:"]
    for net in NETWORKS:
        lines += [f"    {net}:", "      min_posts_per_week: 2", "      slots:", '        mon: ["09:00", "18:00"]']
    lines.append("pillars:")
    for j in range(n_pillars):
        lines += [f"  - id: pillar{j}", f"    name: Pillar {j}", f"    weight: {weight}", "    keywords: [a, b]"]
    lines.append("examples:")
    for j in range(n_pillars):
        for net in NETWORKS:
            lines += [f"  - network: {net}", f"    pillar: pillar{j}", "    text: An example post"]
    return "\n".join(lines) + "\n"


def _seconds(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def paired_medians(a: Callable[[], object], b: Callable[[], object], runs: int = 7) -> tuple[float, float]:
    """Medians of ``a`` and ``b`` run alternately (so a busy machine slows both alike)."""
    ta, tb = [], []
    for _ in range(runs):
        ta.append(_seconds(a))
        tb.append(_seconds(b))
    return statistics.median(ta), statistics.median(tb)


def main() -> None:
    for label, text in (("clothing-store template", template_text("clothing-store")), ("large", large_strategy())):
        report = validate_text(text, today=TODAY)
        assert report.ok, report.lines()[:3]
        parse, check = paired_medians(
            lambda t=text: yaml_rt().load(t),  # type: ignore[misc]
            lambda t=text: validate_text(t, today=TODAY),  # type: ignore[misc]
        )
        print(
            f"{label}: {text.count(chr(10)):,} lines, {len(report.errors)} errors, {len(report.warnings)} warnings; "
            f"parse only {parse * 1000:.1f} ms, validate {check * 1000:.1f} ms, ratio {check / parse:.2f}x"
        )
    deep()


def deep_documents() -> dict[str, str]:
    """Hostile nesting (issue 18, item 10): refused as "nested more than 64 levels", the target within a second."""
    return {
        "flow [ x 10,000": "brand: " + "[" * 10_000 + "]" * 10_000 + "\n",
        "flow [ x 100,000": "brand: " + "[" * 100_000 + "]" * 100_000 + "\n",
        "flow {a: x 10,000": "brand: " + "{a: " * 10_000 + "}" * 10_000 + "\n",
        "block a: x 2,000": "".join(" " * i + "a:\n" for i in range(2_000)),
        "block - x 2,000": "".join("  " * i + "-\n" for i in range(2_000)),
    }


def deep() -> None:
    for label, text in deep_documents().items():
        report = validate_text(text, today=TODAY)
        assert [p.code for p in report.errors] == ["too-deep"], report.lines()[:2]
        seconds = statistics.median(_seconds(lambda t=text: validate_text(t, today=TODAY)) for _ in range(5))  # type: ignore[misc]
        print(f"deep {label} ({len(text):,} chars): refused in {seconds * 1000:.1f} ms (target < 1000 ms)")


if __name__ == "__main__":
    main()
