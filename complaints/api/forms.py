"""The form that makes a personal API token."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectMultipleField, StringField, widgets
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from complaints.core.forms import Form


def at_least_one(form, field):
    """Require a choice (without the HTML required flag, which would demand every box)."""
    if not field.data:
        raise ValidationError(_l("Choose at least one scope."))


class TokenForm(Form):
    """Name, scopes (limited to the user's position) and an optional expiry date."""

    name = StringField(_l("Name (what the token is for)"),
                       validators=[DataRequired(message=_l("Give the token a name.")),
                                   Length(max=100)])
    scopes = SelectMultipleField(
        _l("Scopes"), choices=[],
        option_widget=widgets.CheckboxInput(), widget=widgets.ListWidget(prefix_label=False),
        validators=[at_least_one],
    )
    expires_on = DateField(_l("Expires on (optional)"), validators=[Optional()])
