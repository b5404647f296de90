"""In a real browser (Chromium through Playwright, against `signalboost serve`): a network whose posts mostly match
no pillar has its drift flags withheld, and the Overview and the Analytics page say so with the same count of
classified posts as `signalboost analyze` ("not enough classified posts: 3 of 20"), in English and in bokmål."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.analytics.test_mostly_unclassified import _unclassified_workspace
from tests.web.live import running_server
from tests.web.test_browser import WAIT_MS

pytestmark = pytest.mark.browser


def test_overview_and_analytics_withhold_drift_of_mostly_unclassified_posts(browser: object, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    expect.set_options(timeout=WAIT_MS)
    # 17 of 20 own x posts match no pillar; 3 are labelled brand (the workspace's docstring: 4 flags without the rule)
    ws = _unclassified_workspace(tmp_path / "ws")
    with running_server(ws.root) as base:
        page = browser.new_context().new_page()  # type: ignore[attr-defined]
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))

        page.goto(base + "/?lang=en")
        drift = page.locator("ul.alerts li.alert-drift")
        expect(drift).to_have_count(1)
        expect(drift).to_have_text(
            "x: pillar drift not judged — not enough classified posts: 3 of 20 match a pillar (add keywords, hashtags "
            "or example posts to the pillars, or label posts)."
        )
        expect(drift.locator("a")).to_have_attribute("href", "/analytics#pillars")

        page.goto(base + "/analytics?lang=en")
        held = page.locator("#pillars li.alert-drift")
        expect(held).to_have_count(1)  # no "Drift: Brand at 15% …" line, one line that says why
        expect(held).to_have_text("Drift not judged: not enough classified posts: 3 of 20 match a pillar.")
        expect(page.locator("main")).to_contain_text(
            "x: pillar drift not judged — not enough classified posts: 3 of 20"
        )

        page.goto(base + "/?lang=nb")
        expect(page.locator("ul.alerts li.alert-drift")).to_contain_text(
            "x: søyleavvik ikke vurdert — for få klassifiserte innlegg: 3 av 20 passer i en søyle"
        )
        page.goto(base + "/analytics?lang=nb")
        expect(page.locator("#pillars li.alert-drift")).to_have_text(
            "Avvik ikke vurdert: for få klassifiserte innlegg: 3 av 20 passer i en søyle."
        )
        assert errors == []
