"""Staff intake forms: letters, calls, faxes, walk-ins and SP4N-LAPOR! forwards."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    DateTimeLocalField,
    MultipleFileField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp, ValidationError

from complaints.core.forms import Form
from complaints.core.labels import CONFIDENTIALITY_LABELS, KIND_LABELS, LETTER_VIA_LABELS
from complaints.tickets.attachments import UploadError, check_upload
from complaints.tickets.models import Channel, Confidentiality, Kind, LetterVia

STAFF_CHANNELS = (
    Channel.SURAT,
    Channel.TELEPON,
    Channel.FAX,
    Channel.LANGSUNG,
    Channel.LAPOR,
    Channel.LAINNYA,
)
PHONE_PATTERN = r"^[0-9+()\-\s.]{5,32}$"


def _int_or_none(value):
    return int(value) if value not in (None, "", "None") else None


class FilesField(MultipleFileField):
    """Uploaded files, checked by content; the accepted ones are kept in .uploads."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.uploads = []

    def pre_validate(self, form):
        from flask import current_app

        self.uploads = []
        files = [f for f in (self.data or []) if getattr(f, "filename", "")]
        limit = current_app.config["MAX_UPLOADS_PER_FORM"]
        if len(files) > limit:
            raise ValidationError(_l("At most %(n)s files.", n=limit))
        for storage in files:
            try:
                self.uploads.append(check_upload(storage.filename, storage.stream))
            except UploadError as exc:
                self.uploads = []
                raise ValidationError(str(exc)) from exc


class IntakeForm(Form):
    """What every staff-recorded complaint has."""

    received_at = DateTimeLocalField(
        _l("Received on"), format="%Y-%m-%dT%H:%M", validators=[DataRequired()]
    )
    kind = RadioField(
        _l("This is a"), choices=[(k.value, KIND_LABELS[k]) for k in Kind],
        default=Kind.PENGADUAN.value,
    )
    complainant_name = StringField(_l("Name"), validators=[Optional(), Length(max=200)])
    complainant_address = StringField(_l("Address"), validators=[Optional(), Length(max=500)])
    complainant_phone = StringField(
        _l("Phone"),
        validators=[Optional(), Regexp(PHONE_PATTERN, message=_l("Not a phone number."))],
    )
    complainant_email = StringField(
        _l("Email"), validators=[Optional(), Email(message=_l("Not an email address.")),
                                 Length(max=254)]
    )
    complainant_nik = StringField(
        _l("NIK"),
        validators=[Optional(), Regexp(r"^\d{16}$", message=_l("The NIK has 16 digits."))],
    )
    confidentiality = RadioField(
        _l("Identity"),
        choices=[(c.value, CONFIDENTIALITY_LABELS[c]) for c in Confidentiality],
        default=Confidentiality.BIASA.value,
    )
    service_id = SelectField(_l("Service concerned"), coerce=_int_or_none, choices=[],
                             validators=[Optional()])
    type_id = SelectField(_l("Type"), coerce=_int_or_none, choices=[], validators=[Optional()])
    division_id = SelectField(_l("Division"), coerce=_int_or_none, choices=[],
                              validators=[Optional()])
    summary = StringField(_l("Summary"), validators=[Optional(), Length(max=300)])
    body = TextAreaField(
        _l("Complaint"),
        validators=[DataRequired(message=_l("Write down what the complaint is about.")),
                    Length(max=20000)],
    )
    files = FilesField(_l("Attachments (scans, photos, PDF)"))


class LetterForm(IntakeForm):
    letter_number = StringField(
        _l("Incoming-mail number"),
        validators=[DataRequired(message=_l("Give the letter its incoming-mail number.")),
                    Length(max=64)],
    )
    letter_date = DateField(_l("Date of the letter"), validators=[Optional()])
    letter_via = SelectField(
        _l("How it came"), choices=[(v.value, LETTER_VIA_LABELS[v]) for v in LetterVia],
        default=LetterVia.LOKET.value,
    )


class CallForm(IntakeForm):
    contact_number = StringField(
        _l("Number"),
        validators=[DataRequired(message=_l("Note the number it came from.")),
                    Regexp(PHONE_PATTERN, message=_l("Not a phone number."))],
    )
    contact_at = DateTimeLocalField(_l("Time"), format="%Y-%m-%dT%H:%M",
                                    validators=[Optional()])


class WalkInForm(IntakeForm):
    officer_on_duty_id = SelectField(_l("Officer on duty"), coerce=_int_or_none, choices=[],
                                     validators=[Optional()])


class LaporForm(IntakeForm):
    lapor_tracking_id = StringField(
        _l("SP4N-LAPOR! tracking ID"),
        validators=[DataRequired(message=_l("Give the tracking ID from SP4N-LAPOR!.")),
                    Length(max=64)],
    )


class OtherForm(IntakeForm):
    channel_note = StringField(_l("How it came"), validators=[DataRequired(), Length(max=500)])


FORMS = {
    Channel.SURAT: LetterForm,
    Channel.TELEPON: CallForm,
    Channel.FAX: CallForm,
    Channel.LANGSUNG: WalkInForm,
    Channel.LAPOR: LaporForm,
    Channel.LAINNYA: OtherForm,
}
