"""The domains' template helpers are Jinja globals, set once per app."""

from __future__ import annotations

from tests.conftest import make_app

HELPERS = ("can", "Perm", "label", "label_choices", "event_text", "user_name", "duration",
           "staff_nav", "has_endpoint", "inbox_unread", "letters_panel", "dispatch_label",
           "quarantine_reason_label", "undelivered_messages", "can_manage_mail",
           "outbox_status_label", "call_label", "messaging_panel", "workflow_panel",
           "proof_label", "due_state", "is_past", "station_hours", "holder_position",
           "working_hours_text", "can_read_delays", "report_status", "can_read_reports",
           "topbar")


def test_every_helper_is_a_global_of_each_app_and_no_domain_adds_a_context_processor(
        tmp_path):
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
    one, two = make_app("sqlite", tmp_path / "a"), make_app("sqlite", tmp_path / "b")
    for app in (one, two):
        assert [name for name in HELPERS if name not in app.jinja_env.globals] == []
    # Left per render: Flask's own (request, session, g), Flask-Login's current_user,
    # Flask-WTF's csrf_token and ours that replaces it (core.security).
    processors = [f.__module__ for f in one.template_context_processors[None]]
    assert [m for m in processors if m.startswith("complaints.")] == ["complaints.core.security"]


def test_a_macro_imported_without_context_reads_the_helpers(tmp_path):
    app = make_app("sqlite", tmp_path)
    macro = app.jinja_env.from_string(
        "{% macro shown(value) %}{{ label('status', value) }} {{ has_endpoint('core.home') }}"
        "{% endmacro %}")
    with app.test_request_context("/"):
        page = app.jinja_env.from_string(
            "{% from macros import shown %}{{ shown('closed') }}").render(macros=macro)
    assert page == "Selesai True"
