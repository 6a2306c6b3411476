"""Pages that read do not write, and every view that answers htmx with a fragment and a
plain request with a page says so in `Vary`, so no cache hands one to the other."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from interviews.models import InterviewSession
from tests.factories import PostingFactory
from tests.hiring.conftest import login

HX = {"HX-Request": "true"}

# (url name, method, args from the world, who asks, form data from the world)
FRAGMENT_OR_PAGE = [
    ("posting_detail", "get", lambda w: [PostingFactory(owner=w.candidate_b).pk], lambda w: w.candidate_b, None),
    (
        "answer_submit",
        "post",
        lambda w: [w.practice_b.pk],
        lambda w: w.candidate_b,
        lambda w: {"question": w.practice_b.ordered_questions()[0].pk, "text": "Bias and variance."},
    ),
    (
        "question_skip",
        "post",
        lambda w: [w.practice_b.pk],
        lambda w: w.candidate_b,
        lambda w: {"question": w.practice_b.ordered_questions()[0].pk, "text": ""},
    ),
    ("set_results", "get", lambda w: [w.team_set.pk], lambda w: w.manager1, None),
    (
        "item_down",
        "post",
        lambda w: [w.team_set.pk, w.team_set.items.order_by("order").first().pk],
        lambda w: w.manager1,
        None,
    ),
]


@pytest.mark.parametrize("htmx", [True, False], ids=["htmx", "plain"])
@pytest.mark.parametrize(
    ("name", "method", "args", "who", "data"), FRAGMENT_OR_PAGE, ids=[case[0] for case in FRAGMENT_OR_PAGE]
)
def test_views_that_answer_htmx_differently_vary_on_hx_request(world, client, htmx, name, method, args, who, data):
    login(client, who(world))
    send = getattr(client, method)
    response = send(reverse(name, args=args(world)), data(world) if data else {}, headers=HX if htmx else {})
    assert response.status_code in {200, 286, 302}, response.content[:300]
    assert "HX-Request" in response.get("Vary", "")


def _writes(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]


def test_reading_a_timed_out_assessment_writes_nothing_and_the_next_write_closes_it(world, client):
    session = world.session_a
    deadline = timezone.now() - timedelta(hours=1)
    InterviewSession.objects.filter(pk=session.pk).update(deadline=deadline, finished_at=None)

    login(client, world.candidate_a)
    with CaptureQueriesContext(connection) as candidate_reads:
        page = client.get(reverse("interview_detail", args=[session.pk]))
    assert page.status_code == 200 and "Time is up" in page.content.decode()
    login(client, world.manager1)
    with CaptureQueriesContext(connection) as team_reads:
        transcript = client.get(reverse("transcript", args=[session.pk]))
    assert transcript.status_code == 200 and "time up" in transcript.content.decode()
    assert _writes(candidate_reads.captured_queries) == []
    assert _writes(team_reads.captured_queries) == []
    assert InterviewSession.objects.get(pk=session.pk).finished_at is None
    assert InterviewSession.objects.get(pk=session.pk).is_over()

    login(client, world.candidate_a)
    question = session.ordered_questions()[1]
    refused = client.post(reverse("draft_save", args=[session.pk]), {"question": question.pk, "text": "late"})
    assert refused.status_code == 409
    assert InterviewSession.objects.get(pk=session.pk).finished_at == deadline
