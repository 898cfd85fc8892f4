"""Notifications: the transactional outbox every channel sends through, and its messages."""
