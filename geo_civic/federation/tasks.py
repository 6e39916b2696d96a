"""Background jobs of federation, run by ``manage.py procrastinate worker``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from procrastinate import RetryStrategy
from procrastinate.contrib.django import app

from geo_civic.federation import deliveries
from geo_civic.federation.local import LocalActor
from geo_civic.federation.models import Delivery

# 10 tries over about 8 hours, waiting 3, 9, 27 … 19683 s (5.5 h) between them.
RETRY = RetryStrategy(
    max_attempts=10, exponential_wait=3, retry_exceptions={deliveries.DeliveryFailed}
)


@app.task(queue="federation", retry=RETRY)
def deliver(delivery_id: int) -> str:
    """Post one activity to one remote inbox, signed (idempotent; retried with backoff)."""
    return deliveries.attempt(delivery_id)


def enqueue(
    local: LocalActor, base: str, activity: dict[str, Any], inboxes: Iterable[str]
) -> list[int]:
    """Record one delivery per inbox (none twice for one activity) and defer their jobs after
    the transaction commits."""
    inboxes = sorted(set(inboxes))
    Delivery.objects.bulk_create(
        [
            Delivery(
                activity_id=activity["id"],
                activity=activity,
                inbox=inbox,
                local_kind=local.kind,
                local_key=local.key,
                key_id=local.key_id(base),
            )  # fmt: skip
            for inbox in inboxes
        ],
        ignore_conflicts=True,
    )
    pending = list(
        Delivery.objects.filter(
            activity_id=activity["id"], inbox__in=inboxes, done=False
        ).values_list("pk", flat=True)
    )
    for pk in pending:
        transaction.on_commit(lambda pk=pk: deliver.defer(delivery_id=pk))
    return pending
