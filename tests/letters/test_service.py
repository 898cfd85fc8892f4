"""Reply letters on SQLite and PostgreSQL: numbering, PDF, signer, dispatch, no fetching."""

from __future__ import annotations

import io
import threading
from datetime import UTC, date, datetime

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from complaints.accounts.models import Assignment, Position, User
from complaints.core import clock
from complaints.core import pdf as render
from complaints.extensions import db
from complaints.letters import service
from complaints.letters.models import DispatchMethod, ReplyLetter
from complaints.tickets import attachments
from complaints.tickets.models import Complaint, ComplaintEvent, Weight
from tests.support.canary import Canary

DECISION = ("Dengan hormat,\n\nmenanggapi surat Saudara, dengan ini kami sampaikan bahwa "
            "Surat Izin Kerja Okupasi Terapis (SIKOT) Saudara telah terbit.\n\n"
            "Demikian kami sampaikan, atas perhatiannya diucapkan terima kasih.")


@pytest.fixture
def officials(app, factory):
    """The Kepala Bidang Perizinan, the Sekretaris and the Kepala Dinas, with NIPs."""
    return {
        "kabid": factory.user(full_name="Budi Hartono, S.Sos", nip="197001012000031001",
                              positions=[("kabid", "perizinan")]),
        "sekretaris": factory.user(full_name="Hendra Putra, S.H.", nip="197502022001121002",
                                   positions=[("sekretaris", None)]),
        "kadis": factory.user(full_name="Ir. Ahmad Fauzi, M.T.", nip="196803031995031003",
                              positions=[("kadis", None)]),
        "handler": factory.user(positions=[("handler", "perizinan")]),
        "registrar": factory.user(positions=[("registrar", None)]),
    }


def draft(body: str = DECISION) -> service.LetterDraft:
    return service.LetterDraft("Tanggapan atas Pengaduan", "Budi Santoso\nJl. Sudirman 1",
                               body, "1 (satu) berkas")


def _set_weight(complaint_id: int, weight: Weight | None, division_code: str | None = None):
    from complaints.accounts.models import Division

    row = db.session.get(Complaint, complaint_id)
    row.weight = weight
    if division_code:
        row.division_id = db.session.scalar(select(Division.id).where(
            Division.code == division_code))
    db.session.commit()


def pdf_text(letter: ReplyLetter) -> tuple[str, bytes]:
    data = attachments.path_of(letter.attachment).read_bytes()
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages), data


def test_letter_is_numbered_rendered_and_stored(ctx, factory, officials):
    complaint, _ = factory.complaint()
    _set_weight(complaint.id, Weight.RINGAN, "perizinan")
    clock.set_now(datetime(2026, 11, 23, 2, 0, tzinfo=UTC))  # 09:00 WIB
    try:
        first = service.create_letter(complaint.id, draft(), officials["handler"])
        second = service.create_letter(complaint.id, draft(), officials["handler"])
    finally:
        clock.set_now(None)
    assert (first.number, second.number) == ("001/DPMPTSP/XI/2026", "002/DPMPTSP/XI/2026")
    text, data = pdf_text(first)
    assert data.startswith(b"%PDF-")
    for expected in ("PEMERINTAH KOTA PEKANBARU", "Pekanbaru, 23 November 2026",
                     "001/DPMPTSP/XI/2026", "1 (satu) berkas", "Tanggapan atas Pengaduan",
                     "Budi Santoso", "SIKOT", "Kepala Bidang", "Budi Hartono, S.Sos",
                     "NIP. 197001012000031001", "(0761) 28262", "(0761) 42003",
                     "dpmptsppekanbaru@gmail.com"):
        assert expected in text, expected
    assert first.attachment.content_type == "application/pdf"
    assert first.attachment.public is False


def test_sedang_and_berat_are_signed_by_the_kepala_dinas(ctx, factory, officials):
    complaint, _ = factory.complaint()
    _set_weight(complaint.id, Weight.BERAT, "perizinan")
    letter = service.create_letter(complaint.id, draft(), officials["registrar"])
    assert letter.signer_name == "Ir. Ahmad Fauzi, M.T."
    assert letter.signer_title.startswith("Kepala Dinas Penanaman Modal")
    text, _ = pdf_text(letter)
    assert "Ir. Ahmad Fauzi, M.T." in text and "NIP. 196803031995031003" in text


def test_acting_official_signs_as_plt(ctx, factory, officials):
    db.session.execute(db.delete(Assignment).where(Assignment.position == Position.KADIS))
    db.session.commit()
    plt = factory.user(full_name="Drs. Rahmat Hidayat", nip="197104041996031004",
                       positions=[("kadis", None)])
    assignment = db.session.scalar(select(Assignment).where(Assignment.user_id == plt.id))
    assignment.acting = True
    db.session.commit()
    complaint, _ = factory.complaint()
    _set_weight(complaint.id, Weight.SEDANG)
    letter = service.create_letter(complaint.id, draft(), officials["registrar"])
    assert letter.signer_acting and letter.signer_name == "Drs. Rahmat Hidayat"
    assert "Plt. Kepala Dinas" in pdf_text(letter)[0]


def test_ringan_without_a_kabid_falls_back_to_the_sekretaris(ctx, factory, officials):
    complaint, _ = factory.complaint()
    _set_weight(complaint.id, Weight.RINGAN)  # no division: no Kepala Bidang concerned
    letter = service.create_letter(complaint.id, draft(), officials["registrar"])
    assert (letter.signer_title, letter.signer_name) == ("Sekretaris", "Hendra Putra, S.H.")


def test_numbers_are_unique_and_gapless_under_concurrency(app, factory, officials):
    complaint, _ = factory.complaint()
    actor = officials["registrar"]
    numbers: list[str] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(4)

    def make() -> None:
        with app.app_context():
            try:
                barrier.wait()
                user = db.session.get(User, actor.id)
                numbers.append(service.create_letter(complaint.id, draft("Jawaban."), user)
                               .number)
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=make) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert errors == []
    year = datetime.now(UTC).year
    seqs = sorted(int(n.split("/")[0]) for n in numbers)
    assert seqs == [1, 2, 3, 4] and all(n.endswith(str(year)) for n in numbers)


def test_dispatch_is_the_reply_proof(ctx, factory, officials):
    complaint, _ = factory.complaint()
    letter = service.create_letter(complaint.id, draft(), officials["registrar"])
    service.record_dispatch(letter.id, DispatchMethod.POST, date(2026, 11, 24),
                            officials["registrar"], "Resi RR123456789ID")
    event = db.session.scalar(select(ComplaintEvent).where(ComplaintEvent.kind == "letter_sent"))
    assert (event.from_value, event.to_value, event.public) == ("post", letter.number, True)
    with pytest.raises(service.LetterError):
        service.record_dispatch(letter.id, DispatchMethod.HAND, date(2026, 11, 25),
                                officials["registrar"])


def test_missing_text_and_foreign_division_are_refused(ctx, factory, officials):
    complaint, _ = factory.complaint()
    with pytest.raises(service.LetterError):
        service.create_letter(complaint.id, draft(body="  "), officials["registrar"])
    with pytest.raises(service.LetterError):  # a handler sees only their division's files
        service.create_letter(complaint.id, draft(), officials["handler"])
    assert db.session.scalar(select(ReplyLetter)) is None


@pytest.fixture
def canary():
    server = Canary()
    yield server
    server.stop()


def test_hostile_letter_text_fetches_nothing(ctx, factory, officials, canary):
    complaint, _ = factory.complaint()
    body = (f"<img src={canary.url}/canary>\n\n"
            f'<link rel="stylesheet" href="{canary.url}/link.css">\n\n'
            f"<style>@import url({canary.url}/import.css);</style> @import '{canary.url}/x.css';"
            "\n\n<img src=file:///etc/passwd> file:///etc/passwd "
            "<iframe src=\"file:///etc/passwd\"></iframe>")
    letter = service.create_letter(complaint.id, draft(body), officials["registrar"])
    text, data = pdf_text(letter)
    assert canary.hits == []
    assert b"root:x:0:0" not in data and "root:x:0:0" not in text
    assert f"<img src={canary.url}/canary>" in text  # shown as text, escaped


def test_renderer_refuses_everything_but_static_files(ctx, canary, tmp_path):
    secret = tmp_path / "secret.css"
    secret.write_text("body { color: red } /* SECRET-BYTES */")
    html = f"""<html><head>
      <link rel="stylesheet" href="letters/letter.css">
      <link rel="stylesheet" href="{canary.url}/link.css">
      <link rel="stylesheet" href="{secret.as_uri()}">
      <link rel="stylesheet" href="../../../../../../etc/passwd">
      <style>@import url({canary.url}/import.css); @import url(file:///etc/passwd);
        @font-face {{ font-family: X; src: url({canary.url}/font.woff); }}
        body {{ background: url({canary.url}/bg.png); font-family: X; }}</style></head>
      <body><img src="{canary.url}/canary.png"><img src="file:///etc/passwd">
      <object data="file:///etc/passwd"></object><embed src="file:///etc/passwd">
      <img src="data:image/png;base64,iVBORw0KGgo="><p>hello</p></body></html>"""
    fetcher = render.StaticOnlyFetcher(render.static_root())
    pdf = render.html_to_pdf(html, fetcher)
    assert canary.hits == []
    assert b"root:x:0:0" not in pdf and b"SECRET-BYTES" not in pdf
    assert any(url.endswith("/static/letters/letter.css") for url in fetcher.served)
    assert len(fetcher.served) == 1
    assert any("passwd" in url for url in fetcher.refused)
    assert any(secret.name in url for url in fetcher.refused)
