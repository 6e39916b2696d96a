"""Background jobs of local democracy, run by ``manage.py procrastinate worker``."""

from __future__ import annotations

from procrastinate.contrib.django import app

from geo_civic.participation import lifecycle


@app.periodic(cron="* * * * *", periodic_id="participation-due-transitions")
@app.task(queue="participation", queueing_lock="participation-due-transitions")
def apply_due_transitions(timestamp: int) -> int:
    """Every minute: move on the proposals whose dates have come (idempotent)."""
    return lifecycle.apply_due()
