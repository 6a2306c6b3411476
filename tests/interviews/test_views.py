import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from interviews.models import Answer, Grade, InterviewSession, Posting, QuestionSet, Skill
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


def answer_to(question) -> str:
    """A text answer, or for a coding question (the posting asks for Python) code that runs."""
    return question.coding_files["starter.py"] if question.kind == "coding" else ANSWER


def first_words(markdown: str) -> str:
    """A run of plain words from the text, as they appear in the rendered page."""
    return max(re.findall(r"[A-Za-z][A-Za-z ]{15,}[A-Za-z]", markdown), key=len)[:30]


def preview(client, posting, n, **extra):
    params = {"questions": n, "skills": list(posting.skill_profile()), **extra}
    return client.get(reverse("posting_detail", args=[posting.pk]), params)


def start(client, posting, n):
    plan = preview(client, posting, n).context["plan"]
    client.post(
        reverse("interview_start", args=[posting.pk]),
        {
            "questions": n,
            "skills": list(posting.skill_profile()),
            "planned": ",".join(str(q.pk) for q in plan.questions),
        },
    )
    return plan


@pytest.fixture
def session(posting, client_logged_in):
    start(client_logged_in, posting, 2)
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


def test_the_posting_page_shows_the_plan_and_its_coverage_map(client_logged_in, posting):
    page = client_logged_in.get(reverse("posting_detail", args=[posting.pk]))
    plan = page.context["plan"]
    body = page.content.decode()
    assert len(plan.questions) == 5
    assert "Adjust your interview" in body and 'data-testid="coverage"' in body
    assert "tested by Q" in body
    for requirement in plan.requirements:
        assert requirement.text in body
    # Sections by their names; a requirement outside any section carries no tag.
    sections = {r.section for r in plan.requirements}
    assert "must" in sections and '<span class="section-tag">Must-have</span>' in body
    assert '<span class="section-tag">must</span>' not in body and ">other<" not in body


def test_the_posting_page_reads_the_requirements_once(client_logged_in, posting):
    """The form's skills, the plan, the coverage map and readiness share one read of the
    requirements with their skill links (each read was three queries)."""
    with CaptureQueriesContext(connection) as queries:
        page = client_logged_in.get(reverse("posting_detail", args=[posting.pk]))
    assert page.status_code == 200 and page.context["readiness"]
    reads = [q["sql"] for q in queries if '"interviews_requirement"' in q["sql"]]
    assert len(reads) == 1, reads
    profiled = Skill.objects.filter(slug__in=posting.skill_profile())
    assert set(page.context["form"].fields["skills"].choices) == set(profiled.values_list("slug", "name"))


def test_adjusting_the_plan_changes_count_difficulty_and_skills(client_logged_in, posting):
    plan = preview(client_logged_in, posting, 3, difficulty=1).context["plan"]
    assert len(plan.questions) == 3
    assert sum(q.difficulty for q in plan.questions) / 3 <= 2.5
    kept = ["sql"]
    page = client_logged_in.get(reverse("posting_detail", args=[posting.pk]), {"questions": 2, "skills": kept})
    assert all("sql" in {s.slug for s in q.skills.all()} for q in page.context["plan"].questions)


def test_an_htmx_plan_update_returns_only_the_plan_fragment(client_logged_in, posting):
    response = client_logged_in.get(
        reverse("posting_detail", args=[posting.pk]),
        {"questions": 2, "skills": list(posting.skill_profile())},
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert body.lstrip().startswith('<section class="card" id="plan"')
    assert "<html" not in body


def test_unchecking_every_skill_is_refused_with_a_message(client_logged_in, posting):
    page = client_logged_in.get(reverse("posting_detail", args=[posting.pk]), {"questions": 2})
    assert "Pick at least one skill" in page.content.decode()


def test_starting_runs_exactly_the_previewed_plan(client_logged_in, posting):
    plan = start(client_logged_in, posting, 3)
    session = InterviewSession.objects.get()
    assert session.ordered_questions() == plan.questions


def test_starting_without_a_preview_plans_on_the_server(client_logged_in, posting):
    client_logged_in.post(
        reverse("interview_start", args=[posting.pk]), {"questions": 4, "skills": list(posting.skill_profile())}
    )
    assert len(InterviewSession.objects.get().ordered_questions()) == 4


def plan_ids(response) -> list[int]:
    return [q.pk for q in response.context["plan"].questions]


def test_reloading_the_posting_page_shows_the_same_plan(client_logged_in, posting):
    url = reverse("posting_detail", args=[posting.pk])
    assert plan_ids(client_logged_in.get(url)) == plan_ids(client_logged_in.get(url))
    assert plan_ids(preview(client_logged_in, posting, 4)) == plan_ids(preview(client_logged_in, posting, 4))


def test_new_plan_shows_another_plan_that_stays_on_reload_and_saves_nothing(client_logged_in, posting):
    page = client_logged_in.get(reverse("posting_detail", args=[posting.pk]))
    body = page.content.decode()
    # A plain GET form, so it works without JavaScript; htmx swaps only the plan.
    end = body.index('data-testid="new-plan"')
    button = body[body.rindex("<form", 0, end) : end]
    assert 'method="get"' in button
    assert 'name="variant" value="1"' in button and 'hx-target="#plan"' in button
    new = preview(client_logged_in, posting, 5, variant=1)
    assert plan_ids(new) != plan_ids(page)
    assert plan_ids(preview(client_logged_in, posting, 5, variant=1)) == plan_ids(new)
    assert 'name="variant" value="2"' in new.content.decode()
    fragment = client_logged_in.get(
        reverse("posting_detail", args=[posting.pk]),
        {"questions": 5, "skills": list(posting.skill_profile()), "variant": 1},
        headers={"HX-Request": "true"},
    )
    assert plan_ids(fragment) == plan_ids(new)
    assert fragment.content.decode().lstrip().startswith('<section class="card" id="plan"')
    assert "HX-Request" in fragment["Vary"]
    assert not QuestionSet.objects.exists() and not InterviewSession.objects.exists()


def test_starting_a_new_plan_runs_the_plan_shown(client_logged_in, posting):
    shown = preview(client_logged_in, posting, 4, variant=3).context["plan"]
    client_logged_in.post(
        reverse("interview_start", args=[posting.pk]),
        {"questions": 4, "skills": list(posting.skill_profile()), "variant": 3, "planned": ""},
    )
    assert InterviewSession.objects.get().ordered_questions() == shown.questions


def test_the_plan_changes_once_the_candidate_has_practised(client_logged_in, posting):
    before = client_logged_in.get(reverse("posting_detail", args=[posting.pk]))
    start(client_logged_in, posting, 5)
    session = InterviewSession.objects.get()
    question = session.ordered_questions()[0]
    client_logged_in.post(reverse("answer_submit", args=[session.pk]), {"question": question.pk, "text": ANSWER})
    after = client_logged_in.get(reverse("posting_detail", args=[posting.pk]))
    assert plan_ids(after) != plan_ids(before)
    assert question.pk not in plan_ids(after)  # answered a moment ago: other questions come first


def test_the_coverage_map_says_why_each_question_is_in_the_plan(client_logged_in, posting):
    page = client_logged_in.get(reverse("posting_detail", args=[posting.pk]))
    plan, body = page.context["plan"], page.content.decode()
    assert body.count("data-question=") == len(plan.questions) == len(plan.reasons)
    for number, question in enumerate(plan.questions, start=1):
        item = body[body.index(f'data-question="{question.slug}"') :].split("</li>")[0]
        assert f"Q{number}" in item and "covers:" in item and "unseen" in item


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
    assert first_words(first.prompt) in page
    assert first_words(second.prompt) not in page
    assert first_words(first.reference_answer) not in page
    assert "Reference answer" not in page


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
    assert "Reference answer" in page  # revealed once answered
    assert first_words(question.reference_answer) in page


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


def test_a_fallback_grade_says_which_grader_made_it_and_why(client_logged_in, session):
    question = session.ordered_questions()[0]
    client_logged_in.post(reverse("answer_submit", args=[session.pk]), {"question": question.pk, "text": ANSWER})
    Grade.objects.update(
        status=Grade.Status.DONE,
        score=2.0,
        grader="offline",
        needs_review=True,
        fallback_reason="LLM grader unavailable (LLMUnavailable); graded offline",
        criteria=[{"criterion": "c", "points": 1, "max_points": 2, "evidence": "Bias is error", "feedback": "Partly"}],
    )
    body = client_logged_in.get(reverse("grade_status", args=[Grade.objects.get().pk])).content.decode()
    assert "graded by the offline grader" in body
    assert "LLM grader unavailable" in body
    assert "flagged for a human reviewer" in body
    assert "Bias is error" in body


def test_drafts_autosave_and_come_back_after_a_reload(client_logged_in, session):
    question = session.ordered_questions()[0]
    response = client_logged_in.post(
        reverse("draft_save", args=[session.pk]), {"question": question.pk, "text": "half-written thought"}
    )
    assert response.status_code == 200 and "Draft saved" in response.content.decode()
    page = client_logged_in.get(reverse("interview_detail", args=[session.pk])).content.decode()
    assert "half-written thought" in page


def test_a_draft_for_another_users_interview_or_question_is_refused(client_logged_in, session):
    stranger = InterviewSessionFactory()
    question = session.ordered_questions()[0]
    url = reverse("draft_save", args=[stranger.pk])
    assert client_logged_in.post(url, {"question": question.pk, "text": "x"}).status_code == 404
    outside = stranger.question_set.items.first().question
    own = reverse("draft_save", args=[session.pk])
    assert client_logged_in.post(own, {"question": outside.pk, "text": "x"}).status_code == 404
    assert client_logged_in.post(own, {"question": "abc", "text": "x"}).status_code == 404


def test_skipping_moves_a_question_to_the_end_and_keeps_its_draft(client_logged_in, session):
    first, second = session.ordered_questions()
    client_logged_in.post(reverse("question_skip", args=[session.pk]), {"question": first.pk, "text": "later"})
    assert session.next_question() == second
    client_logged_in.post(
        reverse("answer_submit", args=[session.pk]), {"question": second.pk, "text": answer_to(second)}
    )
    assert session.next_question() == first
    page = client_logged_in.get(reverse("interview_detail", args=[session.pk])).content.decode()
    assert "later" in page


def test_flagging_toggles_and_shows_in_the_summary(client_logged_in, session):
    first, second = session.ordered_questions()
    url = reverse("question_flag", args=[session.pk])
    client_logged_in.post(url, {"question": first.pk, "text": ""})
    assert "⚑ flagged" in client_logged_in.get(reverse("interview_detail", args=[session.pk])).content.decode()
    for question in (first, second):
        text = answer_to(question)
        client_logged_in.post(reverse("answer_submit", args=[session.pk]), {"question": question.pk, "text": text})
    page = client_logged_in.get(reverse("interview_detail", args=[session.pk])).content.decode()
    assert "Interview complete" in page and "1 ⚑" in page
    client_logged_in.post(url, {"question": first.pk, "text": ""})
    assert "1 ⚑" not in client_logged_in.get(reverse("interview_detail", args=[session.pk])).content.decode()


def test_the_posting_page_runs_a_fixed_number_of_queries_whatever_the_history(posting, client_logged_in, user):
    """Its plan reads the bank kept in the process (loaded once per bank version) and the
    candidate's history in grouped queries: more sessions, answers and grades add none."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("posting_detail", args=[posting.pk])

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client_logged_in.get(url).status_code == 200
        return len(context.captured_queries)

    with CaptureQueriesContext(connection) as cold:
        client_logged_in.get(url)
    few = queries()
    assert few < len(cold.captured_queries)  # the warm bank is not read again
    for _ in range(3):
        start(client_logged_in, posting, 3)
        session = InterviewSession.objects.filter(candidate=user).latest("pk")
        for question in session.ordered_questions():
            answer = Answer.objects.create(session=session, question=question, text=answer_to(question))
            GradeFactory(answer=answer, status=Grade.Status.DONE, score=3.0, grader="offline").count()
    assert queries() == few
