"""Imports every domain's models so the metadata is complete (migrations, create_all)."""

from complaints.accounts.models import *  # noqa: F403
from complaints.letters.models import *  # noqa: F403
from complaints.messaging.models import *  # noqa: F403
from complaints.tickets.models import *  # noqa: F403
