"""Team pages run a fixed number of queries however many candidates a set has."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hiring.services import assessments, overrides, results
from interviews.grading.service import run_grade, submit_answer
from tests.factories import UserFactory
from tests.hiring.conftest import login


def _add_candidates(world, n: int) -> None:
    for _ in range(n):
        candidate = UserFactory()
        invite = assessments.invite_candidates(world.team_set, candidate.email, world.manager1, "http://t")[0]
        session = assessments.start(invite.token, candidate)
        for question in session.ordered_questions():
            submission = submit_answer(session, question, "Bias, variance and noise.", 30)
            run_grade(submission.grade.pk)
        answer = session.answers.first()
        rows = overrides.criteria_for_override(results.result_of(answer))
        overrides.save_override(results.result_of(answer), world.reviewer1, [0] * len(rows), "checked")
    assessments.invite_candidates(world.team_set, "pending@example.com", world.manager1, "http://t")


def _queries(client, url: str, **headers: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url, **headers).status_code in {200, 286}  # 286: htmx rows with nothing pending
    return len(context.captured_queries)


@pytest.mark.parametrize("name", ["set_results", "set_results_csv", "review_queue", "set_detail", "set_list"])
def test_team_pages_do_not_query_per_candidate(world, client, name):
    login(client, world.manager1)
    arg = world.org1.slug if name in {"review_queue", "set_list"} else world.team_set.pk
    url = reverse(name, args=[arg])
    _add_candidates(world, 1)
    few = _queries(client, url)
    _add_candidates(world, 4)
    assert _queries(client, url) == few


def test_the_live_results_rows_do_not_query_per_candidate(world, client):
    login(client, world.reviewer1)
    url = reverse("set_results", args=[world.team_set.pk])
    _add_candidates(world, 1)
    few = _queries(client, url, HTTP_HX_REQUEST="true")
    _add_candidates(world, 4)
    assert _queries(client, url, HTTP_HX_REQUEST="true") == few
    assert few < _queries(client, url)  # the rows alone skip the agreement and outdated figures


def test_the_team_landing_page_does_not_query_per_candidate(world, client):
    login(client, world.manager1)
    url = reverse("team_home")
    _add_candidates(world, 1)
    few = _queries(client, url)
    _add_candidates(world, 4)
    assert _queries(client, url) == few


def test_the_transcript_does_not_query_per_question(world, client):
    login(client, world.reviewer1)
    url = reverse("transcript", args=[world.session_a.pk])
    few = _queries(client, url)
    session = world.session_a
    submission = submit_answer(session, session.ordered_questions()[1], "Dropout is off at inference.", 5)
    run_grade(submission.grade.pk)
    assert _queries(client, url) == few
