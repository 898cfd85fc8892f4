"""On a phone the register table scrolls sideways inside its frame, not the whole page."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime

import pytest

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


def test_register_table_scrolls_inside_its_frame_on_a_phone(live_server, factory, tmp_path):
    screenshots = tmp_path
    playwright_api = pytest.importorskip("playwright.sync_api")
    user = factory.user(positions=[("registrar", None)])
    for day in (3, 4):
        factory.complaint(received_at=datetime(2026, 11, day, 3, tzinfo=UTC),
                          body="Pengurusan izin praktik belum selesai " * 4)
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        try:
            page = browser.new_page(viewport={"width": 390, "height": 844})
            page.goto(f"{live_server}/login")
            page.fill("input[name=username]", user.username)
            page.fill("input[name=password]", "password-123")
            with page.expect_navigation():
                page.press("input[name=password]", "Enter")
            page.goto(f"{live_server}/staff/register/?month=2026-11")
            assert page.locator("text=ADU/2026/000002").count() == 1
            page.screenshot(path=str(screenshots / "register-phone.png"), full_page=True)
            sizes = page.evaluate("""() => {
                const wrap = document.querySelector('.table-wrap');
                return {wrapScroll: wrap.scrollWidth, wrapClient: wrap.clientWidth,
                        page: document.documentElement.scrollWidth, view: window.innerWidth};
            }""")
        finally:
            browser.close()
    assert sizes["wrapScroll"] > sizes["wrapClient"]  # the table scrolls in its frame
    assert sizes["page"] <= sizes["view"]  # the page itself does not
