"""Background jobs of notifications, run by ``manage.py procrastinate worker``.

Every job is idempotent (what was sent is marked sent, one message at a time) and retried with
exponential backoff; a job whose worker died mid-way is found by ``retry_stalled_jobs`` from the
worker heartbeats and run again. Failed jobs are listed in the admin (procrastinate's).
"""

from __future__ import annotations

from django.conf import settings
from procrastinate import RetryStrategy
from procrastinate.contrib.django import app

from geo_civic.notifications import delivery, emails, push
from geo_civic.notifications.models import EmailMode

QUEUE = "notifications"
# Waits 4, 8, 16, 32, 64, 128 s… (procrastinate: exponential_wait ** (attempts + 1)).
BACKOFF = RetryStrategy(max_attempts=8, exponential_wait=2)


@app.task(queue=QUEUE, retry=BACKOFF, name="notifications.notify_users")
def notify_users(
    user_ids: list[int], kind: str, title: str, url: str, key: str, body: str = ""
) -> int:
    """``delivery.notify`` as a job, for a fan-out computed elsewhere (idempotent by key)."""
    return delivery.notify(user_ids, kind=kind, title=title, url=url, key=key, body=body)


@app.task(queue=QUEUE, retry=BACKOFF, name=delivery.DELIVER)
def deliver(key: str) -> dict[str, int]:
    """The e-mails and pushes of one event, to those who want them at once."""
    return {"emails": emails.send_immediate(key), "pushes": push.send_push(key)}


@app.periodic(cron="0 7 * * *", periodic_id="notifications-daily-digest")
@app.task(
    queue=QUEUE, retry=BACKOFF, lock="notifications-digest", queueing_lock="digest-daily",
    name="notifications.daily_digest",
)  # fmt: skip
def daily_digest(timestamp: int) -> int:
    """Every morning: yesterday's notifications, to those who chose a daily digest."""
    return emails.send_digests(EmailMode.DAILY)


@app.periodic(cron="0 7 * * 1", periodic_id="notifications-weekly-digest")
@app.task(
    queue=QUEUE, retry=BACKOFF, lock="notifications-digest", queueing_lock="digest-weekly",
    name="notifications.weekly_digest",
)  # fmt: skip
def weekly_digest(timestamp: int) -> int:
    """Every Monday morning: the week's notifications, to those who chose a weekly digest."""
    return emails.send_digests(EmailMode.WEEKLY)


@app.periodic(cron="* * * * *", periodic_id="retry-stalled-jobs")
@app.task(queue=QUEUE, queueing_lock="retry-stalled-jobs", name="retry_stalled_jobs")
async def retry_stalled_jobs(timestamp: int, seconds: float | None = None) -> int:
    """Every minute: jobs left ``doing`` by a worker without heartbeat (killed) run again."""
    seconds = settings.GEO_CIVIC_STALLED_JOB_SECONDS if seconds is None else seconds
    stalled = await app.job_manager.get_stalled_jobs(seconds_since_heartbeat=seconds)
    for job in stalled:
        await app.job_manager.retry_job(job)
    return len(stalled)
