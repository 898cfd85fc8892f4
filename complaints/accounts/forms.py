"""Forms of the accounts domain."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp

from complaints.accounts.models import Position
from complaints.core.forms import Form
from complaints.core.labels import POSITION_LABELS


class LoginForm(Form):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=64)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])


class UserForm(Form):
    username = StringField(
        _l("Username"),
        validators=[DataRequired(), Length(max=64),
                    Regexp(r"^[A-Za-z0-9._-]+$", message=_l("Letters, digits, . _ - only."))],
    )
    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    nip = StringField(_l("NIP"), validators=[Optional(), Length(max=32)])
    email = StringField(_l("Email"), validators=[Optional(), Email(), Length(max=254)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=32)])
    active = BooleanField(_l("Active"), default=True)
    password = PasswordField(_l("Password"), validators=[Optional(), Length(min=8, max=200)])


class AssignmentForm(Form):
    position = SelectField(
        _l("Position"), choices=[(p.value, POSITION_LABELS[p]) for p in Position],
        validators=[DataRequired()],
    )
    division = SelectField(_l("Division"), choices=[], validators=[Optional()])
    acting = BooleanField(_l("Acting (Plt.)"))
    starts_on = DateField(_l("From"), validators=[Optional()])
    ends_on = DateField(_l("Until"), validators=[Optional()])


class DivisionForm(Form):
    code = StringField(
        _l("Code"),
        validators=[DataRequired(), Length(max=32),
                    Regexp(r"^[a-z0-9_-]+$", message=_l("Lowercase letters, digits, _ - only."))],
    )
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    active = BooleanField(_l("Active"), default=True)
