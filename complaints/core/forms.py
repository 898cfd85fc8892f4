"""The base of every form: Flask-WTF's, with WTForms' own messages loaded once per language."""

from __future__ import annotations

import threading

from babel import support
from flask import current_app
from flask_babel import get_locale
from flask_wtf import FlaskForm
from wtforms.i18n import messages_path

_catalogs: dict[str, support.Translations | support.NullTranslations] = {}
_lock = threading.Lock()


def wtforms_translations() -> support.Translations | support.NullTranslations:
    """Return WTForms' catalog for the request's language (read from disk once per process).

    Flask-WTF reads the catalog file again on every request that shows or checks a form.
    """
    locale = str(get_locale() or "")
    found = _catalogs.get(locale)
    if found is None:
        found = support.Translations.load(messages_path(), [locale], domain="wtforms")
        with _lock:
            _catalogs[locale] = found
    return found


class _Messages:
    """WTForms' translations object: gettext/ngettext in the request's language."""

    def gettext(self, string: str) -> str:
        return wtforms_translations().ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return wtforms_translations().ungettext(singular, plural, n)


MESSAGES = _Messages()


class Form(FlaskForm):
    """A Flask-WTF form (CSRF, file data) whose built-in messages follow the language."""

    class Meta:
        def get_translations(self, form):
            if not current_app.config.get("WTF_I18N_ENABLED", True):
                return super().get_translations(form)  # type: ignore[misc]
            return MESSAGES
