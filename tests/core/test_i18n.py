"""Every string a person reads has an Indonesian translation; the switch works."""

from __future__ import annotations

from complaints.core.i18n_check import missing


def test_every_translatable_string_has_an_indonesian_translation():
    gaps = missing("id")
    listing = "\n".join(f"{msgid!r} at {places[0]}" for msgid, places in list(gaps.items())[:40])
    assert not gaps, (
        f"{len(gaps)} strings lack an Indonesian translation; add them to "
        f"translations/id/<domain>.po (python -m complaints.core.i18n_check prints stubs):\n"
        + listing
    )


def test_indonesian_by_default_and_english_by_switch(client):
    page = client.get("/login").get_data(as_text=True)
    assert 'lang="id"' in page and "Masuk" in page
    response = client.post("/lang/en", data={"next": "/login"})
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    page = client.get("/login").get_data(as_text=True)
    assert 'lang="en"' in page and "Log in" in page


def test_language_switch_refuses_unknown_languages_and_foreign_redirects(client):
    assert client.post("/lang/fr").status_code == 404
    response = client.post("/lang/en", data={"next": "https://evil.example/"})
    assert response.headers["Location"] == "/"
