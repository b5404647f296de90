"""Usability checks that need no browser: colour contrast of the stylesheet, labelled controls, no inline code."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from signalboost.web.svg import PALETTE, SEGMENT_COLOURS

CSS = (Path(__file__).resolve().parents[2] / "src/signalboost/web/static/style.css").read_text()


def luminance(hex_colour: str) -> float:
    """Relative luminance (WCAG 2.1, section 1.4.3 definition)."""
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) / 255 for i in (0, 2, 4))

    def lin(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_contrast_formula_on_known_pairs() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # the classic just-failing grey


def _var(name: str) -> str:
    m = re.search(rf"--{name}:\s*(#[0-9a-fA-F]{{6}})", CSS)
    assert m, name
    return m.group(1)


@pytest.mark.parametrize("fg", ["fg", "muted", "accent", "ok", "bad", "warn"])
@pytest.mark.parametrize("bg", ["bg", "panel"])
def test_text_colours_meet_wcag_aa(fg: str, bg: str) -> None:
    assert contrast(_var(fg), _var(bg)) >= 4.5


def test_chart_colours_carry_white_text_and_stand_out_on_white() -> None:
    for c in (*PALETTE, *SEGMENT_COLOURS.values()):
        assert contrast(c, "#ffffff") >= 4.5, c


class _Controls(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids_with_label: set[str] = set()
        self.controls: list[tuple[str, dict[str, str | None]]] = []
        self.inline_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "label" and a.get("for"):
            self.ids_with_label.add(str(a["for"]))
        if tag in ("input", "select", "textarea") and a.get("type") not in ("hidden", "submit"):
            self.controls.append((tag, a))
        if tag == "script" and not a.get("src"):
            self.inline_script = True
        if any(k.startswith("on") for k in a) or "style" in a:
            self.inline_script = True


@pytest.mark.parametrize("path", ["/", "/strategy", "/imports", "/influencers", "/outreach", "/calendar", "/login"])
def test_every_control_is_labelled_and_no_inline_code(client: TestClient, path: str) -> None:
    p = _Controls()
    p.feed(client.get(path).text)
    for tag, attrs in p.controls:
        labelled = attrs.get("id") in p.ids_with_label or attrs.get("aria-label")
        assert labelled, f"{path}: unlabelled <{tag} {attrs}>"
    assert not p.inline_script, f"{path}: inline script, style or event handler (blocked by the CSP)"
