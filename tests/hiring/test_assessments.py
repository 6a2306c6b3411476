import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from django.utils import timezone

from accounts.invitations import InvitationError
from accounts.models import User
from hiring.models import AssessmentEvent, AssessmentInvite
from hiring.services import assessments
from hiring.services.assessments import AssessmentError
from interviews.grading.service import AnswerRejected, submit_answer
from interviews.models import Draft, Grade, InterviewSession
from interviews.progress.mastery import mastery_by_skill
from tests.factories import PASSWORD, UserFactory
from tests.hiring.conftest import login


def _invite_link(mailoutbox) -> str:
    line = next(line for line in mailoutbox[-1].body.splitlines() if "/assessments/" in line)
    return line[line.index("/assessments/") :].strip()


def _sign_up(client, email: str, link: str = ""):
    form = {"email": email, "password1": PASSWORD, "password2": PASSWORD, "next": link}
    return client.post(reverse("account_signup") + (f"?next={link}" if link else ""), form)


def _confirm(client, message) -> None:
    """Follow the confirmation link allauth emailed, as its recipient would."""
    client.post(re.search(r"/accounts/confirm-email/[-:\w]+/", message.body).group(0))


def test_invitations_are_emailed_with_a_single_use_unguessable_link(
    world, client, mailoutbox, django_capture_on_commit_callbacks
):
    login(client, world.manager1)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("set_invite", args=[world.team_set.pk]), {"emails": "new1@example.com,\nNew2@Example.com"}
        )
    assert response.status_code == 302
    invites = AssessmentInvite.objects.filter(email__in=["new1@example.com", "new2@example.com"])
    assert invites.count() == 2 and len(mailoutbox) == 2
    assert all(len(i.token) >= 43 for i in invites)  # 32 random bytes, url-safe
    assert len({i.token for i in invites}) == 2
    assert _invite_link(mailoutbox) in {f"/assessments/{i.token}/" for i in invites}
    assert "30 minutes" in mailoutbox[0].body


def test_bad_invite_input_gets_a_message_and_nothing_is_sent(world, client, mailoutbox):
    login(client, world.manager1)
    response = client.post(reverse("set_invite", args=[world.team_set.pk]), {"emails": "ok@example.com, not-an-email"})
    assert response.status_code == 400 and b"is not an email address" in response.content
    assert not AssessmentInvite.objects.filter(email="ok@example.com").exists() and not mailoutbox


def test_a_candidate_without_an_account_signs_up_through_the_link_and_starts(
    world, client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assessments.invite_candidates(world.team_set, "fresh@example.com", world.manager1, "http://testserver")
    link = _invite_link(mailoutbox)
    landing = client.get(link)
    assert landing.status_code == 200 and b"Create an account" in landing.content
    signup = _sign_up(client, "fresh@example.com", link)
    # The link proved the address: verified at once, straight back to the assessment, no second email.
    assert signup.status_code == 302 and signup["Location"] == link
    address = EmailAddress.objects.get(email="fresh@example.com")
    assert address.verified and address.primary
    assert len(mailoutbox) == 1
    started = client.post(link)
    session = InterviewSession.objects.get(candidate__email="fresh@example.com")
    assert started["Location"] == reverse("interview_detail", args=[session.pk])
    assert session.mode == "assessment" and session.deadline is not None
    assert abs((session.deadline - session.started_at) - timedelta(minutes=30)) < timedelta(seconds=1)
    # The frozen copy holds the same questions in the same order.
    assert [q.pk for q in session.ordered_questions()] == [
        i.question_id for i in world.team_set.items.order_by("order")
    ]


def test_an_address_registered_without_the_link_cannot_start_until_confirmed(
    world, client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assessments.invite_candidates(world.team_set, "victim@example.com", world.manager1, "http://testserver")
    link = _invite_link(mailoutbox)
    # Someone registers the invited address without the link: not even logged in.
    signup = _sign_up(client, "victim@example.com")
    assert signup["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session
    # Logged in by some other way (say the admin's login page), the link still refuses.
    squatter = User.objects.get(email="victim@example.com")
    client.force_login(squatter)
    page = client.get(link)
    assert b"Confirm victim@example.com first" in page.content and b"Start the assessment" not in page.content
    refused = client.post(link, follow=True)
    assert b"Confirm victim@example.com before you start it" in refused.content
    token = link.strip("/").split("/")[-1]
    with pytest.raises(InvitationError, match="Confirm"):
        assessments.start(token, squatter)
    assert not InterviewSession.objects.filter(candidate=squatter).exists()
    # Whoever reads victim@example.com's mail confirms it; then the assessment starts.
    _confirm(client, mailoutbox[-1])
    started = client.post(link)
    session = InterviewSession.objects.get(candidate=squatter)
    assert started["Location"] == reverse("interview_detail", args=[session.pk])


def test_signing_up_through_the_link_with_another_address_needs_its_own_confirmation(
    world, client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assessments.invite_candidates(world.team_set, "invited@example.com", world.manager1, "http://testserver")
    link = _invite_link(mailoutbox)
    client.get(link)
    signup = _sign_up(client, "other@example.com", link)
    assert signup["Location"] == reverse("account_email_verification_sent")
    other = User.objects.get(email="other@example.com")
    # The invited address is not handed to an account registered under another one.
    assert list(EmailAddress.objects.filter(user=other).values_list("email", "verified")) == [
        ("other@example.com", False)
    ]
    assert mailoutbox[-1].to == ["other@example.com"]
    _confirm(client, mailoutbox[-1])
    refused = client.post(link, follow=True)
    assert b"log in with that address" in refused.content
    assert not InterviewSession.objects.filter(candidate=other).exists()


def test_the_link_is_single_use_bound_to_the_address_and_expires(world, client):
    invite = world.session_a.invite
    # Another user cannot take A's attempt.
    with pytest.raises(InvitationError, match=r"is for a@example\.com"):
        assessments.start(invite.token, world.candidate_b)
    # A reopening the link gets the same attempt, not a new one.
    assert assessments.start(invite.token, world.candidate_a) == world.session_a
    assert InterviewSession.objects.filter(candidate=world.candidate_a).count() == 1
    late = AssessmentInvite.objects.create(
        question_set=world.team_set, email="late@example.com", created_at=timezone.now() - timedelta(days=8)
    )
    assert client.get(reverse("assessment_invite", args=[late.token])).status_code == 404
    assert client.get(reverse("assessment_invite", args=["guess"])).status_code == 404
    with pytest.raises(InvitationError, match="expired"):
        assessments.start(late.token, UserFactory(email="late@example.com"))


def test_a_set_with_proposals_or_no_questions_cannot_be_sent(world):
    world.team_set.items.all().delete()
    with pytest.raises(AssessmentError, match="Add questions"):
        assessments.invite_candidates(world.team_set, "x@example.com", world.manager1, "http://t")


def test_the_candidate_sees_no_reference_answer_and_no_grade(world, client):
    login(client, world.candidate_a)
    page = client.get(reverse("interview_detail", args=[world.session_a.pk]))
    assert page.status_code == 200
    reference = world.answer_a.question.reference_answer
    assert reference[:40].encode() not in page.content and b"Reference answer" not in page.content
    assert b'data-testid="score"' not in page.content
    grade = world.answer_a.grades.get()
    assert grade.status == Grade.Status.DONE
    assert client.get(reverse("grade_status", args=[grade.pk])).status_code == 404
    # Nor does the grade leak through personal progress.
    assert mastery_by_skill(world.candidate_a) == {}
    progress = client.get(reverse("progress")).context
    assert progress["mastery"] == [] and list(progress["recent"]) == [] and progress["graded"] == 0


def test_the_time_limit_is_enforced_on_the_server_and_the_draft_is_kept(world, client):
    session = world.session_a
    second = session.ordered_questions()[1]
    session.save_draft(second, "Half an answer typed before time ran out")
    InterviewSession.objects.filter(pk=session.pk).update(
        started_at=timezone.now() - timedelta(minutes=31), deadline=timezone.now() - timedelta(minutes=1)
    )
    session.refresh_from_db()
    with pytest.raises(AnswerRejected, match="Time is up"):
        submit_answer(session, second, "Too late", 10)
    session.refresh_from_db()
    assert session.finished_at == session.deadline
    login(client, world.candidate_a)
    response = client.post(reverse("answer_submit", args=[session.pk]), {"question": second.pk, "text": "Too late"})
    assert response.status_code == 400 and b"Time is up" in response.content
    assert (
        client.post(reverse("draft_save", args=[session.pk]), {"question": second.pk, "text": "more"}).status_code
        == 409
    )
    assert Draft.objects.get(session=session, question=second).text == "Half an answer typed before time ran out"
    assert session.answers.count() == 1
    # The reviewers see the unsubmitted draft in the transcript.
    login(client, world.reviewer1)
    transcript = client.get(reverse("transcript", args=[session.pk]))
    assert b"Half an answer typed before time ran out" in transcript.content and b"Not submitted" in transcript.content


def test_an_answer_within_the_grace_period_is_accepted(world):
    session = world.session_a
    second = session.ordered_questions()[1]
    InterviewSession.objects.filter(pk=session.pk).update(deadline=timezone.now() - timedelta(seconds=5))
    session.refresh_from_db()
    assert submit_answer(session, second, "Sent as the clock hit zero.", 10).created


def test_paste_and_focus_events_are_recorded_for_the_candidates_own_attempt_only(world, client):
    question = world.session_a.ordered_questions()[1]
    url = reverse("assessment_event", args=[world.session_a.pk])
    login(client, world.candidate_a)
    assert client.post(url, {"kind": "paste", "question": question.pk, "chars": "120"}).status_code == 204
    assert client.post(url, {"kind": "blur", "question": question.pk}).status_code == 204
    assert client.post(url, {"kind": "<script>", "question": question.pk}).status_code == 400
    events = list(AssessmentEvent.objects.filter(session=world.session_a).values_list("kind", "chars", "question"))
    assert events == [("paste", 120, question.pk), ("blur", None, question.pk)]
    login(client, world.candidate_b)
    assert client.post(url, {"kind": "paste", "chars": "1"}).status_code == 404
    # Practice sessions record nothing.
    assert assessments.record_event(world.practice_b, "paste", None, 5) is False


def test_one_attempt_per_candidate_and_a_new_link_replaces_the_unused_one(world, client):
    with pytest.raises(AssessmentError, match="Already attempted"):
        assessments.invite_candidates(world.team_set, "a@example.com", world.manager1, "http://t")
    first = assessments.invite_candidates(world.team_set, "new@example.com", world.manager1, "http://t")[0]
    second = assessments.invite_candidates(world.team_set, "new@example.com", world.manager1, "http://t")[0]
    first.refresh_from_db()
    assert first.is_expired and not second.is_expired
    assert client.get(reverse("assessment_invite", args=[first.token])).status_code == 404


def test_a_manager_revokes_an_unused_link_but_never_a_started_attempt(world, client):
    invite = assessments.invite_candidates(world.team_set, "new@example.com", world.manager1, "http://t")[0]
    login(client, world.manager1)
    client.post(reverse("invite_revoke", args=[world.team_set.pk, invite.pk]))
    invite.refresh_from_db()
    assert invite.status == "expired"
    assert client.get(reverse("assessment_invite", args=[invite.token])).status_code == 404
    started = world.session_a.invite
    response = client.post(reverse("invite_revoke", args=[world.team_set.pk, started.pk]), follow=True)
    assert b"already used or expired" in response.content
    assert assessments.start(started.token, world.candidate_a) == world.session_a


def test_the_dashboard_lists_assessments_waiting_for_the_user_only(world, client):
    invite = assessments.invite_candidates(world.team_set, "B@example.com", world.manager1, "http://t")[0]
    login(client, world.candidate_b)
    page = client.get(reverse("home"))
    assert reverse("assessment_invite", args=[invite.token]).encode() in page.content
    login(client, world.candidate_a)  # A's own attempt is started: nothing waits for A
    page = client.get(reverse("home"))
    assert b"Assessments waiting for you" not in page.content and invite.token.encode() not in page.content


def test_an_invitation_waits_on_the_dashboard_whatever_the_case_of_its_address(world, client):
    invite = assessments.invite_candidates(world.team_set, "b@example.com", world.manager1, "http://t")[0]
    AssessmentInvite.objects.filter(pk=invite.pk).update(email=world.candidate_b.email.upper())  # as typed by a manager
    login(client, world.candidate_b)
    assert reverse("assessment_invite", args=[invite.token]).encode() in client.get(reverse("home")).content
