"""Imports every domain's models so the metadata is complete (migrations, create_all)."""

from complaints.accounts.models import *  # noqa: F403
from complaints.api.models import *  # noqa: F403
from complaints.core.jobruns import *  # noqa: F403
from complaints.core.ratelimit import RateLimitCounter  # noqa: F401
from complaints.inbox.models import *  # noqa: F403
from complaints.letters.models import *  # noqa: F403
from complaints.mail.models import *  # noqa: F403
from complaints.messaging.models import *  # noqa: F403
from complaints.notifications.models import *  # noqa: F403
from complaints.public.models import *  # noqa: F403
from complaints.reports.models import *  # noqa: F403
from complaints.tickets import search_index  # noqa: F401  (trigram indexes on PostgreSQL)
from complaints.tickets.models import *  # noqa: F403
from complaints.workflow.deadline_models import *  # noqa: F403
from complaints.workflow.models import *  # noqa: F403
