"""The candidate's coding page: the editor markup, "Run visible tests" (results only: no
grade, the answer stays open, one run at a time and a few a minute) and code in grades."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from interviews.execution.visible import run_visible
from interviews.models import Answer, Draft, Grade
from tests.execution.conftest import needs_sandbox
from tests.execution.test_code_grading import softmax_question  # noqa: F401  (fixture)
from tests.execution.test_runner import NAIVE_SOFTMAX
from tests.factories import InterviewSessionFactory, QuestionFactory, QuestionSetFactory

HTMX = {"HTTP_HX_REQUEST": "true"}
IDENTITY = "import numpy as np\n\ndef softmax(x, axis=-1):\n    return x\n"


@pytest.fixture
def session(user, softmax_question):  # noqa: F811
    question_set = QuestionSetFactory(owner=user, questions=[softmax_question, QuestionFactory()])
    return InterviewSessionFactory(candidate=user, question_set=question_set)


def run(client, session, question, code, **extra):
    return client.post(reverse("code_run", args=[session.pk]), {"question": question.pk, "text": code}, **extra)


def test_a_coding_question_opens_in_the_code_editor_with_its_starter_code(client_logged_in, session, softmax_question):  # noqa: F811
    page = client_logged_in.get(reverse("interview_detail", args=[session.pk])).content.decode()
    assert "data-code-editor" in page and "vendor/editor/editor.js" in page
    assert "def softmax(" in page  # the starter, pre-filled in the textarea the editor is backed by
    assert "<kbd>Esc</kbd> then <kbd>Tab</kbd>" in page
    assert reverse("code_run", args=[session.pk]) in page


@needs_sandbox
def test_running_the_visible_tests_shows_each_case_and_grades_nothing(client_logged_in, session, softmax_question):  # noqa: F811
    response = run(client_logged_in, session, softmax_question, IDENTITY, **HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Visible tests: 0 of 2 passed." in body
    assert "Expected" in body and "Actual" in body and "Inputs" in body
    assert "huge-logits" not in body  # a hidden case is never run here
    assert not Answer.objects.exists() and not Grade.objects.exists()
    # The code is kept as the draft, and the answer is still open: submitting works.
    assert Draft.objects.get(session=session, question=softmax_question).text == IDENTITY
    submitted = client_logged_in.post(
        reverse("answer_submit", args=[session.pk]), {"question": softmax_question.pk, "text": NAIVE_SOFTMAX}
    )
    assert submitted.status_code == 302 and Answer.objects.filter(session=session).count() == 1


@needs_sandbox
def test_without_javascript_the_run_shows_on_the_interview_page(client_logged_in, session, softmax_question):  # noqa: F811
    response = run(client_logged_in, session, softmax_question, NAIVE_SOFTMAX)
    body = response.content.decode()
    assert response.status_code == 200 and "Visible tests: 2 of 2 passed." in body
    assert "data-code-editor" in body and "e = np.exp(x)" in body  # the code is back in the box


def test_a_syntax_error_is_reported_by_the_run_not_graded(client_logged_in, session, softmax_question):  # noqa: F811
    body = run(client_logged_in, session, softmax_question, "def softmax(x:\n", **HTMX).content.decode()
    assert "Your code could not run" in body and "syntax error on line 1" in body
    assert not Grade.objects.exists()


def test_runs_are_limited_per_minute(client_logged_in, session, softmax_question, settings):  # noqa: F811
    settings.CODE_VISIBLE_RUNS_PER_MINUTE = 2
    broken = "def softmax(x:\n"  # refused before the sandbox: the limit is what is tested
    bodies = [run(client_logged_in, session, softmax_question, broken, **HTMX).content.decode() for _ in range(3)]
    assert all("could not run" in b for b in bodies[:2])
    assert "2 times a minute" in bodies[2] and "could not run" not in bodies[2]
    assert run(client_logged_in, session, softmax_question, broken).status_code == 429


def test_the_limit_counts_from_the_first_run_not_the_clock_minute(
    client_logged_in,
    session,
    softmax_question,  # noqa: F811
    settings,
    monkeypatch,
):
    settings.CODE_VISIBLE_RUNS_PER_MINUTE = 2
    clock = iter([119.0, 121.0, 150.0, 180.0])  # two clock minutes, one window from 119 s to 179 s
    monkeypatch.setattr("interviews.execution.visible._now", lambda: next(clock))
    broken = "def softmax(x:\n"
    bodies = [run(client_logged_in, session, softmax_question, broken, **HTMX).content.decode() for _ in range(4)]
    assert "could not run" in bodies[1] and "2 times a minute" in bodies[2] and "try again in 29 s" in bodies[2]
    assert "could not run" in bodies[3]  # the window closed after 60 s: runs are allowed again


def test_one_run_at_a_time(user, softmax_question, client_logged_in, session):  # noqa: F811
    cache.add(f"code-run:busy:{user.pk}", 1)  # as a run in another tab holds it
    body = run(client_logged_in, session, softmax_question, NAIVE_SOFTMAX, **HTMX).content.decode()
    assert "still going" in body
    assert not Draft.objects.get(question=softmax_question).text.startswith("def softmax(x:")
    cache.delete(f"code-run:busy:{user.pk}")  # that run ends: this tab's run goes ahead
    body = run(client_logged_in, session, softmax_question, "def softmax(x:\n", **HTMX).content.decode()
    assert "could not run" in body


def test_the_limit_frees_the_slot_after_each_run(user, softmax_question):  # noqa: F811
    run_visible(user.pk, softmax_question, "def softmax(x:\n")
    assert cache.get(f"code-run:busy:{user.pk}") is None


def test_text_questions_have_no_tests_to_run(client_logged_in, session):
    text_question = session.question_set.items.exclude(question__kind="coding").get().question
    assert run(client_logged_in, session, text_question, "anything", **HTMX).status_code == 404


def test_another_candidates_session_cannot_be_run(client, session, softmax_question):  # noqa: F811
    from tests.factories import PASSWORD, UserFactory

    other = UserFactory()
    client.login(email=other.email, password=PASSWORD)
    assert run(client, session, softmax_question, NAIVE_SOFTMAX, **HTMX).status_code == 404


@needs_sandbox
def test_a_runner_that_cannot_start_python_says_so_and_keeps_the_code(
    client_logged_in,
    session,
    softmax_question,  # noqa: F811
    monkeypatch,
):
    from interviews.execution import sandbox

    base, _ = sandbox.python_paths()
    monkeypatch.setattr(sandbox, "python_paths", lambda: (base, "/nonexistent/venv"))
    response = run(client_logged_in, session, softmax_question, NAIVE_SOFTMAX, **HTMX)
    assert response.status_code == 200  # htmx swaps it in like a result
    assert "The code runner is unavailable right now" in response.content.decode()
    assert Draft.objects.get(session=session, question=softmax_question).text == NAIVE_SOFTMAX
    assert run(client_logged_in, session, softmax_question, NAIVE_SOFTMAX).status_code == 503
