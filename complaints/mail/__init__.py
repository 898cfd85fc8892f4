"""Incoming email: one parser fed by an IMAP poller and a pipe command; the quarantine."""
