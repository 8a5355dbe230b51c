"""E-SAKIP SOP bot: the application core (config, storage, the SOP engine, services, CLI, app)."""

import os

# python-telegram-bot 22 warns that RetryAfter.retry_after becomes a timedelta; opt in now so the
# dispatcher sees one type and no deprecation warning is raised on a 429.
os.environ.setdefault("PTB_TIMEDELTA", "1")
