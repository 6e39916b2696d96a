"""The worker is crash-safe: killed (SIGKILL) while sending, its job is found by the stalled-job
check (worker heartbeats) and run again by another worker; every e-mail arrives exactly once.
And a delivery that keeps failing is retried with backoff and shows in the admin."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings
from procrastinate.contrib.django.models import ProcrastinateJob

from geo_civic.notifications.delivery import notify
from geo_civic.notifications.tasks import retry_stalled_jobs
from tests.live_servers import env_on_test_database, free_port
from tests.notifications.conftest import person


def run_to_completion(coroutine):
    """Runs ``coroutine`` on an event loop of its own thread: a browser test of the same session
    may keep an event loop running in this one (Playwright's sync API)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def worker_environment(smtp_port: int) -> dict[str, str]:
    """The test database, mail to the test's server."""
    return env_on_test_database(GEO_CIVIC_EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}/?timeout=60")


def worker(smtp_port: int, *extra: str) -> list[str]:
    return [sys.executable, "manage.py", "procrastinate", "worker", "--queues", "notifications",
            *extra]  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_job_is_retried_and_sends_nothing_twice(smtp_server):
    inbox, port = smtp_server
    people = [person(f"p{i}", email="immediate") for i in range(3)]
    notify([p.pk for p in people], kind="result", title="Résultat du vote", url="/p/1", key="r:1")
    (job,) = ProcrastinateJob.objects.filter(task_name="notifications.deliver")
    held, release = threading.Event(), threading.Event()

    def hold_the_second(message) -> str | None:
        """The second message waits, unanswered, until the worker is dead: then it is refused."""
        if message["To"] == "p1@example.org" and not held.is_set():
            held.set()
            release.wait(120)
            return "451 4.3.0 the sender went away"
        return None

    inbox.before_accept = hold_the_second
    environment = worker_environment(port)
    doomed = subprocess.Popen(worker(port), cwd=settings.BASE_DIR, env=environment,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip
    try:
        assert held.wait(120), doomed.stderr.read1(4000) if doomed.poll() is not None else ""
        doomed.send_signal(signal.SIGKILL)
        doomed.wait(30)
    finally:
        release.set()
        if doomed.poll() is None:
            doomed.kill()
        doomed.stderr.close()
    assert [m["To"] for m in inbox.messages] == ["p0@example.org"]
    job.refresh_from_db()
    assert job.status == "doing"  # left behind by the dead worker
    assert run_to_completion(retry_stalled_jobs.func(timestamp=0, seconds=0)) == 1
    job.refresh_from_db()
    assert job.status == "todo"
    result = subprocess.run(worker(port, "--one-shot"), cwd=settings.BASE_DIR, env=environment,
                            capture_output=True, text=True, timeout=180)  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    job.refresh_from_db()
    assert job.status == "succeeded"
    assert sorted(m["To"] for m in inbox.messages) == [f"p{i}@example.org" for i in range(3)]


@pytest.mark.django_db(transaction=True)
def test_a_failing_delivery_is_retried_later_and_shown_in_the_admin(client):
    person("ana", email="immediate")
    notify([person("ana2", email="immediate").pk], kind="news", title="t", url="/", key="n:1")
    closed_port = free_port()  # nothing listens there: the SMTP connection is refused
    result = subprocess.run(
        worker(closed_port, "--one-shot"), cwd=settings.BASE_DIR,
        env=worker_environment(closed_port), capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    job = ProcrastinateJob.objects.get(task_name="notifications.deliver")
    assert (job.status, job.attempts) == ("todo", 1)  # waiting for its retry, with backoff
    events = list(job.procrastinateevent_set.values_list("type", flat=True))
    assert "deferred_for_retry" in events
    admin = person("admin")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    page = client.get(f"/admin/procrastinate/procrastinatejob/{job.pk}/change/")
    assert page.status_code == 200
    assert b"notifications.deliver" in page.content and b"deferred_for_retry" in page.content
    listing = client.get("/admin/procrastinate/procrastinatejob/?status=todo")
    assert listing.status_code == 200 and b"notifications.deliver" in listing.content
    waiting = client.get("/admin/notifications/notification/?emailed_at__isempty=1")
    assert waiting.status_code == 200 and b"ana2" in waiting.content  # not sent yet
