"""Install django-helpdesk (pinned) in its own venv and generate a minimal project for it.

Usage: python bench/setup_helpdesk.py  (installs, writes the project, migrates it on SQLite
and on a throwaway PostgreSQL). The driver imports prepare_database() for each run.
Everything it creates lives in bench/.work/ (never committed).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
WORK = BENCH / ".work"
VENV = WORK / "helpdesk-venv"
PROJECT = WORK / "helpdesk-project"
PYTHON = VENV / "bin" / "python"
GUNICORN = VENV / "bin" / "gunicorn"
# 2.6.x supports Django 5.2 on Python 3.11; gunicorn and psycopg as in our own venv.
PACKAGES = ["django-helpdesk==2.6.1", "Django==5.2.19", "gunicorn==27.0.1",
            "psycopg[binary]==3.3.9"]
STAFF_USER = "benchstaff"
STAFF_PASSWORD = "bench-staff-password"
PUBLIC_QUEUE = "public"

SETTINGS = '''"""Minimal settings for benchmarking django-helpdesk (bench/setup_helpdesk.py)."""
import os

BASE_DIR = os.path.dirname(os.path.abspath(__file__))
SECRET_KEY = "bench-only-" + "x" * 40
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    "rest_framework",
    "helpdesk",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "benchdesk.urls"
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "DIRS": [],
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.debug",
        "django.template.context_processors.request",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
    ]},
}]
WSGI_APPLICATION = "benchdesk.wsgi.application"
_url = os.environ.get("HELPDESK_DB", "sqlite:" + os.path.join(BASE_DIR, "db.sqlite3"))
if _url.startswith("postgresql:"):
    _, host, port, name = _url.split(":")
    DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "HOST": host,
                             "PORT": port, "NAME": name, "USER": "postgres",
                             "CONN_MAX_AGE": 60}}
else:
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3",
                             "NAME": _url.split(":", 1)[1], "CONN_MAX_AGE": 60,
                             "OPTIONS": {"timeout": 30, "transaction_mode": "IMMEDIATE",
                                         "init_command": "PRAGMA journal_mode=WAL;"
                                                         "PRAGMA synchronous=NORMAL;"}}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_PASSWORD_VALIDATORS = []
LANGUAGE_CODE = "en-us"
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True
STATIC_URL = "/static/"
STATIC_ROOT = os.path.join(BASE_DIR, "static")
MEDIA_ROOT = os.path.join(BASE_DIR, "media")
SITE_ID = 1
LOGIN_URL = "/login/"
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
HELPDESK_TEAMS_MODE_ENABLED = False
HELPDESK_PUBLIC_TICKET_QUEUE = "public"
HELPDESK_PUBLIC_TICKET_PRIORITY = 3
HELPDESK_PUBLIC_TICKET_DUE_DATE = None
HELPDESK_SUBMIT_A_TICKET_PUBLIC = True
HELPDESK_VIEW_A_TICKET_PUBLIC = True
LOGGING = {"version": 1, "disable_existing_loggers": False,
           "root": {"handlers": [], "level": "ERROR"}}
'''

URLS = '''from django.contrib.auth import views as auth_views
from django.urls import include, path

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="helpdesk/registration/login.html"),
         name="login"),
    path("", include("helpdesk.urls", namespace="helpdesk")),
]
'''

WSGI = '''import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchdesk.settings")
application = get_wsgi_application()
'''

MANAGE = '''import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchdesk.settings")
from django.core.management import execute_from_command_line

execute_from_command_line(sys.argv)
'''

PREPARE = f'''from django.contrib.auth import get_user_model
from helpdesk.models import Queue

User = get_user_model()
if not User.objects.filter(username="{STAFF_USER}").exists():
    User.objects.create_superuser("{STAFF_USER}", "staff@bench.invalid", "{STAFF_PASSWORD}")
Queue.objects.get_or_create(slug="{PUBLIC_QUEUE}", defaults=dict(
    title="Public", allow_public_submission=True, email_address="public@bench.invalid"))
'''


def install() -> None:
    """Create the venv and install the pinned packages (skipped when already done)."""
    marker = VENV / ".installed"
    if marker.exists():
        return
    subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    pip = [str(VENV / "bin" / "pip"), "install", "-q"]
    subprocess.run([*pip, "--upgrade", "pip"], check=True)
    subprocess.run([*pip, *PACKAGES], check=True)
    marker.write_text("\n".join(PACKAGES) + "\n")


def write_project() -> None:
    """Write the Django project files (idempotent)."""
    package = PROJECT / "benchdesk"
    package.mkdir(parents=True, exist_ok=True)
    (package / "__init__.py").write_text("")
    (package / "settings.py").write_text(SETTINGS)
    (package / "urls.py").write_text(URLS)
    (package / "wsgi.py").write_text(WSGI)
    (PROJECT / "manage.py").write_text(MANAGE)
    (PROJECT / "prepare.py").write_text(PREPARE)


def manage(db: str, *args: str, stdin: str | None = None) -> None:
    """Run manage.py with the given database (sqlite:PATH or postgresql:HOST:PORT:NAME)."""
    env = {**os.environ, "HELPDESK_DB": db, "DJANGO_SETTINGS_MODULE": "benchdesk.settings"}
    subprocess.run([str(PYTHON), "manage.py", *args], cwd=PROJECT, env=env, check=True,
                   input=stdin, text=True, stdout=subprocess.DEVNULL)


def prepare_database(db: str) -> None:
    """Migrate the database and create the public queue and the staff user."""
    manage(db, "migrate", "--noinput")
    manage(db, "shell", stdin=(PROJECT / "prepare.py").read_text())


def main() -> None:
    """Install, write the project, and migrate it on SQLite and on a throwaway PostgreSQL."""
    sys.path.insert(0, str(ROOT))
    from tests.support.postgres import PostgresCluster, find_bindir

    WORK.mkdir(exist_ok=True)
    install()
    write_project()
    sqlite_path = WORK / "helpdesk-check.sqlite3"
    sqlite_path.unlink(missing_ok=True)
    prepare_database(f"sqlite:{sqlite_path}")
    print(f"django-helpdesk migrated on SQLite ({sqlite_path})")
    bindir = find_bindir()
    if bindir is None:
        print("PostgreSQL binaries not found: PostgreSQL check skipped")
        return
    cluster = PostgresCluster(bindir)
    cluster.start()
    try:
        cluster.create_database("helpdesk")
        prepare_database(f"postgresql:127.0.0.1:{cluster.port}:helpdesk")
        print("django-helpdesk migrated on PostgreSQL")
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
