"""Fault: Redis (broker and cache) stopped mid-burst and restarted empty (issue 13 item 6).
Submissions during the outage go through the real view, land on the normal page, and are
graded after it; the figures give the time from the restart to the last of them graded.

The test runs its own redis-server (never the shared one); the web side (this process)
and the worker both use it for the broker and the cache, as a production install does.
Full size: BACKPROP_FAULT_REDIS_OUTAGE_SECONDS=60."""

import time

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from config.celery import app
from interviews.models import Grade
from tests.e2e.conftest import grading_routed_to, start_worker, stop_worker, wait_for
from tests.factories import UserFactory
from tests.faults.conftest import (
    all_graded,
    answer_text,
    burst_slots,
    on_postgresql,
    outcome,
    report,
    size,
    sweeping,
)

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True), on_postgresql]
QUEUE = "faults-redis"


def reset_broker_connections() -> None:
    """Forget the app's connection and producer pools (kombu's, per broker address) so the
    next publish uses the broker_url set now."""
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def broker_and_cache_on(private_redis, settings):
    saved = app.conf.broker_url, app.conf.broker_transport_options
    reset_broker_connections()
    app.conf.broker_url = private_redis.url
    app.conf.broker_transport_options = {}
    settings.CACHES = {
        alias: {**config, "BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": private_redis.url}
        for alias, config in settings.CACHES.items()
    }
    yield private_redis
    app.conf.broker_url, app.conf.broker_transport_options = saved
    reset_broker_connections()


def test_submissions_while_redis_is_down_are_kept_and_graded_after_it(
    django_db_setup, broker_and_cache_on, short_sweep_windows, tmp_path, capsys
):
    redis = broker_and_cache_on
    outage = size("REDIS_OUTAGE_SECONDS", 15)
    interval = size("REDIS_SUBMIT_INTERVAL", 0.5)
    around = int(size("REDIS_AROUND", 15))  # submissions before the outage, and again after it
    user = UserFactory()
    slots = burst_slots(2 * around + int(outage / interval) + 10, candidate=user)
    client = Client(raise_request_exception=False)
    client.force_login(user)
    told_saved: dict[tuple[int, int], str] = {}
    during: list[tuple[int, int]] = []
    statuses: list[int] = []
    normal_pages = 0
    log = tmp_path / "worker.log"

    def submit(i: int, in_outage: bool = False) -> None:
        nonlocal normal_pages
        session, question = slots[i]
        form = {"question": question.pk, "text": answer_text(i)}
        response = client.post(reverse("answer_submit", args=[session.pk]), form)
        statuses.append(response.status_code)
        if response.status_code == 302:
            told_saved[(session.pk, question.pk)] = answer_text(i)
            page = client.get(response["Location"])
            normal_pages += page.status_code == 200 and (not in_outage or "Grading" in page.content.decode())
            if in_outage:
                during.append((session.pk, question.pk))
        time.sleep(interval)

    with grading_routed_to(QUEUE):
        worker = start_worker(log, queue=QUEUE, GRADER="offline", REDIS_URL=redis.url, **short_sweep_windows)
        try:
            with sweeping(every=2.0) as requeued:
                i = 0
                for _ in range(around):
                    submit(i)
                    i += 1
                redis.kill()  # SIGKILL, no persistence: it comes back empty
                down_until = time.monotonic() + outage
                while time.monotonic() < down_until:
                    submit(i, in_outage=True)
                    i += 1
                redis.start()
                restarted = timezone.now()
                for _ in range(around):
                    submit(i)
                    i += 1
                answer_ids = Grade.objects.filter(answer__session__candidate=user).values_list("answer_id", flat=True)
                wait_for(lambda: all_graded(answer_ids), timeout=size("GRADE_TIMEOUT", 300), interval=0.5)
        finally:
            stop_worker(worker)

    result = outcome(told_saved, i)
    finished = Grade.objects.filter(
        answer__session_id__in={s for s, _ in during}, status=Grade.Status.DONE
    ).values_list("answer__session_id", "answer__question_id", "finished_at")
    outage_finished = [at for s, q, at in finished if (s, q) in set(during)]
    recover = (max(outage_finished) - restarted).total_seconds() if outage_finished else float("nan")
    errors = sum(1 for status in statuses if status >= 500)
    report(
        capsys,
        f"Redis down {outage:.0f} s, restarted empty, {len(during)} submitted during the outage: {result.line()}, "
        f"server errors {errors}, sweep re-enqueued {sum(requeued)}, "
        f"time to recover {recover:.0f} s (restart to the last outage answer graded)",
    )
    assert errors == 0 and statuses == [302] * i, statuses
    assert normal_pages == i
    assert len(during) >= outage / interval / 3  # the outage did see submissions
    assert result.lost == 0 and result.half_saved == 0 and result.extra_grades == 0
    assert result.stuck == 0 and result.failed == 0, log.read_text(errors="replace")[-3000:]
    assert result.graded_once == i, result.not_graded[:20]
    assert len(outage_finished) == len(during)
