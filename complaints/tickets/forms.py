"""Forms on a complaint: hand-over and internal note."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from complaints.core.forms import Form


class HandOverForm(Form):
    to_user_id = SelectField(_l("Hand over to"), coerce=int, choices=[],
                             validators=[DataRequired()])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])
    version = HiddenField()


class NoteForm(Form):
    text = TextAreaField(_l("Internal note"),
                         validators=[DataRequired(), Length(max=10000)])
