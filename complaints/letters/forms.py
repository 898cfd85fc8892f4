"""Forms of reply letters: the draft and the dispatch."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from complaints.core.forms import Form
from complaints.letters.models import DispatchMethod

DISPATCH_LABELS = {
    DispatchMethod.HAND: _l("By hand"),
    DispatchMethod.POST: _l("By post"),
    DispatchMethod.COURIER: _l("By courier"),
}


class LetterForm(Form):
    subject = StringField(_l("Subject (perihal)"), validators=[DataRequired(), Length(max=300)])
    addressee = TextAreaField(_l("Addressee (name and address)"),
                              validators=[DataRequired(), Length(max=1000)])
    attachments_line = StringField(_l("Attachments (lampiran)"), default="-",
                                   validators=[Optional(), Length(max=200)])
    body = TextAreaField(_l("Decision text"), validators=[DataRequired(), Length(max=20000)])


class DispatchForm(Form):
    method = SelectField(_l("Sent"), choices=[(k.value, v) for k, v in DISPATCH_LABELS.items()],
                         validators=[DataRequired()])
    dispatched_on = DateField(_l("Date"), validators=[DataRequired()])
    note = StringField(_l("Note (receipt number, courier)"),
                       validators=[Optional(), Length(max=500)])
