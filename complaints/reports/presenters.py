"""How report notices read: in the app (inbox texts) and by email."""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

TEXTS = {
    "report_submitted": _l("The monthly report %(month)s (version %(version)s) waits for your "
                           "examination."),
    "report_returned": _l("The monthly report %(month)s was returned for correction "
                          "(now version %(version)s)."),
    "report_approved": _l("The monthly report %(month)s (version %(version)s) was approved."),
    "report_delivered": _l("The approved monthly report %(month)s (version %(version)s) waits "
                           "for your reading."),
}


def notice_email(key: str, params: dict, url: str, locale: str = "id") -> tuple[str, str]:
    """Return the subject and text of the email that goes with a report notice."""
    with force_locale(locale):
        sentence = str(TEXTS[key]) % params
        subject = _("Monthly complaints report %(month)s", month=params["month"])
        body = "\n\n".join([sentence, _("Open it here: %(url)s", url=url), ""])
    return subject, body
