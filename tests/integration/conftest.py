from tests.support.mailfixtures import frozen_clock, smtp_sink  # noqa: F401
