"""Interview pages are never served stale, and a second answer to a question is never dropped silently."""

import pytest
from django.urls import reverse

from interviews.models import Answer
from tests.factories import InterviewSessionFactory, QuestionFactory, QuestionSetFactory

pytestmark = pytest.mark.django_db

NOTICE = "You already answered this question; your first answer was kept."


@pytest.fixture
def session(user):
    first = QuestionFactory(prompt="Why does dropout regularise?")
    second = QuestionFactory(prompt="What does weight decay change in the update?")
    return InterviewSessionFactory(candidate=user, question_set=QuestionSetFactory(questions=[first, second]))


def submit(client, session, question, text, **extra):
    return client.post(reverse("answer_submit", args=[session.pk]), {"question": question.pk, "text": text}, **extra)


def test_interview_pages_and_fragments_are_never_cached(client_logged_in, session):
    first = session.ordered_questions()[0]
    page = client_logged_in.get(reverse("interview_detail", args=[session.pk]))
    draft = client_logged_in.post(reverse("draft_save", args=[session.pk]), {"question": first.pk, "text": "half"})
    htmx = {"HX-Request": "true"}
    fragment = submit(client_logged_in, session, first, "It averages many thinned networks.", headers=htmx)
    grade = client_logged_in.get(reverse("grade_status", args=[Answer.objects.get().grades.get().pk]))
    for response in (page, draft, fragment, grade):
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]


def test_answering_a_question_again_keeps_the_first_answer_and_says_so(client_logged_in, session):
    first, second = session.ordered_questions()
    submit(client_logged_in, session, first, "It averages many thinned networks.")
    # A stale page (Back, or a second tab) posts question 1 again.
    response = submit(client_logged_in, session, first, "A different, later answer.", follow=True)
    body = response.content.decode()
    assert NOTICE in body
    assert "Question 2 of 2" in body and second.prompt in body  # lands on the current question
    assert Answer.objects.get().text == "It averages many thinned networks."


def test_an_htmx_repeat_answer_shows_the_notice_in_the_swapped_fragment(client_logged_in, session):
    first = session.ordered_questions()[0]
    submit(client_logged_in, session, first, "It averages many thinned networks.", headers={"HX-Request": "true"})
    response = submit(client_logged_in, session, first, "A later answer.", headers={"HX-Request": "true"})
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="interview-body">')
    assert NOTICE in body and "Question 2 of 2" in body
    # The message was shown in the fragment, so the next full page does not repeat it.
    assert NOTICE not in client_logged_in.get(reverse("interview_detail", args=[session.pk])).content.decode()


def test_a_first_answer_shows_no_notice(client_logged_in, session):
    first = session.ordered_questions()[0]
    response = submit(client_logged_in, session, first, "It averages many thinned networks.", follow=True)
    assert NOTICE not in response.content.decode()
