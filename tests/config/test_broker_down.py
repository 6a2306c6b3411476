"""Redis down at submit (issue 13 item 5): the answer and its queued grade are committed before
the grading message is published, so a publish that fails must not turn the request into a 500.
The candidate sees the normal "grading" page and the sweep delivers the grade once Redis is
back, since its message is in no queue."""

import logging
import socket
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from config.celery import app
from interviews.grading.sweep import requeue_lost_grades
from interviews.models import Answer, Grade
from tests.factories import PASSWORD, InterviewSessionFactory, QuestionFactory, QuestionSetFactory

ANSWER = "Bias is error from wrong assumptions; variance is sensitivity to the training sample."


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens once the socket closes


def reset_connections() -> None:
    """The app keeps its connection and producer pools (kombu's, keyed by broker address):
    forget them so the next publish takes the pools of whatever broker_url says now."""
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def broker_down():
    saved = app.conf.broker_url, app.conf.broker_transport_options
    reset_connections()
    app.conf.broker_url = f"redis://127.0.0.1:{closed_port()}/0"
    app.conf.broker_transport_options = {}

    def restore() -> None:
        app.conf.broker_url, app.conf.broker_transport_options = saved
        reset_connections()

    yield restore
    restore()


@pytest.mark.django_db(transaction=True)
def test_a_submit_while_redis_is_down_shows_the_grading_page_and_the_sweep_delivers_it(
    client, broker_down, caplog, enqueued
):
    session = InterviewSessionFactory(question_set=QuestionSetFactory(questions=[QuestionFactory(), QuestionFactory()]))
    question = session.ordered_questions()[0]
    client.login(email=session.candidate.email, password=PASSWORD)

    with caplog.at_level(logging.ERROR, logger="config.celery"):
        response = client.post(reverse("answer_submit", args=[session.pk]), {"question": question.pk, "text": ANSWER})

    assert response.status_code == 302, response.content[:500]
    grade = Answer.objects.get().grades.get()
    assert grade.status == Grade.Status.QUEUED
    assert "Could not publish interviews.tasks.grade_answer" in caplog.text
    page = client.get(response["Location"]).content.decode()
    assert "Grading" in page and "Server Error" not in page
    assert enqueued == []  # nothing reached a broker

    # Redis back: the sweep finds the grade that was never delivered and publishes it.
    restore_broker = broker_down
    restore_broker()  # Redis is back
    Grade.objects.filter(pk=grade.pk).update(queued_at=timezone.now() - timedelta(days=1))
    assert requeue_lost_grades() == 1
    assert enqueued == [grade.pk]
