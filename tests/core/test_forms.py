"""The base form: WTForms' built-in messages follow the language, read once per process."""

from __future__ import annotations

from flask_babel import force_locale
from wtforms import StringField
from wtforms.validators import DataRequired

from complaints.core import forms


class _Named(forms.Form):
    name = StringField(validators=[DataRequired()])


def test_builtin_messages_follow_the_language_and_are_read_once(app):
    with app.test_request_context("/", method="POST", data={}):
        with force_locale("de"):  # a language WTForms ships a catalog for
            form = _Named()
            assert not form.validate()
            assert form.name.errors == ["Dieses Feld wird benötigt."]
            first = forms.wtforms_translations()
        with force_locale("en"):
            form = _Named()
            form.validate()
            assert form.name.errors == ["This field is required."]
    with app.test_request_context("/"), force_locale("de"):
        assert forms.wtforms_translations() is first  # kept, not read from disk again


def test_the_switch_off_falls_back_to_wtforms_own(app):
    app.config["WTF_I18N_ENABLED"] = False
    with app.test_request_context("/", method="POST", data={}), force_locale("de"):
        form = _Named()
        form.validate()
        assert form.name.errors == ["This field is required."]
