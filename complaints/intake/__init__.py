"""Channels in: every channel turns its input into an IntakeRecord for the one intake service."""
