"""Background jobs of follow and news, run by ``manage.py procrastinate worker``."""

from __future__ import annotations

from procrastinate import RetryStrategy
from procrastinate.contrib.django import app

from geo_civic.social.fan_out import tell_followers


@app.task(queue="social", retry=RetryStrategy(max_attempts=5, exponential_wait=2))
def fan_out_activity(activity_id: int) -> int:
    """Tell the followers of a new activity; retried with backoff, idempotent by key."""
    return tell_followers(activity_id)
