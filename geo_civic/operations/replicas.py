"""Public reads on PostgreSQL streaming replicas; writes, transactions and read-your-writes on
the primary.

``GEO_CIVIC_REPLICA_URLS`` (comma-separated database URLs) adds the aliases ``replica_0``,
``replica_1``… A read goes to a replica only when the web request allowed it (a GET or HEAD of a
client that has not written in the last few seconds: see :mod:`geo_civic.web.primary_after_writes`)
and no transaction is open. Jobs, commands and shells always read the primary, so a job never
misses the row the request that queued it just wrote.

A replica is used only while it answers and its lag, in WAL bytes (the primary's
``pg_current_wal_lsn()`` against the replica's ``pg_last_wal_replay_lsn()``), is within
``GEO_CIVIC_REPLICA_MAX_LAG_BYTES``. Lag is not measured in time: an idle primary writes nothing,
so the replica's last replay looks old while it is fully caught up. Each process checks each
replica at most once every ``GEO_CIVIC_REPLICA_CHECK_SECONDS``.
"""

from __future__ import annotations

import logging
import time
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from threading import Lock

from django.conf import settings
from django.db import DatabaseError, connections

logger = logging.getLogger(__name__)

PREFIX = "replica_"

# True only while serving a request whose reads may be a little behind the primary.
_replica_reads: ContextVar[bool] = ContextVar("geo_civic_replica_reads", default=False)


def replica_aliases() -> list[str]:
    return [alias for alias in settings.DATABASES if alias.startswith(PREFIX)]


@contextmanager
def replica_reads_allowed():
    """Within this block, reads outside a transaction may go to a healthy replica."""
    token = _replica_reads.set(True)
    try:
        yield
    finally:
        _replica_reads.reset(token)


def lsn_bytes(lsn: str) -> int:
    """A ``pg_lsn`` such as ``0/3000148`` as a byte position."""
    high, low = lsn.split("/")
    return (int(high, 16) << 32) + int(low, 16)


@dataclass
class _Health:
    usable: bool = False
    checked_at: float = float("-inf")


_health: dict[str, _Health] = {}
_health_lock = Lock()


def lag_bytes(alias: str) -> int | None:
    """The replica's replay lag in WAL bytes, or None when it does not answer or is no replica."""
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_lsn()::text")
            (primary,) = cursor.fetchone()
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn()::text")
            in_recovery, replayed = cursor.fetchone()
    except DatabaseError as exc:
        logger.warning("replica %s skipped: %s", alias, str(exc).strip().splitlines()[0])
        connections[alias].close()
        return None
    if not in_recovery or replayed is None:
        logger.warning("replica %s skipped: it is not replaying a primary's WAL", alias)
        return None
    return max(0, lsn_bytes(primary) - lsn_bytes(replayed))


def usable(alias: str) -> bool:
    """Whether ``alias`` answers and is close enough behind, checked at most once per period."""
    now = time.monotonic()
    with _health_lock:
        health = _health.setdefault(alias, _Health())
        if now - health.checked_at < settings.GEO_CIVIC_REPLICA_CHECK_SECONDS:
            return health.usable
        health.checked_at = now  # one check at a time; others use the last answer meanwhile
    lag = lag_bytes(alias)
    health.usable = lag is not None and lag <= settings.GEO_CIVIC_REPLICA_MAX_LAG_BYTES
    if lag is not None and not health.usable:
        logger.warning("replica %s skipped: %d bytes of WAL behind", alias, lag)
    return health.usable


class ReplicaRouter:
    """Django database router: see the module's docstring."""

    def db_for_read(self, model, **hints) -> str:
        instance = hints.get("instance")
        if instance is not None and instance._state.db:
            return instance._state.db  # related objects come from where their parent came from
        if not _replica_reads.get() or connections["default"].in_atomic_block:
            return "default"
        for alias in replica_aliases():
            if usable(alias):
                return alias
        return "default"

    def db_for_write(self, model, **hints) -> str:
        return "default"

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # the replicas hold the primary's rows

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool:
        return db == "default"
