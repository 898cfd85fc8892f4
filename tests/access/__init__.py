"""The access matrix: every route x every position (and anonymous) with its expected answer.

Each module tests/access/<domain>.py declares

    ROUTES = [(endpoint, method, url_template, {role: expected, ...}), ...]

with every role of ROLES as a key. `expected` is a status code, a set/tuple of codes where
the answer legitimately varies, or LOGIN (a 302 to the login page). URL templates may use
the placeholders of BASE_PLACEHOLDERS; a module that needs another placeholder (or objects
of its own domain behind {report_id}, {message_id}, ...) defines

    def placeholders(world: World) -> dict[str, object]:
        ...  # runs in an app context after the base world is built; create rows, return ids

POST routes are sent with empty data: the point is the permission answer.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import shutil
import sqlite3
import string
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

ROLES = ("anonymous", "loket", "registrar", "handler", "kabid", "sekretaris", "kadis", "admin")
DIVISION = "perizinan"  # the division of the handler and the kabid, and of the world's complaint
LOGIN = "login"  # expected answer: a redirect to the login page
BASE_PLACEHOLDERS = ("complaint_id", "attachment_id", "user_id", "assignment_id")
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@dataclass(frozen=True)
class Entry:
    """One line of the matrix."""

    module: str
    endpoint: str
    method: str
    url: str
    expected: dict

    @property
    def label(self) -> str:
        return f"{self.endpoint} {self.method} {self.url}"


@dataclass
class World:
    """The objects the requests act on, and one user per role (their Flask-Login ids)."""

    ids: dict[str, object] = field(default_factory=dict)
    login_ids: dict[str, str] = field(default_factory=dict)
    users: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def data_modules(problems: list[str] | None = None) -> list[ModuleType]:
    """Import every data module of this package, in name order (import errors -> problems)."""
    modules = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        try:
            modules.append(importlib.import_module(f"{__name__}.{info.name}"))
        except Exception as exc:  # noqa: BLE001 - reported by a test, the others still run
            if problems is None:
                raise
            problems.append(f"tests/access/{info.name}.py does not import: {exc!r}")
    return modules


def _codes(value) -> frozenset:
    if isinstance(value, (set, frozenset, tuple, list)):
        return frozenset(value)
    return frozenset({value})


def _check(name: str, item) -> Entry:
    """Return the entry of a ROUTES item, raising ValueError when it is malformed."""
    try:
        endpoint, method, url, expected = item
    except (TypeError, ValueError):
        raise ValueError(f"tests/access/{name}.py: not (endpoint, method, url, {{role: code}}): "
                         f"{item!r}") from None
    missing, extra = set(ROLES) - set(expected), set(expected) - set(ROLES)
    if missing or extra:
        raise ValueError(f"tests/access/{name}.py {endpoint} {method} {url}: roles missing "
                         f"{sorted(missing)}, unknown {sorted(extra)}")
    for codes in expected.values():
        for code in _codes(codes):
            if not (code == LOGIN or isinstance(code, int)):
                raise ValueError(f"tests/access/{name}.py {endpoint}: bad code {code!r}")
    return Entry(name, endpoint, method.upper(), url, dict(expected))


def load_entries() -> tuple[list[Entry], list[str]]:
    """Return the well-formed entries of every data module, and the problems found."""
    entries: list[Entry] = []
    problems: list[str] = []
    for module in data_modules(problems):
        name = module.__name__.rsplit(".", 1)[-1]
        routes = getattr(module, "ROUTES", None)
        if not isinstance(routes, list):
            problems.append(f"tests/access/{name}.py must define ROUTES = [...]")
            continue
        for item in routes:
            try:
                entries.append(_check(name, item))
            except ValueError as exc:
                problems.append(str(exc))
    return entries, problems


def missing_rules(app, entries: list[Entry]) -> list[str]:
    """Return 'endpoint METHOD rule' for every route method of the app without an entry."""
    covered = {(e.endpoint, e.method) for e in entries}
    missing = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            if (rule.endpoint, method) not in covered:
                missing.append(f"{rule.endpoint} {method} {rule.rule}")
    return missing


def placeholders_in(template: str) -> list[str]:
    """Return the placeholder names of a URL template."""
    return [name for _, name, _, _ in string.Formatter().parse(template) if name]


def fill(template: str, ids: dict) -> str:
    """Fill the URL template, failing clearly on a placeholder nobody provides."""
    unknown = [name for name in placeholders_in(template) if name not in ids]
    if unknown:
        raise AssertionError(
            f"URL {template!r} uses placeholder(s) {unknown} that no one fills; known: "
            f"{sorted(ids)}. Provide them with placeholders(world) in the data module."
        )
    return template.format(**ids)


def matches(expected, response) -> bool:
    """Return whether the response is one of the expected answers."""
    for code in _codes(expected):
        if code == LOGIN:
            location = response.headers.get("Location", "")
            if response.status_code == 302 and re.search(r"/login(\?|$)", location):
                return True
        elif response.status_code == code:
            return True
    return False


def build_world(app) -> World:
    """Create the users, a complaint with an attachment, a user with a position; return ids."""
    from complaints.accounts.models import Position
    from complaints.accounts.service import create_user
    from complaints.extensions import db
    from complaints.tickets.attachments import Upload
    from tests.factories import Factory

    world = World()
    factory = Factory(app)
    with app.app_context():
        for role in ROLES[1:]:
            division = DIVISION if role in ("handler", "kabid") else None
            user = factory.user(username=f"matrix_{role}", positions=[(role, division)])
            world.users[role] = user.id
            world.login_ids[role] = user.get_id()
        target = create_user("matrix_target", "Target User", "password-123",
                             positions=[(Position.HANDLER, DIVISION)])
        division_id = target.assignments[0].division_id
        world.ids["user_id"] = target.id
        world.ids["assignment_id"] = target.assignments[0].id
        complaint, _ = factory.complaint(
            division_id=division_id,
            uploads=[Upload("scan.png", PNG, "image/png")],
        )
        world.ids["complaint_id"] = complaint.id
        world.ids["attachment_id"] = complaint_attachment_id(complaint.id)
        for module in data_modules([]):
            provide = getattr(module, "placeholders", None)
            if provide is None:
                continue
            try:
                world.ids.update(provide(world) or {})
            except Exception as exc:  # noqa: BLE001 - reported by a test, the others still run
                db.session.rollback()
                world.problems.append(f"{module.__name__}.placeholders() failed: {exc!r}")
        db.session.commit()
        db.session.remove()
    return world


def complaint_attachment_id(complaint_id: int) -> int:
    """Return the id of the first attachment of a complaint."""
    from complaints.extensions import db
    from complaints.tickets.models import Attachment

    return db.session.scalar(
        db.select(Attachment.id).where(Attachment.complaint_id == complaint_id)
    )


class Snapshot:
    """A SQLite database file copied aside once and put back before each request."""

    def __init__(self, app, path: Path):
        self.app = app
        self.path = path
        self.copy = path.with_name(path.name + ".world")

    def _release(self) -> None:
        from complaints.extensions import db

        with self.app.app_context():
            db.session.remove()
            db.engine.dispose()

    def save(self) -> None:
        """Checkpoint the WAL into the main file and copy it aside."""
        self._release()
        with sqlite3.connect(self.path) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        shutil.copyfile(self.path, self.copy)

    def restore(self) -> None:
        """Put the saved database back (a pristine world for the next request)."""
        self._release()
        for suffix in ("-wal", "-shm"):
            Path(str(self.path) + suffix).unlink(missing_ok=True)
        shutil.copyfile(self.copy, self.path)
