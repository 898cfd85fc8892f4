"""A real Chromium on a phone-sized screen files, follows and rates a complaint (id and en).

Runs the app on a loopback port with a SQLite database, drives Debian's Chromium through
Playwright (no browser download), saves a screenshot of every page under test-artifacts/
and checks every public page with axe-core (vendored in static/vendor, served locally).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
if not os.path.exists(CHROMIUM):
    pytest.skip(
        f"!!!!! NO CHROMIUM AT {CHROMIUM}: the browser tests are SKIPPED !!!!!",
        allow_module_level=True,
    )
sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

from complaints.extensions import db  # noqa: E402
from complaints.tickets.models import Channel, Complaint, Status  # noqa: E402
from complaints.tickets.service import apply_changes, record_event  # noqa: E402
from tests.conftest import make_app  # noqa: E402
from tests.support.live import serve  # noqa: E402

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "browser"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200
AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.map(n => n.target.join(' ')).slice(0, 3)}));
}"""
TEXT = {
    "id": {
        "complain": "Kirim pengaduan",
        "send": "Kirim pengaduan",
        "follow": "Lacak pengaduan ini",
        "show": "Tampilkan pengaduan saya",
        "forget": "Lupakan pengaduan ini di perangkat ini",
        "rate": "Kirim penilaian saya",
        "thanks": "Terima kasih atas penilaian Anda",
        "reply": "Jawaban dari kantor",
        "message": "Kirim",
    },
    "en": {
        "complain": "Send a complaint",
        "send": "Send the complaint",
        "follow": "Follow this complaint",
        "show": "Show my complaint",
        "forget": "Forget this complaint on this device",
        "rate": "Send my rating",
        "thanks": "Thank you for your rating",
        "reply": "Answer from the office",
        "message": "Send",
    },
}


@pytest.fixture
def live_app(tmp_path):
    app = make_app("sqlite", tmp_path)
    with serve(app) as url:
        yield app, url
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield chromium
        chromium.close()


class Visit:
    """One person's phone: screenshots and accessibility checks of each page."""

    def __init__(self, page, base: str, lang: str):
        self.page, self.base, self.lang, self.step = page, base, lang, 0
        ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def check(self, name: str) -> None:
        """Screenshot the page and fail on serious or critical axe violations."""
        self.step += 1
        self.page.screenshot(
            path=str(ARTIFACTS / f"{self.lang}-{self.step:02d}-{name}.png"), full_page=True
        )
        self.page.add_script_tag(url=f"{self.base}/static/vendor/axe.min.js")
        violations = self.page.evaluate(AXE_RUN)
        bad = [v for v in violations if v["impact"] in ("serious", "critical")]
        assert not bad, f"{name}: {bad}"


def _status_label(app, lang: str, status: Status) -> str:
    """Return the status as the app labels it in the language."""
    from flask_babel import force_locale

    from complaints.core.labels import label

    with app.test_request_context(), force_locale(lang):
        return label("status", status)


def _answer(app, text: str) -> None:
    with app.app_context():
        complaint = db.session.scalar(db.select(Complaint))
        record_event(complaint, "reply", None, note=text, public=True)
        apply_changes(complaint, None, note="answered by phone too", status=Status.ANSWERED)
        db.session.commit()
        db.session.remove()


@pytest.mark.parametrize("lang", ["id", "en"])
def test_file_follow_and_rate_a_complaint_on_a_phone(live_app, browser, lang, tmp_path):
    app, base = live_app
    words = TEXT[lang]
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale=lang)
    page = context.new_page()
    visit = Visit(page, base, lang)
    page.goto(base + "/")
    if lang == "en":
        page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", lang)
    visit.check("home")

    page.get_by_role(
        "link", name="Service standards"
    ).first.click() if lang == "en" else page.get_by_role(
        "link", name="Standar pelayanan"
    ).first.click()
    expect(page).to_have_url(re.compile(r"/layanan$"))
    visit.check("services")
    page.locator("ul.cards a").nth(1).click()
    expect(page).to_have_url(re.compile(r"/layanan/\w+$"))
    visit.check("service")

    page.get_by_role("link", name=words["complain"]).first.click()
    expect(page).to_have_url(re.compile(r"/adukan$"))
    visit.check("form")
    photo = tmp_path / "foto-loket.png"
    photo.write_bytes(PNG)
    page.locator("#complainant_name").fill("Siti Aminah")
    page.locator("#complainant_phone").fill("0812 3456 7890")
    page.locator("#service_id").select_option(index=2)
    page.locator("#incident_date").fill("2026-11-02")
    page.locator("#body").fill("Izin SIKOT saya belum selesai setelah tiga minggu.")
    page.locator("#files").set_input_files(str(photo))
    page.get_by_role("button", name=words["send"]).click()  # consent missing: refused
    expect(page.locator("#consent-error")).to_be_visible()
    expect(page.locator("#body")).to_have_value(re.compile("^Izin SIKOT"))
    expect(page.locator(".held")).to_contain_text("foto-loket.png")
    visit.check("form-errors")
    page.locator("#consent").check()
    page.get_by_role("button", name=words["send"]).click()

    expect(page.locator("#number")).to_be_visible()
    number = page.locator("#number").inner_text()
    code = page.locator("#code").inner_text()
    assert number.startswith("ADU/") and len(code) == 14
    visit.check("receipt")
    page.get_by_role("link", name=words["follow"]).click()
    expect(page).to_have_url(re.compile(r"/lacak/pengaduan$"))
    visit.check("tracked")

    page.get_by_role("button", name=words["forget"]).click()
    expect(page).to_have_url(re.compile(r"/lacak$"))
    page.locator("#number").fill(number)
    page.locator("#code").fill("AAAA-BBBB-CCCC")
    page.get_by_role("button", name=words["show"]).click()
    expect(page.locator("#track-error")).to_be_visible()
    visit.check("track-wrong")
    page.locator("#code").fill(code.lower())
    page.get_by_role("button", name=words["show"]).click()
    expect(page.locator("h1")).to_contain_text(number)

    page.locator("#text").fill("Nomor berkas saya 0042.")
    page.get_by_role("button", name=words["message"], exact=True).click()
    expect(page.locator(".timeline")).to_contain_text("Nomor berkas saya 0042.")

    _answer(app, "Izin Anda sudah terbit; silakan ambil di loket 3.")
    page.reload()
    expect(page.locator("#status")).to_have_text(_status_label(app, lang, Status.ANSWERED))
    expect(page.locator(".timeline")).to_contain_text(words["reply"])
    expect(page.locator(".reply")).to_contain_text("loket 3")
    assert "answered by phone too" not in page.content()
    visit.check("answered")
    page.locator("input[name=score][value='4']").check()
    page.locator("#comment").fill("Cepat dan jelas.")
    page.get_by_role("button", name=words["rate"]).click()
    expect(page.locator(".flash")).to_contain_text(words["thanks"])
    visit.check("rated")
    context.close()

    with app.app_context():
        complaint = db.session.scalar(db.select(Complaint))
        assert complaint.channel == Channel.WEB and complaint.number == number
        assert [a.original_name for a in complaint.attachments] == ["foto-loket.png"]


def test_the_form_page_transfers_less_than_100_kb(live_app, browser):
    app, base = live_app
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    sizes: list[int] = []
    page.on(
        "requestfinished",
        lambda request: sizes.append(
            request.sizes()["responseBodySize"] + request.sizes()["responseHeadersSize"]
        ),
    )
    page.goto(base + "/adukan", wait_until="networkidle")
    context.close()
    total = sum(sizes)
    (ARTIFACTS / "form-weight.txt").write_text(f"{total} bytes in {len(sizes)} requests\n")
    assert 0 < total < 100 * 1024, total
