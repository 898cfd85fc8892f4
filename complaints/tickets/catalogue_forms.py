"""Forms of the catalogue admin pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from complaints.core.forms import Form

CODE = [DataRequired(), Length(max=32),
        Regexp(r"^[a-z0-9_-]+$", message=_l("Lowercase letters, digits, _ - only."))]


def _int_or_none(value):
    return int(value) if value not in (None, "", "None") else None


class TypeForm(Form):
    code = StringField(_l("Code"), validators=CODE)
    name_id = StringField(_l("Name in Indonesian"), validators=[DataRequired(), Length(max=120)])
    name_en = StringField(_l("Name in English"), validators=[DataRequired(), Length(max=120)])
    sort = IntegerField(_l("Order"), default=0, validators=[Optional(), NumberRange(0, 999)])
    active = BooleanField(_l("Active"), default=True)


class ServiceForm(Form):
    code = StringField(_l("Code"), validators=CODE)
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=250)])
    division_id = SelectField(_l("Division"), coerce=_int_or_none, choices=[],
                              validators=[Optional()])
    requirements = TextAreaField(_l("Requirements"), validators=[Optional(), Length(max=10000)])
    procedure = TextAreaField(_l("Procedure"), validators=[Optional(), Length(max=10000)])
    duration = StringField(_l("Completion time"), validators=[Optional(), Length(max=200)])
    cost = StringField(_l("Cost"), validators=[Optional(), Length(max=200)])
    product = TextAreaField(_l("Product"), validators=[Optional(), Length(max=2000)])
    legal_basis = TextAreaField(_l("Legal basis"), validators=[Optional(), Length(max=10000)])
    sort = IntegerField(_l("Order"), default=0, validators=[Optional(), NumberRange(0, 999)])
    active = BooleanField(_l("Active"), default=True)
