"""Access matrix: the admin pages (users, positions, divisions) are for admins only."""

from tests.access import LOGIN
from tests.access.core import same


def admin_only(code):
    """Return LOGIN for anonymous users, 403 for staff and the code for the admin."""
    return {**same(403), "anonymous": LOGIN, "admin": code}


ROUTES = [
    ("admin.users", "GET", "/admin/users", admin_only(200)),
    ("admin.user_new", "GET", "/admin/users/new", admin_only(200)),
    ("admin.user_new", "POST", "/admin/users/new", admin_only(200)),  # form with errors
    ("admin.user_edit", "GET", "/admin/users/{user_id}", admin_only(200)),
    # An empty POST keeps the stored values (Flask-WTF falls back to the object).
    ("admin.user_edit", "POST", "/admin/users/{user_id}", admin_only(302)),
    ("admin.user_edit", "GET", "/admin/users/999999", admin_only(404)),
    ("admin.assignment_add", "POST", "/admin/users/{user_id}/positions", admin_only(302)),
    ("admin.assignment_remove", "POST", "/admin/positions/{assignment_id}/remove",
     admin_only(302)),
    ("admin.divisions", "GET", "/admin/divisions", admin_only(200)),
    ("admin.divisions", "POST", "/admin/divisions", admin_only(200)),
]
