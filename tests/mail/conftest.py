from tests.support.mailfixtures import dovecot, frozen_clock, imap_folder, smtp_sink  # noqa: F401
