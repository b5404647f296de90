from __future__ import annotations

import datetime as dt

from signalboost.model.templates import render_template


def test_rendered_template_has_no_yaml_anchors() -> None:
    text = render_template("cosmetics", today=dt.date(2026, 3, 1))
    assert "&id" not in text and "*id" not in text
    assert text.count("last_reviewed: 2026-03-01") >= 2
