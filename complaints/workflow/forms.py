"""Workflow forms; every action form carries the version the page was rendered with."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from complaints.core.forms import Form
from complaints.core.labels import WEIGHT_LABELS
from complaints.tickets.attachments import UploadError, check_upload
from complaints.workflow.labels import PROOF_LABELS


def _int_or_none(value):
    return int(value) if value not in (None, "", "None") else None


def weight_choices(blank: bool = False) -> list[tuple[str, str]]:
    """Return the weights as choices."""
    choices = [(w.value, str(text)) for w, text in WEIGHT_LABELS.items()]
    return ([("", "—")] if blank else []) + choices


class ActionForm(Form):
    """A workflow action without fields of its own (register, start, close ...)."""

    # The version the page was rendered with: without it optimistic locking cannot work.
    version = HiddenField(validators=[DataRequired()])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=5000)])

    def expected_version(self) -> int | None:
        """Return the version the form was rendered with (None when missing)."""
        raw = (self.version.data or "").strip()
        return int(raw) if raw.isdigit() else None


class TextForm(ActionForm):
    """An action with a mandatory text: reply, answer, information request."""

    text = TextAreaField(_l("Text"), validators=[DataRequired(), Length(max=20000)])


class ReasonForm(ActionForm):
    """An action that needs a reason: reject, reopen."""

    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=5000)])


class ForwardForm(ReasonForm):
    agency = StringField(_l("Competent agency"), validators=[DataRequired(), Length(max=250)])


class ReclassifyForm(ReasonForm):
    weight = SelectField(_l("New weight"), choices=[], validators=[DataRequired()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.weight.choices = weight_choices()


class TriageForm(ActionForm):
    type_id = SelectField(_l("Type (jenis)"), coerce=_int_or_none, choices=[],
                          validators=[DataRequired()])
    weight = SelectField(_l("Weight (bobot)"), choices=[], validators=[DataRequired()])
    division_id = SelectField(_l("Division (bidang)"), coerce=_int_or_none, choices=[],
                              validators=[DataRequired()])
    holder_id = SelectField(_l("Handling officer"), coerce=_int_or_none, choices=[],
                            validators=[DataRequired()])
    service_id = SelectField(_l("Service concerned"), coerce=_int_or_none, choices=[],
                             validators=[Optional()])


class OneFile(FileField):
    """An optional file checked by content; the accepted one is kept in .upload."""

    upload = None

    def pre_validate(self, form):
        self.upload = None
        storage = self.data
        if storage is None or not getattr(storage, "filename", ""):
            return
        try:
            self.upload = check_upload(storage.filename, storage.stream)
        except UploadError as exc:
            raise ValidationError(str(exc)) from exc


class CoordinationForm(ActionForm):
    held_on = DateField(_l("Date of the coordination"), validators=[DataRequired()])
    participants = TextAreaField(_l("Participants from the office"),
                                 validators=[DataRequired(), Length(max=5000)])
    officials = TextAreaField(
        _l("Officials outside the office (Walikota c.q. Asisten, Sekretaris Daerah)"),
        validators=[Optional(), Length(max=5000)])
    outcome = TextAreaField(_l("Decision"), validators=[DataRequired(), Length(max=20000)])
    file = OneFile(_l("Memo or minutes (PDF or image)"))


class ProofForm(ActionForm):
    kind = SelectField(_l("Proof of reply"), choices=[], validators=[DataRequired()])
    reference = StringField(_l("Reference (letter number, call time and number, message id)"),
                            validators=[DataRequired(), Length(max=200)])
    happened_at = DateTimeLocalField(_l("When"), format="%Y-%m-%dT%H:%M",
                                     validators=[Optional()])
    file = OneFile(_l("Scan or screenshot (optional)"))

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = [(k.value, str(PROOF_LABELS[k])) for k in kinds]


class LinkForm(ActionForm):
    other_id = IntegerField(validators=[DataRequired()])


class CannedReplyForm(Form):
    reply_id = HiddenField()
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=120)])
    body = TextAreaField(
        _l("Text (placeholders: {number}, {name}, {service}, {summary}, {office}, {phone}, "
           "{date})"), validators=[DataRequired(), Length(max=20000)])
    sort = IntegerField(_l("Order"), default=0, validators=[Optional(), NumberRange(0, 999)])
    active = BooleanField(_l("Active"), default=True)


class KeywordRuleForm(Form):
    rule_id = HiddenField()
    keyword = StringField(_l("Keyword or phrase"), validators=[DataRequired(), Length(max=100)])
    weight = SelectField(_l("Suggested weight"), choices=[], validators=[Optional()])
    type_code = SelectField(_l("Suggested type"), choices=[], validators=[Optional()])
    reason = StringField(_l("Reason shown at triage"),
                         validators=[DataRequired(), Length(max=250)])
    active = BooleanField(_l("Active"), default=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.weight.choices = weight_choices(blank=True)
