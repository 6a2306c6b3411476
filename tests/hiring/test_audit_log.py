"""The organisation's audit log: every audited change writes exactly one event in its own
transaction, the page is the owners' alone, and it pages by keyset without losing a row."""

import json
from datetime import timedelta

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts import audit
from accounts import services as accounts_services
from accounts.models import AuditEvent, Invitation, Membership
from hiring.models import AssessmentInvite
from hiring.services import assessments, builder, overrides, results
from hiring.services.builder import QuestionEdit
from interviews.models import Posting, Question, Requirement
from tests.factories import MembershipFactory, QuestionFactory, UserFactory
from tests.hiring.conftest import login

Action = AuditEvent.Action


def _proposal(world) -> Question:
    posting = Posting.objects.create(owner=world.manager1, title="Team posting", raw_text="x")
    world.team_set.posting = posting
    world.team_set.save()
    requirement = Requirement.objects.create(posting=posting, text="Triton kernels", order=0)
    return QuestionFactory(
        status=Question.Status.PROPOSED, origin=Question.Origin.GENERATED, source_requirement=requirement
    )


def _teammate_invitation(world) -> Invitation:
    return Invitation.objects.create(organization=world.org1, email="new@example.com", role="reviewer")


def _first_item(world):
    return world.team_set.items.select_related("question", "question_set__organization").order_by("order").first()


def _override(world):
    result = results.result_of(world.answer_a)
    points = [0] * len(overrides.criteria_for_override(result))
    overrides.save_override(result, world.reviewer1, points, "Misses the noise term.")


def _regrade(world):
    # A rubric change to the question answered makes its grade outdated.
    world.answer_a.question.criteria.update(text="A criterion reworded")
    assert results.regrade_outdated(world.team_set, world.manager1) == 1


def _accept_teammate(world):
    invitation = _teammate_invitation(world)
    user = UserFactory(email="new@example.com")
    user.mark_email_verified()
    accounts_services.accept(invitation.token, user)
    return user


def _start_attempt(world):
    invite = AssessmentInvite.objects.create(question_set=world.team_set, email="c@example.com")
    candidate = UserFactory(email="c@example.com")
    candidate.mark_email_verified()
    assessments.start(invite.token, candidate)
    assessments.start(invite.token, candidate)  # reopening the attempt is not a second acceptance
    return candidate


def _pending(world) -> AssessmentInvite:
    return AssessmentInvite.objects.create(question_set=world.team_set, email="p@example.com", invited_by=None)


# name -> (the change, made by whom (a World attribute, or what the change returns), its action)
ACTIONS = {
    "set created": (lambda w: builder.create_set(w.org1, w.manager1, "New set"), "manager1", Action.SET_CREATED),
    "set renamed": (
        lambda w: builder.update_settings(w.team_set, w.manager1, "Renamed", 45),
        "manager1",
        Action.SET_UPDATED,
    ),
    "question added": (
        lambda w: builder.add_question(w.team_set, QuestionFactory(), w.manager1),
        "manager1",
        Action.SET_QUESTION_ADDED,
    ),
    "question removed": (
        lambda w: builder.remove_item(_first_item(w), w.manager1),
        "manager1",
        Action.SET_QUESTION_REMOVED,
    ),
    # A bank question: the edit forks the team's copy, still one event.
    "question edited": (
        lambda w: builder.edit_question(_first_item(w), QuestionEdit("New prompt", "ref", 2, [("One", 5)]), w.manager1),
        "manager1",
        Action.QUESTION_EDITED,
    ),
    "question made private": (
        lambda w: builder.make_private(_first_item(w), w.manager1),
        "manager1",
        Action.QUESTION_MADE_PRIVATE,
    ),
    "proposal approved": (
        lambda w: builder.approve_proposal(w.team_set, _proposal(w), w.manager1),
        "manager1",
        Action.QUESTION_APPROVED,
    ),
    "proposal discarded": (
        lambda w: builder.discard_proposal(w.team_set, _proposal(w), w.manager1),
        "manager1",
        Action.QUESTION_DISCARDED,
    ),
    "grade overridden": (_override, "reviewer1", Action.GRADE_OVERRIDDEN),
    "outdated grades regraded": (_regrade, "manager1", Action.GRADE_REGRADED),
    "teammate invited": (
        lambda w: accounts_services.invite(w.org1, "new@example.com", "reviewer", w.manager1, "http://t"),
        "manager1",
        Action.INVITATION_SENT,
    ),
    "teammate invitation resent": (
        lambda w: accounts_services.resend(_teammate_invitation(w), "http://t", w.manager1),
        "manager1",
        Action.INVITATION_RESENT,
    ),
    "teammate joined": (_accept_teammate, "returned", Action.MEMBERSHIP_ADDED),
    "candidate invited": (
        lambda w: assessments.invite_candidates(w.team_set, "c@example.com", w.manager1, "http://t"),
        "manager1",
        Action.INVITATION_SENT,
    ),
    "candidate invitation resent": (
        lambda w: assessments.resend(_pending(w), "http://t", w.manager1),
        "manager1",
        Action.INVITATION_RESENT,
    ),
    "candidate invitation revoked": (
        lambda w: assessments.revoke(_pending(w), w.manager1),
        "manager1",
        Action.INVITATION_REVOKED,
    ),
    "candidate started": (_start_attempt, "returned", Action.INVITATION_ACCEPTED),
}


@pytest.mark.parametrize("name", ACTIONS)
def test_each_audited_change_writes_exactly_one_event_naming_who_and_where(world, name):
    change, who, action = ACTIONS[name]
    before = set(AuditEvent.objects.values_list("pk", flat=True))
    returned = change(world)
    new = list(AuditEvent.objects.exclude(pk__in=before))
    assert [event.action for event in new] == [action]
    event = new[0]
    actor = returned if who == "returned" else getattr(world, who)
    assert event.actor == actor and event.actor_email == actor.email
    assert event.organization == world.org1
    assert event.target_id is not None and event.target_label


def test_an_edit_records_the_before_and_after_of_the_fields_it_changed(world):
    builder.update_settings(world.team_set, world.manager1, "Renamed", 30)  # the limit stays 30
    event = AuditEvent.objects.get(action=Action.SET_UPDATED)
    assert event.changes == {"before": {"title": "Org 1 ML engineer"}, "after": {"title": "Renamed"}}
    assert event.change_lines() == ["title: Org 1 ML engineer → Renamed"]
    builder.update_settings(world.team_set, world.manager1, "Renamed", 30)
    assert AuditEvent.objects.filter(action=Action.SET_UPDATED).count() == 1  # nothing changed, nothing logged

    item = _first_item(world)
    old_prompt = item.question.prompt
    builder.edit_question(
        item, QuestionEdit("New prompt", item.question.reference_answer, 2, [("One", 5)]), world.manager1
    )
    edited = AuditEvent.objects.get(action=Action.QUESTION_EDITED)
    assert edited.changes["before"]["prompt"] == old_prompt and edited.changes["after"]["prompt"] == "New prompt"
    assert edited.changes["after"]["criteria"] == ["One (5)"]
    assert "reference_answer" not in edited.changes["after"]  # unchanged fields are left out
    assert edited.changes["before"]["question"] != edited.changes["after"]["question"]  # the private copy


class Boom(Exception):
    pass


@pytest.mark.parametrize(
    "name", ["set renamed", "grade overridden", "teammate invited", "candidate invitation revoked", "teammate joined"]
)
def test_a_change_that_rolls_back_leaves_no_event(world, name):
    change = ACTIONS[name][0]
    before = AuditEvent.objects.count()
    with pytest.raises(Boom), transaction.atomic():
        change(world)
        raise Boom  # anything that fails after the service, in the same transaction
    assert AuditEvent.objects.count() == before
    world.team_set.refresh_from_db()
    assert world.team_set.title == "Org 1 ML engineer"
    assert not Membership.objects.filter(user__email="new@example.com").exists()


def test_staff_membership_changes_in_the_admin_are_audited(world, client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    login(client, admin)
    reviewer = Membership.objects.get(user=world.reviewer1, organization=world.org1)
    manager = Membership.objects.get(user=world.manager1, organization=world.org1)
    newcomer = UserFactory()
    rows = [(reviewer, "manager", False), (manager, manager.role, True)]
    data = {"name": world.org1.name, "slug": world.org1.slug}
    for i, (membership, role, delete) in enumerate(rows):
        data |= {
            f"memberships-{i}-id": membership.pk,
            f"memberships-{i}-organization": world.org1.pk,
            f"memberships-{i}-user": membership.user_id,
            f"memberships-{i}-role": role,
        }
        if delete:
            data[f"memberships-{i}-DELETE"] = "on"
    data |= {
        "memberships-2-organization": world.org1.pk,
        "memberships-2-user": newcomer.pk,
        "memberships-2-role": "reviewer",
    }
    data |= {"memberships-TOTAL_FORMS": 3, "memberships-INITIAL_FORMS": 2, "memberships-MIN_NUM_FORMS": 0}
    data["memberships-MAX_NUM_FORMS"] = 1000
    before = set(AuditEvent.objects.values_list("pk", flat=True))
    response = client.post(reverse("admin:accounts_organization_change", args=[world.org1.pk]), data)
    assert response.status_code == 302, response.content[:2000]
    new = {e.action: e for e in AuditEvent.objects.exclude(pk__in=before)}
    assert set(new) == {Action.MEMBERSHIP_ROLE_CHANGED, Action.MEMBERSHIP_REMOVED, Action.MEMBERSHIP_ADDED}
    assert all(e.actor == admin and e.organization == world.org1 for e in new.values())
    assert new[Action.MEMBERSHIP_ROLE_CHANGED].changes == {"before": {"role": "reviewer"}, "after": {"role": "manager"}}
    assert new[Action.MEMBERSHIP_REMOVED].target_label == world.manager1.email
    assert new[Action.MEMBERSHIP_ADDED].changes["after"] == {"user": newcomer.email, "role": "reviewer"}


def test_no_invitation_token_ever_reaches_the_log(world):
    invitation = accounts_services.invite(world.org1, "new@example.com", "reviewer", world.manager1, "http://t")
    accounts_services.resend(invitation, "http://t", world.manager1)
    _accept_teammate_with(invitation)
    invite = assessments.invite_candidates(world.team_set, "c@example.com", world.manager1, "http://t")[0]
    assessments.resend(invite, "http://t", world.manager1)
    tokens = [invitation.token, invite.token, *AssessmentInvite.objects.values_list("token", flat=True)]
    logged = json.dumps([[e.target_label, e.changes] for e in AuditEvent.objects.all()])
    assert AuditEvent.objects.filter(action__startswith="invitation.").count() >= 4
    assert not any(token in logged for token in tokens)
    with pytest.raises(ValueError, match="Secrets"):
        audit.record(world.org1, world.manager1, Action.INVITATION_SENT, invitation, after={"token": invitation.token})


def _accept_teammate_with(invitation: Invitation) -> None:
    user = UserFactory(email=invitation.email)
    user.mark_email_verified()
    accounts_services.accept(invitation.token, user)


@pytest.fixture
def owner(world):
    return MembershipFactory(organization=world.org1, role=Membership.Role.OWNER).user


def test_owners_read_the_log_newest_first_and_every_other_role_or_team_gets_404(world, client, owner):
    builder.update_settings(world.team_set, world.manager1, "Renamed", 45)
    url = reverse("organization_audit", args=[world.org1.slug])
    page = login(client, owner).get(url)
    assert page.status_code == 200
    events = page.context["page"].events
    assert events[0].action == Action.SET_UPDATED
    assert [e.created_at for e in events] == sorted((e.created_at for e in events), reverse=True)
    assert b"title: Org 1 ML engineer \xe2\x86\x92 Renamed" in page.content
    assert (
        reverse("organization_audit", args=[world.org1.slug]).encode()
        in client.get(reverse("organization_detail", args=[world.org1.slug])).content
    )
    other_owner = MembershipFactory(organization=world.org2, role=Membership.Role.OWNER).user
    for user in [world.manager1, world.reviewer1, world.candidate_a, other_owner]:
        client.logout()
        assert login(client, user).get(url).status_code == 404, user
        detail = client.get(reverse("organization_detail", args=[world.org1.slug]))
        assert url.encode() not in detail.content
    client.logout()
    assert client.get(url).status_code == 302  # to the login page


def _many_events(world, n: int) -> list[int]:
    """`n` events, in pairs made in the same microsecond: the id breaks the tie."""
    start = timezone.now() - timedelta(days=1)
    events = [
        AuditEvent(
            organization=world.org1,
            action=Action.INVITATION_SENT if i % 3 else Action.GRADE_OVERRIDDEN,
            target_type="question set",
            target_id=i,
            target_label=f"event {i}",
            created_at=start + timedelta(seconds=i // 2),
        )
        for i in range(n)
    ]
    AuditEvent.objects.bulk_create(events)
    return list(
        AuditEvent.objects.filter(organization=world.org1).order_by("-created_at", "-pk").values_list("pk", flat=True)
    )


def _walk(client, url: str, **params: str) -> tuple[list[int], int]:
    """Follow the "Older" cursor from the newest page to the last; the ids seen, and how many pages."""
    seen, pages, after = [], 0, ""
    while True:
        response = client.get(url, {**params, "after": after})
        assert response.status_code == 200
        page = response.context["page"]
        assert len(page.events) <= audit.PAGE_SIZE
        seen += [e.pk for e in page.events]
        pages += 1
        after = page.next_cursor
        if not after:
            return seen, pages


def test_the_log_pages_by_keyset_through_every_event_once(world, client, owner):
    expected = _many_events(world, 2 * audit.PAGE_SIZE + 7)
    login(client, owner)
    seen, pages = _walk(client, reverse("organization_audit", args=[world.org1.slug]))
    assert seen == expected and pages == 3


def test_the_filter_keeps_to_one_action_across_pages(world, client, owner):
    _many_events(world, 3 * audit.PAGE_SIZE + 9)  # a third of them overrides: more than a page
    expected = list(
        AuditEvent.objects.filter(organization=world.org1, action=Action.GRADE_OVERRIDDEN)
        .order_by("-created_at", "-pk")
        .values_list("pk", flat=True)
    )
    login(client, owner)
    first = client.get(reverse("organization_audit", args=[world.org1.slug]), {"action": Action.GRADE_OVERRIDDEN})
    assert b'value="grade.overridden" selected' in first.content
    seen, _ = _walk(client, reverse("organization_audit", args=[world.org1.slug]), action=Action.GRADE_OVERRIDDEN)
    assert seen == expected and len(expected) > audit.PAGE_SIZE
    # The "Older" link itself carries the filter on.
    assert b"?action=grade.overridden&amp;after=" in first.content


def test_a_malformed_cursor_or_action_shows_the_newest_events(world, client, owner):
    login(client, owner)
    url = reverse("organization_audit", args=[world.org1.slug])
    for query in ["?after=x-1", "?after=99999999999999999999999-1", "?action=nope", "?after=-"]:
        response = client.get(url + query)
        assert response.status_code == 200 and response.context["page"].events
