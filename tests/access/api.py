"""Access matrix of the API domain.

The API itself ignores the session cookie: staff operations answer 401 to every role of
this matrix, which logs in by cookie (the token and scope matrix per position is in
tests/api/test_scopes.py). POSTs are sent as empty form data: the public operations answer
400 (the number is missing) or 415 (the body is not JSON). The token pages are ordinary
pages behind the login. Placeholders of our own: {token_id} (a token of the registrar) and
{token_user_id} (the registrar's id).
"""

from tests.access import LOGIN

ALL = ("anonymous", "loket", "registrar", "handler", "kabid", "sekretaris", "kadis", "admin")
STAFF = ALL[1:]


def same(code):
    """Return the same expected answer for every role."""
    return dict.fromkeys(ALL, code)


def logged_in(code, anonymous=LOGIN):
    """Return the answer of a page for any signed-in user."""
    return {"anonymous": anonymous, **dict.fromkeys(STAFF, code)}


def admin_only(code):
    return {**same(403), "anonymous": LOGIN, "admin": code}


def placeholders(world):
    """Create a token of the registrar for the revoke routes."""
    from complaints.accounts.models import User
    from complaints.api import tokens
    from complaints.extensions import db

    user = db.session.get(User, world.users["registrar"])
    token, _plain = tokens.create_token(user.id, "matrix", ["complaints:read"], user)
    return {"token_id": token.id, "token_user_id": user.id}


C = "/api/v1/complaints/{complaint_id}"
ROUTES = [
    ("api.openapi", "GET", "/api/v1/openapi.json", same(200)),
    ("api.docs", "GET", "/api/v1/docs", same(200)),
    ("api.list_services", "GET", "/api/v1/public/services", same(200)),
    ("api.get_catalogue", "GET", "/api/v1/catalogue", same(401)),
    ("api.file_complaint", "POST", "/api/v1/public/complaints", same(415)),
    ("api.public_complaint", "GET", "/api/v1/public/complaint", same(400)),
    ("api.public_message", "POST", "/api/v1/public/complaint/messages", same(400)),
    ("api.list_complaints", "GET", "/api/v1/complaints", same(401)),
    ("api.get_complaint", "GET", C, same(401)),
    ("api.register_complaint", "POST", C + "/register", same(401)),
    ("api.triage_complaint", "POST", C + "/triage", same(401)),
    ("api.change_status", "POST", C + "/status", same(401)),
    ("api.add_note", "POST", C + "/notes", same(401)),
    ("api.add_reply", "POST", C + "/replies", same(401)),
    ("api.read_register", "GET", "/api/v1/register", same(401)),
    ("api.list_reports", "GET", "/api/v1/reports", same(401)),
    ("api.get_report", "GET", "/api/v1/reports/{report_id}", same(401)),
    ("api_tokens.mine", "GET", "/account/tokens", logged_in(200)),
    ("api_tokens.mine", "POST", "/account/tokens", logged_in(200)),
    ("api_tokens.revoke_mine", "POST", "/account/tokens/{token_id}/revoke",
     {**logged_in(404), "registrar": 302}),
    ("api_tokens.of_user", "GET", "/admin/users/{token_user_id}/tokens", admin_only(200)),
    ("api_tokens.of_user", "POST", "/admin/users/{token_user_id}/tokens", admin_only(200)),
    ("api_tokens.revoke_of_user", "POST",
     "/admin/users/{token_user_id}/tokens/{token_id}/revoke", admin_only(302)),
]
