"""On a phone the Kepala Dinas dashboard fits the screen, charts included, with no CSP error."""

from __future__ import annotations

import os
import shutil

import pytest

from complaints.core import clock
from tests.reports.fixtures import AFTER, build_march
from tests.support.live import serve

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="no Chromium on this machine"),
]


@pytest.fixture
def live_server(app):
    with serve(app) as url:
        yield url
    clock.set_now(None)


def test_kadis_dashboard_fits_a_phone(app, live_server, factory, tmp_path):
    playwright_api = pytest.importorskip("playwright.sync_api")
    with app.app_context():
        build_march(factory)
    clock.set_now(AFTER)
    user = factory.user(positions=[("kadis", None)])
    errors: list[str] = []
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        try:
            page = browser.new_page(viewport={"width": 390, "height": 844})
            # Content-Security-Policy refusals show as console errors ("Refused to ...").
            page.on("console", lambda msg: errors.append(msg.text)
                    if msg.type == "error" and "Refused" in msg.text else None)
            page.goto(f"{live_server}/login")
            page.fill("input[name=username]", user.username)
            page.fill("input[name=password]", "password-123")
            with page.expect_navigation():
                page.press("input[name=password]", "Enter")
            assert page.url.endswith("/staff/dashboard/kadis")
            charts = page.locator("svg.chart").count()
            shot = os.environ.get("REPORTS_SCREENSHOT") or str(tmp_path / "kadis-phone.png")
            page.screenshot(path=shot, full_page=True)
            widths = page.evaluate("() => [document.documentElement.scrollWidth, innerWidth]")
        finally:
            browser.close()
    assert charts == 4
    assert widths[0] <= widths[1]
    assert not errors
