"""Regressions for the holes a hostile probe found (issue 10). Each test replays the attack
and checks that it no longer gets through."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from hiring.models import AssessmentInvite
from hiring.services import assessments
from interviews.grading.service import AnswerRejected, submit_answer
from interviews.models import Draft, InterviewSession, Question, QuestionSet, QuestionSetItem
from interviews.planning.plan import start_practice
from tests.factories import PostingFactory, QuestionFactory, UserFactory
from tests.hiring.conftest import login

REFERENCE = b"Expected test error splits into bias squared"


def _live_question(world) -> Question:
    """The question candidate A's live assessment is showing now (its id is in the page)."""
    session = world.session_a
    return session.next_question()


def _practice_questions(candidate) -> set[int]:
    return set(
        QuestionSetItem.objects.filter(
            question_set__sessions__candidate=candidate, question_set__sessions__mode=InterviewSession.Mode.PRACTICE
        ).values_list("question_id", flat=True)
    )


# 1. Reference answers during a live assessment ------------------------------------------


def test_a_live_assessment_question_cannot_be_pulled_into_practice_by_id(world, client):
    live = _live_question(world)
    posting = PostingFactory(owner=world.candidate_a)
    login(client, world.candidate_a)
    response = client.post(reverse("interview_start", args=[posting.pk]), {"questions": 1, "planned": [live.pk]})
    assert response.status_code == 302
    assert live.pk not in _practice_questions(world.candidate_a)
    page = client.get(response["Location"])
    assert str(live.pk).encode() not in page.content or b'name="question" value="%d"' % live.pk not in page.content


def test_practice_and_plans_never_draw_a_question_held_back_by_an_assessment(world, client):
    held = set(
        QuestionSetItem.objects.filter(question_set=world.session_a.question_set).values_list("question_id", flat=True)
    )
    skill = Question.objects.get(pk=next(iter(held))).primary_skill
    login(client, world.candidate_a)
    for _ in range(3):
        client.post(reverse("practice_start"), {"skill": skill.pk, "questions": 5})
    assert not held & _practice_questions(world.candidate_a)
    # The practisable pool for candidate A lacks them; for candidate B (not invited) it has them.
    assert not held & set(Question.objects.practisable_by(world.candidate_a).values_list("pk", flat=True))
    assert held <= set(Question.objects.practisable_by(world.candidate_b).values_list("pk", flat=True))


def test_an_older_practice_session_holds_the_question_back_until_the_assessment_ends(world, client):
    live = _live_question(world)
    # A practice session made before the invitation, holding the same public question.
    practice = InterviewSession.objects.create(
        candidate=world.candidate_a, question_set=QuestionSet.objects.create(title="Old", owner=world.candidate_a)
    )
    QuestionSetItem.objects.create(question_set=practice.question_set, question=live, order=0)
    with pytest.raises(AnswerRejected, match="part of an assessment"):
        submit_answer(practice, live, "Anything at all, to read the key", 5)
    login(client, world.candidate_a)
    page = client.get(reverse("interview_detail", args=[practice.pk]))
    assert b"held-back-note" in page.content and REFERENCE not in page.content
    response = client.post(reverse("answer_submit", args=[practice.pk]), {"question": live.pk, "text": "x y z w"})
    assert practice.answers.count() == 0 and REFERENCE not in response.content
    # Once the assessment ends, the question is the candidate's to practise again.
    InterviewSession.objects.filter(pk=world.session_a.pk).update(finished_at=timezone.now())
    assert live.pk in set(Question.objects.practisable_by(world.candidate_a).values_list("pk", flat=True))
    submit_answer(practice, live, "Bias squared plus variance plus noise.", 5)
    assert practice.answers.count() == 1


def test_an_unused_invitation_holds_its_questions_back_too(world):
    invitee = UserFactory(email="Invitee@Example.com")
    assessments.invite_candidates(world.team_set, "invitee@example.com", world.manager1, "http://testserver")
    held = set(world.team_set.items.values_list("question_id", flat=True))
    assert held <= set(Question.objects.held_back_from(invitee).values_list("pk", flat=True))
    session = start_practice(invitee, "Practice", list(Question.objects.filter(pk__in=held)))
    assert session.question_set.items.count() == 0
    # An expired link holds nothing back.
    AssessmentInvite.objects.filter(email="invitee@example.com").update(expires_at=timezone.now() - timedelta(days=1))
    assert not Question.objects.held_back_from(invitee).exists()


def test_a_time_up_assessment_no_longer_holds_its_questions(world):
    InterviewSession.objects.filter(pk=world.session_a.pk).update(deadline=timezone.now() - timedelta(hours=1))
    assert not Question.objects.held_back_from(world.candidate_a).exists()


def test_a_manager_invited_elsewhere_cannot_find_the_live_questions_in_the_bank(world, client):
    # Manager 2 takes org 1's assessment as a candidate, and searches the bank from org 2's set.
    invite = assessments.invite_candidates(world.team_set, world.manager2.email, world.manager1, "http://t")[0]
    assessments.start(invite.token, world.manager2)
    held = world.team_set.items.first().question
    twin = QuestionFactory(prompt=held.prompt)  # same words, in no assessment
    login(client, world.manager2)
    found = client.get(reverse("bank_search", args=[world.other_set.pk]), {"text": held.prompt[:20]}).content
    assert b'value="%d"' % held.pk not in found and b'value="%d"' % twin.pk in found
    added = client.post(reverse("item_add", args=[world.other_set.pk]), {"question": held.pk})
    assert added.status_code == 404 and not world.other_set.items.filter(question=held).exists()


def test_the_set_page_says_which_questions_are_public_and_makes_a_private_copy(world, client):
    login(client, world.manager1)
    page = client.get(reverse("set_detail", args=[world.team_set.pk]))
    assert page.content.count(b'data-testid="public-note"') == world.team_set.items.count()
    item = world.team_set.items.order_by("order").first()
    public = item.question
    response = client.post(reverse("item_make_private", args=[world.team_set.pk, item.pk]))
    assert response.status_code == 302 and response["Location"] == reverse(
        "question_edit", args=[world.team_set.pk, item.pk]
    )
    item.refresh_from_db()
    assert item.question.organization == world.org1 and item.question.forked_from_id == public.pk
    assert item.question.prompt == public.prompt and item.question.rubric() == public.rubric()
    assert item.question not in Question.objects.usable()  # never planned for anyone else
    page = client.get(reverse("set_detail", args=[world.team_set.pk]))
    assert page.content.count(b'data-testid="public-note"') == world.team_set.items.count() - 1


# 2. Writing after the deadline -------------------------------------------------------------


@pytest.mark.parametrize("url_name", ["question_skip", "question_flag", "draft_save"])
def test_nothing_written_after_the_deadline_reaches_the_transcript(world, client, url_name):
    session = world.session_a
    second = session.ordered_questions()[1]
    session.save_draft(second, "What I had typed in time")
    InterviewSession.objects.filter(pk=session.pk).update(deadline=timezone.now() - timedelta(minutes=5))
    login(client, world.candidate_a)
    response = client.post(reverse(url_name, args=[session.pk]), {"question": second.pk, "text": "Rewritten later"})
    assert response.status_code == 409
    draft = Draft.objects.get(session=session, question=second)
    assert draft.text == "What I had typed in time" and not draft.skipped and not draft.flagged
    login(client, world.reviewer1)
    transcript = client.get(reverse("transcript", args=[session.pk]))
    assert b"What I had typed in time" in transcript.content and b"Rewritten later" not in transcript.content


def test_browser_events_after_the_deadline_are_not_recorded(world, client):
    session = world.session_a
    InterviewSession.objects.filter(pk=session.pk).update(deadline=timezone.now() - timedelta(minutes=5))
    login(client, world.candidate_a)
    client.post(reverse("assessment_event", args=[session.pk]), {"kind": "paste", "chars": "40"})
    assert session.events.count() == 0


# 4. Candidate links on reviewers' pages ---------------------------------------------------

LURE = "[Reviewer: see the verified portfolio](https://evil.example/login) <https://evil.example/b>"


def test_links_in_candidate_text_are_never_live_on_staff_pages(world, client):
    session = world.session_a
    second = session.ordered_questions()[1]
    session.save_draft(second, "Draft: " + LURE)
    answer = world.answer_a
    answer.text = "Answer: " + LURE
    answer.save(update_fields=["text"])
    answer.grades.update(status="queued")  # the ungraded section renders Markdown
    login(client, world.reviewer1)
    for url in [reverse("answer_override", args=[answer.pk]), reverse("transcript", args=[session.pk])]:
        body = client.get(url).content
        assert b'href="https://evil.example' not in body, url
        assert b"https://evil.example/login" in body, url  # the URL is shown, as text


# 6. NUL bytes -------------------------------------------------------------------------------


def test_nul_bytes_in_drafts_and_marks_are_stripped_not_a_server_error(world, client):
    session = world.session_a
    second = session.ordered_questions()[1]
    login(client, world.candidate_a)
    response = client.post(reverse("draft_save", args=[session.pk]), {"question": second.pk, "text": "ab\x00cd"})
    assert response.status_code == 200
    assert Draft.objects.get(session=session, question=second).text == "abcd"
    response = client.post(reverse("question_flag", args=[session.pk]), {"question": second.pk, "text": "e\x00f"})
    assert response.status_code == 302 and Draft.objects.get(session=session, question=second).text == "ef"


@pytest.mark.parametrize("prefix", ["/assessments/", "/invitations/", "/orgs/"])
def test_nul_bytes_in_token_urls_are_a_plain_404(world, client, prefix):
    login(client, world.candidate_a)
    assert client.get(prefix + "abc%00def/").status_code == 404


def test_nul_bytes_in_query_values_are_dropped(world, client):
    login(client, world.manager1)
    response = client.get(reverse("bank_search", args=[world.team_set.pk]), {"text": "drop\x00out"})
    assert response.status_code == 200
