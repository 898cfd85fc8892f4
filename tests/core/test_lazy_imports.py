"""Start-up stays light: heavy libraries load on first use, and then work as before."""

from __future__ import annotations

import subprocess
import sys

from complaints.core.lazy_migrate import _Pending

HEAVY = ("alembic", "flask_migrate", "openpyxl", "pypdf", "jsonschema", "twilio.rest",
         "requests", "weasyprint", "holidays", "sqlalchemy.dialects.postgresql")


def test_building_the_app_imports_no_heavy_library(tmp_path):
    code = ("import sys; from complaints import create_app; create_app('testing', "
            f"{{'SQLALCHEMY_DATABASE_URI': 'sqlite:///{tmp_path / 'x.sqlite3'}'}}); "
            f"print([m for m in {HEAVY!r} if m in sys.modules])")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]", done.stdout + done.stderr


def test_the_db_command_group_binds_flask_migrate_when_used(app, runner):
    assert isinstance(app.extensions["migrate"], _Pending)
    listing = runner.invoke(args=["--help"])
    assert "Perform database migrations." in listing.output
    result = runner.invoke(args=["db", "--help"])
    assert result.exit_code == 0, result.output
    assert "upgrade" in result.output and "--directory" in result.output
    assert not isinstance(app.extensions["migrate"], _Pending)


def test_reading_the_extension_binds_it_once(app):
    with app.app_context():
        config = app.extensions["migrate"].migrate.get_config()  # binds Flask-Migrate
    bound = app.extensions["migrate"]
    assert not isinstance(bound, _Pending)
    assert config.get_main_option("script_location").endswith("migrations")
    assert app.extensions["migrate"] is bound
