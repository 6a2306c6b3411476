import pytest
from django.urls import reverse

from interviews.models import Answer, Grade, InterviewSession, Posting
from interviews.postings.services import create_posting
from tests.factories import GradeFactory, InterviewSessionFactory, PostingFactory, UserFactory

POSTING = """Machine Learning Engineer
Requirements:
- Strong Python and PyTorch
- Experience with SQL and pandas
- Statistics and A/B testing
"""

ANSWER = "Bias is error from wrong assumptions; variance is sensitivity to the training sample."


@pytest.fixture
def posting(bank, user):
    return create_posting(user, POSTING)


@pytest.fixture
def session(posting, client_logged_in):
    client_logged_in.post(reverse("interview_start", args=[posting.pk]), {"questions": 2})
    return InterviewSession.objects.get(candidate=posting.owner)


def test_anonymous_visitors_see_the_landing_page_and_are_sent_to_log_in(client, db):
    assert b"Create a free account" in client.get(reverse("home")).content
    response = client.get(reverse("progress"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_pasting_a_posting_shows_its_requirements_and_skills(client_logged_in, bank):
    response = client_logged_in.post(reverse("posting_new"), {"text": POSTING})
    posting = Posting.objects.get()
    assert response["Location"] == reverse("posting_detail", args=[posting.pk])
    page = client_logged_in.get(response["Location"]).content.decode()
    assert "Strong Python and PyTorch" in page
    assert "PyTorch" in page and "SQL" in page


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "The posting is empty"),
        ("a" * 2 * 1024 * 1024, "too long"),
        ("\x00\xff\xfe garbage " * 100, "binary"),
    ],
)
def test_bad_postings_get_a_clear_message_and_nothing_is_saved(client_logged_in, bank, text, message):
    response = client_logged_in.post(reverse("posting_new"), {"text": text})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Posting.objects.count() == 0


def test_hostile_html_in_a_posting_is_escaped(client_logged_in, bank):
    client_logged_in.post(reverse("posting_new"), {"text": POSTING + "- <script>alert('x')</script> SQL"})
    page = client_logged_in.get(reverse("posting_detail", args=[Posting.objects.get().pk])).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;" in page


def test_other_users_postings_interviews_and_grades_are_not_found(client_logged_in, bank):
    stranger_posting = PostingFactory(owner=UserFactory())
    stranger_session = InterviewSessionFactory()
    stranger_grade = GradeFactory()
    assert client_logged_in.get(reverse("posting_detail", args=[stranger_posting.pk])).status_code == 404
    assert client_logged_in.post(reverse("interview_start", args=[stranger_posting.pk])).status_code == 404
    assert client_logged_in.get(reverse("interview_detail", args=[stranger_session.pk])).status_code == 404
    assert client_logged_in.get(reverse("grade_status", args=[stranger_grade.pk])).status_code == 404
    response = client_logged_in.post(reverse("answer_submit", args=[stranger_session.pk]), {"question": 1, "text": "x"})
    assert response.status_code == 404


def test_the_interview_shows_one_question_at_a_time_without_its_answer_key(client_logged_in, session):
    first, second = session.ordered_questions()
    page = client_logged_in.get(reverse("interview_detail", args=[session.pk])).content.decode()
    assert "Question 1 of 2" in page
    assert first.prompt.splitlines()[0][:40] in page
    assert second.prompt.splitlines()[0][:40] not in page
    assert first.reference_answer.splitlines()[0][:40] not in page


def test_submitting_saves_the_answer_and_a_queued_grade(client_logged_in, session, django_capture_on_commit_callbacks):
    question = session.ordered_questions()[0]
    with django_capture_on_commit_callbacks() as callbacks:
        response = client_logged_in.post(
            reverse("answer_submit", args=[session.pk]), {"question": question.pk, "text": ANSWER}
        )
    assert response.status_code == 302
    answer = Answer.objects.get()
    assert answer.text == ANSWER and answer.question == question
    assert answer.grades.get().status == Grade.Status.QUEUED
    assert len(callbacks) == 1  # the grading task is enqueued once the transaction commits
    page = client_logged_in.get(reverse("interview_detail", args=[session.pk])).content.decode()
    assert "Grading" in page and "Question 2 of 2" in page
    assert question.reference_answer.splitlines()[0][:40] in page  # revealed once answered


def test_an_htmx_submit_returns_the_interview_fragment(client_logged_in, session):
    question = session.ordered_questions()[0]
    response = client_logged_in.post(
        reverse("answer_submit", args=[session.pk]),
        {"question": question.pk, "text": ANSWER},
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="interview-body">')
    assert "<html" not in body
    assert 'hx-trigger="every 1s"' in body
    assert "HX-Request" in response["Vary"]


def test_a_too_long_answer_is_refused_and_its_text_kept_on_the_page(client_logged_in, session, settings):
    question = session.ordered_questions()[0]
    text = "word " * (settings.ANSWER_MAX_CHARS // 5 + 10)
    response = client_logged_in.post(
        reverse("answer_submit", args=[session.pk]), {"question": question.pk, "text": text}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "too long" in body
    assert text.strip()[:500] in body
    assert Answer.objects.count() == 0


def test_an_empty_answer_is_refused(client_logged_in, session):
    question = session.ordered_questions()[0]
    response = client_logged_in.post(
        reverse("answer_submit", args=[session.pk]), {"question": question.pk, "text": " "}
    )
    assert response.status_code == 400
    assert "The answer is empty" in response.content.decode()
    assert Answer.objects.count() == 0


def test_a_double_clicked_submit_saves_one_answer(client_logged_in, session):
    question = session.ordered_questions()[0]
    url = reverse("answer_submit", args=[session.pk])
    client_logged_in.post(url, {"question": question.pk, "text": ANSWER})
    client_logged_in.post(url, {"question": question.pk, "text": ANSWER})
    assert Answer.objects.count() == 1 and Grade.objects.count() == 1


def test_the_grade_fragment_polls_until_done_then_shows_the_score(client_logged_in, session):
    question = session.ordered_questions()[0]
    client_logged_in.post(reverse("answer_submit", args=[session.pk]), {"question": question.pk, "text": ANSWER})
    grade = Grade.objects.get()
    assert b"every 1s" in client_logged_in.get(reverse("grade_status", args=[grade.pk])).content
    Grade.objects.filter(pk=grade.pk).update(status=Grade.Status.DONE, score=3.5, grader="offline", criteria=[])
    body = client_logged_in.get(reverse("grade_status", args=[grade.pk])).content.decode()
    assert "every 1s" not in body
    assert "3.5" in body and "offline grader" in body


def test_progress_shows_average_score_per_skill(client_logged_in, session):
    question = session.ordered_questions()[0]
    client_logged_in.post(reverse("answer_submit", args=[session.pk]), {"question": question.pk, "text": ANSWER})
    Grade.objects.update(status=Grade.Status.DONE, score=4.0)
    page = client_logged_in.get(reverse("progress")).content.decode()
    for skill in question.skills.all():
        assert skill.name in page
    assert "4.0" in page
