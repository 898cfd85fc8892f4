"""Forms of the public portal: the complaint, tracking, a message and a rating."""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    MultipleFileField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp, ValidationError

from complaints.core import clock
from complaints.core.forms import Form
from complaints.core.labels import KIND_LABELS
from complaints.core.timefmt import office_tz
from complaints.tickets.attachments import UploadError, check_upload
from complaints.tickets.models import Confidentiality, Kind

PHONE_PATTERN = r"^[0-9+()\-\s.]{8,32}$"
# The confidentiality choice in plain words (the label, then what it means).
CONFIDENTIALITY_CHOICES = [
    (Confidentiality.BIASA.value, _l("Normal")),
    (Confidentiality.ANONIM.value, _l("Anonymous")),
    (Confidentiality.RAHASIA.value, _l("Confidential")),
]
SKM_CHOICES = [
    ("4", _l("4 — Very good")),
    ("3", _l("3 — Good")),
    ("2", _l("2 — Not so good")),
    ("1", _l("1 — Poor")),
]


def _int_or_none(value):
    return int(value) if value not in (None, "", "None") else None


class FilesField(MultipleFileField):
    """Files checked by content: good ones land in .uploads, each refused one gets a message."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.uploads = []
        self.already = 0  # files already held from an earlier attempt

    def pre_validate(self, form):
        self.uploads = []
        files = [f for f in (self.data or []) if getattr(f, "filename", "")]
        limit = current_app.config["MAX_UPLOADS_PER_FORM"]
        if self.already + len(files) > limit:
            self.errors.append(_l("At most %(n)s files.", n=limit))
            return
        for storage in files:
            try:
                self.uploads.append(check_upload(storage.filename, storage.stream))
            except UploadError as exc:
                self.errors.append(str(exc))


INVALID_CHOICE = _l("Please choose one of the options.")
TOO_LONG = _l("This is too long.")


class LocalDateField(DateField):
    """A date whose parse error speaks the person's language."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            raise ValueError(_l("Please give a date like 2026-11-23.")) from exc


def not_in_future(form, field):
    """Refuse a date after today (office time)."""
    if field.data and field.data > clock.now().astimezone(office_tz()).date():
        raise ValidationError(_l("The date cannot be in the future."))


class ComplaintForm(Form):
    """The web complaint form."""

    kind = RadioField(
        _l("What do you want to send?"),
        choices=[(k.value, KIND_LABELS[k]) for k in Kind],
        default=Kind.PENGADUAN.value,
        invalid_choice_message=INVALID_CHOICE,
    )
    confidentiality = RadioField(
        _l("Who may know it is you?"),
        choices=CONFIDENTIALITY_CHOICES,
        default=Confidentiality.BIASA.value,
        invalid_choice_message=INVALID_CHOICE,
    )
    complainant_name = StringField(
        _l("Your name"), validators=[Optional(), Length(max=200, message=TOO_LONG)]
    )
    complainant_email = StringField(
        _l("Email"),
        validators=[
            Optional(),
            Email(message=_l("This is not an email address.")),
            Length(max=254, message=TOO_LONG),
        ],
    )
    complainant_phone = StringField(
        _l("Mobile phone (for SMS)"),
        validators=[Optional(), Regexp(PHONE_PATTERN, message=_l("This is not a phone number."))],
    )
    service_id = SelectField(
        _l("Which service is it about?"),
        coerce=_int_or_none,
        choices=[],
        validators=[Optional()],
        invalid_choice_message=INVALID_CHOICE,
    )
    incident_date = LocalDateField(
        _l("When did it happen?"), validators=[Optional(), not_in_future]
    )
    body = TextAreaField(
        _l("What happened?"),
        validators=[
            DataRequired(message=_l("Please tell us what happened.")),
            Length(min=10, max=20000, message=_l("Please write between 10 and 20,000 characters.")),
        ],
    )
    files = FilesField(_l("Attachments (optional)"))
    held = HiddenField()
    consent = BooleanField(
        _l(
            "I have read the notice on personal data and agree that my data is processed "
            "to handle this complaint."
        ),
        validators=[DataRequired(message=_l("Please agree to the notice to send the complaint."))],
    )
    # Honeypot: hidden from people by CSS; bots that fill every field are ignored.
    website = StringField(_l("Leave this field empty"))

    def validate(self, extra_validators=None) -> bool:
        """Also require a name and a contact unless the complaint is anonymous."""
        ok = super().validate(extra_validators)
        if self.confidentiality.data == Confidentiality.ANONIM.value:
            return ok
        if not (self.complainant_name.data or "").strip():
            self.complainant_name.errors.append(_l("Please give your name, or choose “Anonymous”."))
            ok = False
        has_contact = (self.complainant_email.data or "").strip() or (
            self.complainant_phone.data or ""
        ).strip()
        if not has_contact and not (self.complainant_email.errors or self.complainant_phone.errors):
            self.complainant_email.errors.append(
                _l("Please give an email address or a phone number, or choose “Anonymous”.")
            )
            ok = False
        return ok


class TrackForm(Form):
    """Number and access code of a complaint."""

    number = StringField(
        _l("Register number"),
        validators=[
            DataRequired(message=_l("Please give the number.")),
            Length(max=40, message=TOO_LONG),
        ],
    )
    code = StringField(
        _l("Access code"),
        validators=[
            DataRequired(message=_l("Please give the access code.")),
            Length(max=40, message=TOO_LONG),
        ],
    )


class MessageForm(Form):
    """Information or an answer from the complainant."""

    text = TextAreaField(
        _l("Your message"),
        validators=[
            DataRequired(message=_l("Please write your message.")),
            Length(max=10000, message=TOO_LONG),
        ],
    )
    files = FilesField(_l("Attachment (optional)"))


class ReopenForm(Form):
    """The complainant's request to reopen an answered complaint."""

    reason = TextAreaField(
        _l("Why does the answer not settle your complaint?"),
        validators=[
            DataRequired(message=_l("Please say why.")),
            Length(max=10000, message=TOO_LONG),
        ],
    )


class RatingForm(Form):
    """The complainant's rating of the handling (SKM scale)."""

    score = RadioField(
        _l("How well was your complaint handled?"),
        choices=SKM_CHOICES,
        invalid_choice_message=_l("Please choose a score."),
    )
    comment = TextAreaField(
        _l("Comment (optional)"), validators=[Optional(), Length(max=2000, message=TOO_LONG)]
    )
