"""Session cookies verified once per value: the same sessions as Flask's own, never a bad one."""

from __future__ import annotations

from datetime import timedelta

from flask import flash, request, session

from complaints.core import security


def _kept(app) -> dict:
    return app.extensions.get(security.SESSIONS_EXTENSION, {})


def test_a_logged_in_cookie_is_decoded_once_and_stays_logged_in(app, client, auth):
    auth.login_as("registrar", None)
    assert client.get("/staff/queue").status_code == 200  # puts the CSRF token in
    value = client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value
    kept = len(_kept(app))
    for _ in range(3):
        assert client.get("/staff/queue").status_code == 200
    assert client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value == value
    assert len(_kept(app)) == kept + 1  # that one value, decoded once
    auth.logout()
    assert client.get("/staff/queue").status_code == 302  # the new cookie: logged out


def test_a_tampered_or_foreign_cookie_is_a_new_session_and_never_kept(app, client, auth):
    auth.login_as("registrar", None)
    assert client.get("/staff/queue").status_code == 200
    name = app.config["SESSION_COOKIE_NAME"]
    value = client.get_cookie(name).value
    before = len(_kept(app))
    for bad in (value[:-2] + ("AA" if not value.endswith("AA") else "BB"), "not-a-cookie"):
        client.set_cookie(name, bad)
        assert client.get("/staff/queue").status_code == 302
    assert len(_kept(app)) == before


def test_a_kept_cookie_expires_with_the_session_lifetime(app, client, auth, monkeypatch):
    app.permanent_session_lifetime = timedelta(minutes=5)
    auth.login_as("registrar", None)
    assert client.get("/staff/queue").status_code == 200
    now = security.time.time()
    monkeypatch.setattr(security.time, "time", lambda: now + 6 * 60)
    assert client.get("/staff/queue").status_code == 302  # kept, but too old now


def test_each_request_gets_its_own_copy_of_the_data(app):
    app.config["SECRET_KEY"] = "a-test-secret"
    with app.test_request_context("/"):
        flash("Pesan pertama")
        session["numbers"] = [1, 2]
        cookie = security.KeptCookieSessions().get_signing_serializer(app).dumps(dict(session))
    interface = security.KeptCookieSessions()
    for _ in range(2):
        with app.test_request_context("/", headers={"Cookie": f"session={cookie}"}):
            opened = interface.open_session(app, request)
            assert opened["numbers"] == [1, 2]
            assert [m for _c, m in opened["_flashes"]] == ["Pesan pertama"]
            opened["numbers"].append(3)  # changes this request's copy only
            opened["_flashes"].append(("info", "Pesan kedua"))
    assert len(_kept(app)) == 1
