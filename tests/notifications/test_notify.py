"""``notify()`` is the contract with the social layer: one row per (person, key), set-wise."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from geo_civic.notifications.delivery import notify
from geo_civic.notifications.models import Notification


def users(count: int, prefix: str = "u") -> list[int]:
    User.objects.bulk_create([User(username=f"{prefix}{i}") for i in range(count)])
    return list(User.objects.filter(username__startswith=prefix).values_list("pk", flat=True))


@pytest.mark.django_db
def test_notify_creates_once_per_user_and_key():
    ids = users(3)
    told = dict(kind="news", title="Marché", url="/actualites/1", key="activity:1")
    assert notify(ids, **told, body="Samedi") == 3
    assert notify(ids, **told) == 0  # the same event again: nobody told twice
    assert notify([*ids, ids[0]], **{**told, "key": "activity:2"}) == 3  # duplicates in input
    row = Notification.objects.get(user_id=ids[0], key="activity:1")
    assert (row.kind, row.title, row.url, row.body, row.read_at) == (
        "news",
        "Marché",
        "/actualites/1",
        "Samedi",
        None,
    )


@pytest.mark.django_db
def test_notify_ignores_unknown_users_and_empty_lists():
    (known,) = users(1)
    assert notify([], kind="news", title="t", url="/", key="k") == 0
    assert notify([known, known + 10_000], kind="news", title="t", url="/", key="k") == 1
    assert Notification.objects.count() == 1


@pytest.mark.django_db
def test_notify_is_one_statement_for_many_users(django_assert_max_num_queries):
    ids = users(500)
    with django_assert_max_num_queries(6):
        assert notify(ids, kind="news", title="t", url="/", key="activity:9") == 500


@pytest.mark.django_db
def test_the_fan_out_job_is_notify_and_queues_one_delivery():
    from procrastinate.contrib.django.models import ProcrastinateJob

    from geo_civic.notifications.tasks import notify_users

    ids = users(4)
    told = dict(kind="news", title="t", url="/n/1", key="activity:5")
    assert notify_users(user_ids=ids, **told) == 4
    assert notify_users(user_ids=ids, **told) == 0  # a retried job changes nothing
    notify(ids[:1], **{**told, "key": "activity:6"})
    deliveries = ProcrastinateJob.objects.filter(task_name="notifications.deliver")
    assert sorted(job.args["key"] for job in deliveries) == ["activity:5", "activity:6"]
