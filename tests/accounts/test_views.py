"""Login, logout, sessions, identity audit and the admin pages through the test client."""

from __future__ import annotations

from complaints.accounts.models import Assignment, AuditLog, Division, User
from complaints.extensions import db
from complaints.tickets.models import Confidentiality
from tests.conftest import PASSWORD


def _audit(app, action: str) -> list[AuditLog]:
    with app.app_context():
        rows = db.session.scalars(db.select(AuditLog).where(AuditLog.action == action)).all()
        db.session.expunge_all()
        return rows


def _user(app, username: str) -> User:
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.username == username))
        for assignment in user.assignments:
            assignment.division  # noqa: B018 - load before detaching
        db.session.expunge_all()
        return user


def test_login_page_and_wrong_password(client, factory):
    factory.user("siti", positions=[("loket", None)])
    assert client.get("/login").status_code == 200
    response = client.post("/login", data={"username": "siti", "password": "nope-nope"})
    assert response.status_code == 200
    assert "Kata sandi" in response.get_data(as_text=True) or "password" in response.get_data(
        as_text=True).lower()
    assert client.get("/staff/queue").status_code == 302


def test_login_starts_a_new_session_and_keeps_the_language(client, factory):
    factory.user("siti", positions=[("loket", None)])
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
        session["lang"] = "en"
    response = client.post("/login?next=/staff/intake/", data={"username": "siti",
                                                               "password": PASSWORD})
    assert response.headers["Location"] == "/staff/intake/"
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["lang"] == "en"
        assert session["_user_id"].startswith(str(_user(client.application, "siti").id) + ":")


def test_login_never_redirects_off_site(client, factory):
    factory.user("siti", positions=[("loket", None)])
    response = client.post("/login?next=//evil.example/x", data={"username": "siti",
                                                                 "password": PASSWORD})
    assert response.headers["Location"] == "/staff/queue"


def test_admin_lands_on_the_admin_pages(client, auth):
    auth.login_as("admin", None)
    assert client.get("/").headers["Location"] == "/admin/users"
    assert client.get("/login").headers["Location"] == "/admin/users"


def test_logout_ends_the_session_and_a_copied_cookie_stops_working(app, client, auth):
    auth.login_as("registrar", None)
    assert client.get("/staff/queue").status_code == 200
    stolen = client.get_cookie("session").value
    response = auth.logout()
    assert response.headers["Location"] == "/login"
    assert client.get("/staff/queue").status_code == 302
    other = app.test_client()
    other.set_cookie("session", stolen)
    assert other.get("/staff/queue").status_code == 302
    assert len(_audit(app, "logout")) == 1


def test_password_change_ends_other_sessions(app, client, auth):
    from complaints.accounts import service

    user = auth.login_as("registrar", None)
    with app.app_context():
        service.set_password(user.id, "brand-new-password")
    assert client.get("/staff/queue").status_code == 302


def test_lockout_through_the_login_form(app, client, factory):
    factory.user("siti", positions=[("loket", None)])
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        client.post("/login", data={"username": "siti", "password": "wrong-pass"})
    response = client.post("/login", data={"username": "siti", "password": PASSWORD})
    assert response.status_code == 200
    assert client.get("/staff/queue").status_code == 302
    assert len(_audit(app, "account_locked")) == 1
    reasons = [row.detail["reason"] for row in _audit(app, "login_failed")]
    assert reasons[-1] == "locked"


def test_inactive_user_cannot_log_in(app, client, factory):
    from complaints.accounts import service

    user = factory.user("siti", positions=[("loket", None)])
    with app.app_context():
        service.update_user(user.id, full_name="Siti", email=None, phone=None, nip=None,
                            active=False)
    client.post("/login", data={"username": "siti", "password": PASSWORD})
    assert client.get("/staff/queue").status_code == 302


def test_opening_a_rahasia_complaint_audits_who_saw_the_identity(app, client, auth, factory):
    complaint, _ = factory.complaint(confidentiality=Confidentiality.RAHASIA,
                                     complainant_name="Rahasia Orang")
    auth.login_as("loket", None)
    page = client.get(f"/staff/complaints/{complaint.id}").get_data(as_text=True)
    assert "Rahasia Orang" not in page and "•••" in page
    assert _audit(app, "view_identity") == []
    auth.logout()
    auth.login_as("registrar", None)
    page = client.get(f"/staff/complaints/{complaint.id}").get_data(as_text=True)
    assert "Rahasia Orang" in page
    (row,) = _audit(app, "view_identity")
    assert (row.object_type, row.object_id, row.detail["where"]) == (
        "complaint", complaint.id, "detail")


def test_an_ordinary_complaint_writes_no_identity_audit(app, client, auth, factory):
    complaint, _ = factory.complaint(complainant_name="Biasa Orang")
    auth.login_as("registrar", None)
    assert "Biasa Orang" in client.get(f"/staff/complaints/{complaint.id}").get_data(
        as_text=True)
    assert _audit(app, "view_identity") == []


def test_admin_creates_a_user_and_gives_a_position(app, client, auth):
    auth.login_as("admin", None)
    response = client.post("/admin/users/new", data={
        "username": "rina", "full_name": "Rina Petugas", "email": "rina@example.org",
        "password": "password-456", "active": "y"})
    assert response.status_code == 302
    user = _user(app, "rina")
    assert response.headers["Location"] == f"/admin/users/{user.id}"
    response = client.post(f"/admin/users/{user.id}/positions", data={
        "a-position": "handler", "a-division": "perizinan", "a-acting": "y"})
    assert response.status_code == 302
    (assignment,) = _user(app, "rina").assignments
    assert assignment.position.value == "handler" and assignment.acting
    assert assignment.division.code == "perizinan"
    assert "Rina Petugas" in client.get("/admin/users").get_data(as_text=True)
    response = client.post(f"/admin/positions/{assignment.id}/remove")
    assert response.headers["Location"] == f"/admin/users/{user.id}"
    assert _user(app, "rina").assignments == []


def test_new_user_form_errors_keep_what_was_typed(client, auth, factory):
    factory.user("taken")
    auth.login_as("admin", None)
    response = client.post("/admin/users/new", data={
        "username": "rina baru", "full_name": "Rina Ketik", "email": "not-an-email",
        "password": "password-456"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'value="rina baru"' in page and 'value="Rina Ketik"' in page
    assert 'value="not-an-email"' in page
    assert 'aria-invalid="true"' in page
    response = client.post("/admin/users/new", data={
        "username": "TAKEN", "full_name": "Dua", "password": "password-456"})
    assert response.status_code == 200
    assert "taken" in response.get_data(as_text=True)
    response = client.post("/admin/users/new", data={"username": "nopw", "full_name": "Tanpa"})
    assert response.status_code == 200
    assert 'value="nopw"' in response.get_data(as_text=True)


def test_admin_edits_a_user_and_sets_a_password(app, client, auth, factory):
    user = factory.user("budi", full_name="Budi Lama")
    auth.login_as("admin", None)
    assert "Budi Lama" in client.get(f"/admin/users/{user.id}").get_data(as_text=True)
    response = client.post(f"/admin/users/{user.id}", data={
        "username": "budi", "full_name": "Budi Baru", "phone": "0812", "active": "y",
        "password": "password-789"})
    assert response.status_code == 302
    edited = _user(app, "budi")
    assert (edited.full_name, edited.phone) == ("Budi Baru", "0812")
    assert edited.session_token != user.session_token
    response = client.post(f"/admin/users/{user.id}", data={
        "username": "budi", "full_name": "Budi Baru", "password": "short"})
    assert response.status_code == 200
    assert 'value="Budi Baru"' in response.get_data(as_text=True)
    client.post(f"/admin/users/{user.id}", data={"username": "budi", "full_name": "Budi Baru"})
    assert not _user(app, "budi").active


def test_position_without_its_division_is_refused_with_a_message(app, client, auth, factory):
    user = factory.user("budi")
    auth.login_as("admin", None)
    response = client.post(f"/admin/users/{user.id}/positions", data={"a-position": "kabid"},
                           follow_redirects=True)
    assert response.status_code == 200
    assert _user(app, "budi").assignments == []
    assert "flash-error" in response.get_data(as_text=True)


def test_admin_adds_and_renames_a_division(app, client, auth):
    auth.login_as("admin", None)
    response = client.post("/admin/divisions", data={"code": "umum", "name": "Bagian Umum",
                                                     "active": "y"})
    assert response.status_code == 302
    client.post("/admin/divisions", data={"code": "umum", "name": "Bagian Umum Baru"})
    with app.app_context():
        division = db.session.scalar(db.select(Division).where(Division.code == "umum"))
        assert (division.name, division.active) == ("Bagian Umum Baru", False)
        assert db.session.scalar(db.select(db.func.count(Assignment.id))) == 1
    response = client.post("/admin/divisions", data={"code": "Bad Code!", "name": "Ketikan"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'value="Bad Code!"' in page and 'value="Ketikan"' in page


def test_forms_refuse_posts_without_the_csrf_token(app):
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    assert client.post("/login", data={"username": "x", "password": "y"}).status_code == 400
    assert client.post("/logout").status_code == 400
    assert client.post("/lang/en").status_code == 400
    page = client.get("/login").get_data(as_text=True)
    assert 'name="csrf_token"' in page
