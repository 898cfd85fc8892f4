"""The quick call-log form of the counter officer."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateTimeLocalField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from complaints.core.forms import Form
from complaints.messaging.models import CallDirection, CallMedium, CallOutcome

PHONE_PATTERN = r"^[0-9+()\-\s.]{5,32}$"
DIRECTION_LABELS = {CallDirection.INCOMING: _l("Incoming"),
                    CallDirection.OUTGOING: _l("Outgoing")}
MEDIUM_LABELS = {CallMedium.PHONE: _l("Telephone"), CallMedium.FAX: _l("Fax")}
OUTCOME_LABELS = {
    CallOutcome.REACHED: _l("Spoke with the person"),
    CallOutcome.ANSWERED: _l("Answer given"),
    CallOutcome.NO_ANSWER: _l("No answer"),
    CallOutcome.BUSY: _l("Busy"),
    CallOutcome.LEFT_MESSAGE: _l("Left a message"),
    CallOutcome.WRONG_NUMBER: _l("Wrong number"),
    CallOutcome.SENT: _l("Fax sent"),
    CallOutcome.FAILED: _l("Fax failed"),
}


class CallForm(Form):
    direction = RadioField(_l("Direction"), default=CallDirection.OUTGOING.value,
                           choices=[(k.value, v) for k, v in DIRECTION_LABELS.items()],
                           validators=[DataRequired()])
    medium = RadioField(_l("Telephone or fax"), default=CallMedium.PHONE.value,
                        choices=[(k.value, v) for k, v in MEDIUM_LABELS.items()],
                        validators=[DataRequired()])
    number = StringField(_l("Number"), validators=[DataRequired(), Regexp(PHONE_PATTERN)])
    at = DateTimeLocalField(_l("Time (empty: now)"), validators=[Optional()])
    outcome = SelectField(_l("Outcome"),
                          choices=[(k.value, v) for k, v in OUTCOME_LABELS.items()],
                          validators=[DataRequired()])
    summary = TextAreaField(_l("Summary"), validators=[DataRequired(), Length(max=5000)])
    complaint_number = StringField(_l("Register number (optional)"),
                                   validators=[Optional(), Length(max=32)])
