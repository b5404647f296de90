"""End to end in a real browser: Playwright drives Debian's Chromium against `signalboost serve` on a free port.

One browser session goes through the main flows — upload the X archive, see the influencers, move one on the
board, plan and export the calendar, edit a pillar weight and see the validation error — checks that hostile
text never runs, that the keyboard reaches everything, and saves a screenshot of every page at desktop and phone
width (to $SIGNALBOOST_SCREENSHOTS, default /tmp/signalboost-screenshots; not committed).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from pathlib import Path

import pytest

from signalboost.store.workspace import Workspace
from signalboost.web.wiring import lib
from tests.conftest import SHARED_DATA
from tests.web.conftest import DATA, XSS_ATTR, XSS_SCRIPT, seed
from tests.web.live import running_server
from tests.web.xarchive import write_mini_archive, zip_folder

pytestmark = pytest.mark.browser
CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # DNS rebinding stand-in (test_dns_rebinding_is_refused_in_chromium): these names resolve to this machine
    "--host-resolver-rules=MAP rebind.evil.example 127.0.0.1, MAP attacker.evil.example 127.0.0.1",
]
SHOTS = Path(os.environ.get("SIGNALBOOST_SCREENSHOTS", "/tmp/signalboost-screenshots"))
WAIT_MS = 30_000
"""How long a web-first assertion retries (a loaded 2-core machine can take seconds for a page)."""
PAGES = ["/", "/strategy", "/calendar", "/analytics", "/influencers", "/outreach", "/partners", "/imports"]


def _archive(tmp: Path) -> Path:
    shared = Path(os.environ.get("SIGNALBOOST_SHARED_DATA", SHARED_DATA))
    real = shared / "x-archive-andreruffert"
    if real.is_dir():
        return zip_folder(real, tmp / "twitter-archive.zip")
    return write_mini_archive(tmp)


def _shot(page: object, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)  # type: ignore[attr-defined]


def test_main_flows_in_chromium(browser: object, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    expect.set_options(timeout=WAIT_MS)  # web-first assertions retry until true: no sleeps, robust under load
    ws = Workspace.open(tmp_path / "ws", create=True)
    shutil.copy(DATA / "strategy.yaml", ws.strategy_path)
    seed(ws)  # accounts, posts and a rejected row whose texts are script / attribute-injection payloads
    archive = _archive(tmp_path)
    dialogs: list[str] = []
    with running_server(ws.root) as base:
        ctx = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)  # type: ignore[attr-defined]
        ctx.set_default_timeout(WAIT_MS)
        page = ctx.new_page()
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        elsewhere: list[str] = []  # no CDN, no network: every request goes to the dashboard itself
        ctx.on("request", lambda r: None if r.url.startswith((base, "data:", "blob:")) else elsewhere.append(r.url))
        flash = page.locator(".flash")

        # Keyboard: the first Tab reaches the skip link, which moves focus to the main content.
        page.goto(base + "/")
        page.keyboard.press("Tab")
        expect(page.locator(":focus")).to_have_text("Skip to content")
        page.keyboard.press("Enter")
        expect(page.locator("#main")).to_be_focused()

        # 1. Upload the X archive and watch the import finish.
        page.goto(base + "/imports")
        page.set_input_files("#file", str(archive))
        page.click("#upload-form button[type=submit]")
        job = page.locator("li.job").first
        expect(job).to_have_attribute("data-phase", re.compile("^(done|failed)$"), timeout=120_000)
        expect(job).not_to_contain_text("failed")
        expect(job).to_contain_text(re.compile(r"x-archive: read [\d,]+, loaded [\d,]+"))
        _shot(page, "imports")

        # 2. Influencers: compute the scores, see the table and the chart.
        page.goto(base + "/influencers")
        if page.locator("form[action='/influencers/compute'] button").count():
            page.click("form[action='/influencers/compute'] button")
            expect(flash).to_contain_text("Influence scores computed.", timeout=120_000)
        rows = page.locator("#influencers tbody tr")
        expect(rows.first).to_be_visible()
        expect(rows.first).not_to_contain_text("No account matches")
        # an X archive holds no one else's likes or replies of the brand: engagement is unknown, nothing is drawn at
        # a made-up 0, and the page says why
        expect(page.locator("svg.chart circle")).to_have_count(0)
        expect(page.locator("#chart-note")).to_contain_text("No other account's interactions with the brand")
        # and every interaction in it is the brand's own: the ranking is who the brand engages with, titled so
        expect(page.locator("h1")).to_have_text("Accounts the brand engages with on x (not an influence ranking)")
        expect(page.locator("#ranking-note")).to_contain_text("not their influence")
        _shot(page, "influencers")
        # sort the rows shown by a column header (keyboard-accessible button), and filter and sort through the form
        page.click("#influencers thead button:has-text('Score')")
        expect(page.locator("#influencers thead th:has-text('Score')")).to_have_attribute("aria-sort", "ascending")
        page.select_option("#f-seg", "other")
        page.click("form.filters button[type=submit]")
        expect(page).to_have_url(re.compile(r"segment=other"))

        # 3. Put one in the pipeline and move it on the board.
        page.goto(base + "/influencers")
        first = page.locator("#influencers tbody tr").first
        who = first.locator("td").first.inner_text().split("\n")[0]
        first.locator("form[action='/outreach/add'] button").click()
        expect(flash).to_contain_text("Added to the pipeline")
        card = page.locator(".kcard", has_text=who).first
        card.locator("select").select_option("warming")
        card.locator("button:has-text('Move')").click()
        expect(flash).to_have_text("Moved.")
        expect(page.locator("section.column:has(h3#col-warming) .kcard", has_text=who)).to_have_count(1)
        log = page.locator("#log-form")
        log.locator("#log-kind").select_option("like")
        log.locator("#log-note").fill(XSS_ATTR)
        log.locator("button[type=submit]").click()
        expect(flash).to_have_text(
            re.compile(r"^(Touch logged\.|That touch was already in the ledger; nothing changed\.)$")
        )
        _shot(page, "outreach")

        # 4. Plan the calendar, move a post, export ICS and CSV.
        page.goto(base + "/calendar")
        if lib("signalboost.plan.service", "replan") is None:
            expect(page.locator("main")).to_contain_text("Not available yet")
        else:
            monday = dt.date.today() + dt.timedelta(days=7 - dt.date.today().weekday())
            page.fill("#plan-start", monday.isoformat())
            page.fill("#plan-weeks", "2")
            page.click("#plan-form button[type=submit]")
            expect(flash).to_have_text("Calendar planned.")
            post = page.locator(".calendar .post").first
            post_id = post.get_attribute("data-id")
            post.locator("summary").click()
            target = f"{monday.isoformat()}T07:15"
            post.locator("input[name=when]").fill(target)
            post.locator("button:has-text('Move')").click()
            expect(flash).to_have_text("Post moved.")
            moved = page.locator(f".calendar .post[data-id='{post_id}']")
            expect(moved).to_contain_text("07:15")
            expect(moved).to_contain_text("moved")
            with page.expect_download() as dl:
                page.click("a[href='/calendar.ics']")
            ics = Path(dl.value.path()).read_text()
            assert ics.startswith("BEGIN:VCALENDAR") and ics.count("BEGIN:VEVENT") >= 2
            with page.expect_download() as dl:
                page.click("a[href='/calendar.csv']")
            assert Path(dl.value.path()).read_text().count("\n") >= 3
            page.goto(base + f"/calendar?view=week&date={monday.isoformat()}")
            _shot(page, "calendar-week")
        page.goto(base + "/calendar")
        _shot(page, "calendar")

        # 5. Edit a pillar weight: the validation error of `signalboost validate`, and nothing saved.
        before = ws.strategy_path.read_text()
        page.goto(base + "/strategy")
        page.fill("#w-brand", "45")
        page.click("#weights-form button[type=submit]")
        expect(page.locator("#weights-errors")).to_contain_text("pillar weights sum to 105, not 100")
        expect(page.locator("#w-brand")).to_have_value("45")  # what the person typed is kept
        assert ws.strategy_path.read_text() == before
        _shot(page, "strategy-error")

        # 6. Hostile text in names, bios, post texts and rejected rows: shown as text, never run.
        for path, payload in (("/influencers/x/1", XSS_SCRIPT), ("/imports/1", XSS_SCRIPT)):
            page.goto(base + path)
            expect(page.locator("main")).to_contain_text(payload)
        expect(page.locator("img[src=x]")).to_have_count(0)
        assert dialogs == [], dialogs

        # 7. Every page, at desktop width and at phone width (390 px): no error, nothing wider than the screen.
        for path in PAGES:
            response = page.goto(base + path)
            assert response is not None and response.status == 200, (path, response and response.status)
            expect(page.locator("main")).not_to_contain_text(re.compile("Not available yet|Could not compute"))
            _shot(page, "desktop-" + (path.strip("/") or "overview"))
        phone = ctx.new_page()
        phone.set_viewport_size({"width": 390, "height": 844})
        phone.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        for path in [*PAGES, "/influencers/x/1"]:
            response = phone.goto(base + path)
            assert response is not None and response.status == 200, (path, response and response.status)
            _shot(phone, "phone-" + (path.strip("/").replace("/", "_") or "overview"))
            width = phone.evaluate("document.documentElement.scrollWidth")
            assert width <= 392, f"{path} is {width}px wide at phone width"
        assert dialogs == [] and errors == [], (dialogs, errors)
        assert elsewhere == [], elsewhere
        ctx.close()


def test_dns_rebinding_is_refused_in_chromium(browser: object, tmp_path: Path) -> None:
    """Issue 18, item 5, in a real browser: Chromium resolves ``rebind.evil.example`` to 127.0.0.1 (a host-resolver
    rule stands for the attacker's DNS flipping the name to this machine). A page on that name must get neither
    the dashboard nor its data, and a form posted from that site to the real address is refused (Origin check)."""
    ws = Workspace.open(tmp_path / "ws", create=True)
    shutil.copy(DATA / "strategy.yaml", ws.strategy_path)
    before = ws.strategy_path.read_bytes()
    with running_server(ws.root) as base:
        port = base.rsplit(":", 1)[1]
        # the attacker's page is theirs: no CSP of ours applies to it
        ctx = browser.new_context(bypass_csp=True)  # type: ignore[attr-defined]
        try:
            ctx.set_default_timeout(WAIT_MS)
            page = ctx.new_page()
            # 1. the rebound name reaches our server, which refuses it: no page, no JSON, no token
            for path in ("/", "/strategy", "/strategy.json", "/openapi.json"):
                response = page.goto(f"http://rebind.evil.example:{port}{path}")
                assert response is not None and response.status == 400, path
                assert "does not answer to the host name" in page.content()
            # a script of that origin cannot write through it either
            status = page.evaluate(
                """async () => (await fetch('/calendar/plan', {method: 'POST',
                     body: new URLSearchParams({start: '2024-01-01', weeks: '1', csrf_token: 'x'})})).status"""
            )
            assert status == 400
            # 2. a form on another site posting to the real address, with a token (say, leaked) of a real session
            token_page = ctx.new_page()
            token_page.goto(base + "/strategy")
            token = token_page.locator("input[name=csrf_token]").first.get_attribute("value")
            attacker = ctx.new_page()
            attacker.route(
                "http://attacker.evil.example/**",
                lambda route: route.fulfill(
                    status=200,
                    content_type="text/html",
                    body=(
                        f'<form id="f" method="post" action="{base}/strategy/pillars">'
                        f'<input name="csrf_token" value="{token}"><input name="pillar" value="brand">'
                        '<input name="weight" value="99"></form>'
                    ),
                ),
            )
            attacker.goto("http://attacker.evil.example/")
            with attacker.expect_navigation():
                attacker.evaluate("document.getElementById('f').submit()")
            assert "another site" in attacker.content()
            assert ws.strategy_path.read_bytes() == before
            # 3. the dashboard itself, at its own address, works in the same browser
            assert page.goto(base + "/strategy") is not None
            assert page.locator("h1").first.inner_text()
        finally:
            ctx.close()
