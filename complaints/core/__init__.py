"""Pieces shared by every domain: clock, database helpers, i18n, security, seeding."""
