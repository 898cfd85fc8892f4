"""Languages: Bahasa Indonesia by default, English on request; catalogs built from fragments."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from datetime import UTC, date, datetime, tzinfo
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import dates as babel_dates
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, current_app, has_request_context, request, session
from flask_babel import (
    format_decimal,
    get_locale,
    get_timezone,
    get_translations,
)
from flask_login import current_user

from complaints.extensions import babel

# Translations are kept as one .po fragment per domain (translations/<lang>/<domain>.po),
# merged and compiled into the catalog Flask-Babel reads.
ROOT = Path(__file__).resolve().parent.parent.parent
SOURCE_DIR = ROOT / "translations"
COMPILED_DIR = ROOT / "complaints" / "translations"


def _is_api_call() -> bool:
    """Return whether the request is an API call (its HTML documentation page is not)."""
    return request.path.startswith("/api/") and request.endpoint != "api.docs"


def select_locale() -> str:
    """Return the language of the request: chosen in the session, else the user's, else id."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # commands and jobs speak the office's default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if _is_api_call():  # API clients say what they read in Accept-Language, nothing else
        best = request.accept_languages.best_match(languages)
        return str(best or current_app.config["BABEL_DEFAULT_LOCALE"])
    chosen = session.get("lang")
    if chosen in languages:
        return str(chosen)
    user_locale = getattr(current_user, "locale", None) if current_user else None
    if user_locale in languages:
        return str(user_locale)
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def merged_catalog(lang: str) -> Catalog:
    """Return one catalog made of every fragment of the language."""
    catalog = Catalog(locale=lang, domain="messages")
    for path in sorted((SOURCE_DIR / lang).glob("*.po")):
        with open(path, "rb") as handle:
            fragment = read_po(handle, locale=lang)
        for message in fragment:
            if message.id and message.string:
                catalog[message.id] = message
    return catalog


def compile_catalogs(force: bool = False) -> list[Path]:
    """Compile the merged catalogs when a fragment is newer than the compiled file."""
    written: list[Path] = []
    if not SOURCE_DIR.is_dir():
        return written
    for lang_dir in sorted(p for p in SOURCE_DIR.iterdir() if p.is_dir()):
        target = COMPILED_DIR / lang_dir.name / "LC_MESSAGES" / "messages.mo"
        sources = list(lang_dir.glob("*.po"))
        if not sources:
            continue
        newest = max(p.stat().st_mtime for p in sources)
        if not force and target.exists() and target.stat().st_mtime >= newest:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            write_mo(handle, merged_catalog(lang_dir.name))
        os.replace(tmp, target)  # atomic: several workers may compile at once
        written.append(target)
    return written


@lru_cache(maxsize=4096)
def _day_text(day: date, fmt: str, locale: str) -> str:
    return babel_dates.format_date(day, fmt, locale=locale)


def format_day(value: date | datetime | None, fmt: str = "medium") -> str:
    """Return the date (of a UTC datetime, in the user's time zone) in the user's language.

    Lists show dozens of dates per page; formatting each day once per locale is cached.
    """
    return day_formatter(fmt)(value)


def day_formatter(fmt: str = "medium") -> Callable[[date | datetime | None], str]:
    """Return format_day bound to the request's time zone and language (for long lists)."""
    # The user's zone (Flask-Babel's, a pytz zone) as a zoneinfo zone: the same rules,
    # converted in C instead of pytz's Python per value.
    tz, locale = ZoneInfo(str(get_timezone())), str(get_locale() or "id")

    def format_one(value: date | datetime | None) -> str:
        if not value:
            return ""
        if isinstance(value, datetime):
            if value.tzinfo is None:
                value = value.replace(tzinfo=UTC)
            value = value.astimezone(tz).date()
        return _day_text(value, fmt, locale)

    return format_one


@lru_cache(maxsize=4096)
def _moment_text(value: datetime, fmt: str, tz: tzinfo, locale: str) -> str:
    # tz is Flask-Babel's zone object (one instance per zone), so it serves as the key.
    return babel_dates.format_datetime(value, fmt, tzinfo=tz, locale=locale)


def format_moment(value: datetime | None, fmt: str = "medium") -> str:
    """Return the datetime in the user's time zone and language (the `datetime` filter).

    What flask_babel.format_datetime prints (the app configures no named date formats, so
    fmt is babel's own). Deadlines fall on a few moments (the end of a working day), so
    each moment is formatted once per format, zone and language and kept.
    """
    return datetime_formatter(fmt)(value)


def datetime_formatter(fmt: str = "medium") -> Callable[[datetime | None], str]:
    """Return format_moment bound to the request's time zone and language (for long lists)."""
    tz, locale = get_timezone(), str(get_locale() or "id")

    def format_one(value: datetime | None) -> str:
        if not value:
            return ""
        return _moment_text(value, fmt, tz, locale)

    return format_one


def init_app(app: Flask) -> None:
    """Bind Flask-Babel and the template helpers; compile stale catalogs."""
    compile_catalogs()
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.filters["date"] = format_day
    app.jinja_env.filters["datetime"] = format_moment
    app.jinja_env.filters["number"] = lambda value: (
        format_decimal(value) if value is not None else ""
    )
    app.jinja_env.globals["current_locale"] = lambda: str(get_locale() or "id")
    _install_template_gettext(app)


def _install_template_gettext(app: Flask) -> None:
    """Give templates a `_()` that finds the catalog once per language, not once per call.

    Flask-Babel's own looks the catalog up through its request context (locale, domain,
    locale identifier) on every call, and a staff page has dozens of them. The catalogs
    are the ones Flask-Babel loads (and, like it, loaded once per process).
    """
    catalogs: dict = {}

    def translations():
        locale = get_locale()  # Flask-Babel keeps it per request (and in force_locale)
        found = catalogs.get(locale)
        if found is None:
            found = get_translations()
            if locale is not None:
                catalogs[locale] = found
        return found

    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: translations().ugettext(s),
        ngettext=lambda s, p, n: translations().ungettext(s, p, n),
        pgettext=lambda c, s: translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n),
        newstyle=True,
    )
