"""Every URL of the app x every persona: allowed or denied exactly as designed, and a
denied response leaks nothing. A new URL without a row here fails the completeness test."""

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from interviews.models import Question
from tests.hiring.conftest import Fixtures, login

ANON, A, B, STAFF = "anonymous", "candidate A", "candidate B", "staff"
O1, M1, M2, R1 = "owner org1", "manager org1", "manager org2", "reviewer org1"
PERSONAS = [ANON, A, B, O1, M1, M2, R1, STAFF]
EVERYONE = set(PERSONAS)
SIGNED_IN = EVERYONE - {ANON}
TEAM1 = {O1, M1, R1, STAFF}
MANAGERS1 = {O1, M1, STAFF}
OWNERS1 = {O1, STAFF}


@dataclass
class Case:
    name: str
    method: str
    args: Callable[["Fixtures"], list]
    allowed: set[str]
    data: dict = field(default_factory=dict)
    note: str = ""


w = lambda f: f.world  # noqa: E731

CASES = [
    # Candidate pages: only the owner of the posting or session.
    Case("home", "GET", lambda f: [], EVERYONE),
    Case("health", "GET", lambda f: [], EVERYONE, note="the liveness check"),
    Case("dashboard", "GET", lambda f: [], SIGNED_IN),
    Case("team_home", "GET", lambda f: [], SIGNED_IN, note="a non-member sees an empty page"),
    Case("posting_new", "GET", lambda f: [], SIGNED_IN),
    Case("posting_detail", "GET", lambda f: [f.posting_a.pk], {A}),
    Case("posting_analysis_status", "GET", lambda f: [f.posting_a.pk], {A}),
    # Runs visible cases of a coding question only: session_a's questions are prose, so 404.
    Case("code_run", "POST", lambda f: [w(f).session_a.pk], set(), {"text": "x"}, "text questions have nothing to run"),
    Case("interview_start", "POST", lambda f: [f.posting_a.pk], {A}, {"questions": 2}),
    Case("interview_detail", "GET", lambda f: [w(f).session_a.pk], {A}),
    Case("answer_submit", "POST", lambda f: [w(f).session_a.pk], {A}, {"text": ""}),
    Case("draft_save", "POST", lambda f: [w(f).session_a.pk], {A}, {"text": "x"}, "needs a question of the session"),
    Case("question_skip", "POST", lambda f: [w(f).session_a.pk], {A}),
    Case("question_flag", "POST", lambda f: [w(f).session_a.pk], {A}),
    Case("revisit_later", "POST", lambda f: [w(f).practice_b.pk], {B}),
    # An assessment grade is the team's: not even its candidate may poll it.
    Case("grade_status", "GET", lambda f: [w(f).answer_a.grades.get().pk], set()),
    Case("progress", "GET", lambda f: [], SIGNED_IN),
    Case("practice_start", "POST", lambda f: [], SIGNED_IN, {"questions": 1}),
    Case("assessment_event", "POST", lambda f: [w(f).session_a.pk], {A}, {"kind": "blur"}),
    # Links that carry their own secret: anyone holding one may open the page.
    Case("assessment_invite", "GET", lambda f: [w(f).session_a.invite.token], EVERYONE),
    Case("accept_invitation", "GET", lambda f: [f.team_invitation.token], EVERYONE),
    # Organisation pages.
    Case("organization_detail", "GET", lambda f: [w(f).org1.slug], TEAM1),
    Case("organization_audit", "GET", lambda f: [w(f).org1.slug], OWNERS1),
    Case(
        "organization_invite",
        "POST",
        lambda f: [w(f).org1.slug],
        MANAGERS1,
        {"email": "n@example.com", "role": "reviewer"},
    ),
    Case("set_list", "GET", lambda f: [w(f).org1.slug], TEAM1),
    Case("set_list", "POST", lambda f: [w(f).org1.slug], MANAGERS1, {"title": "New", "questions": 3}),
    Case("review_queue", "GET", lambda f: [w(f).org1.slug], TEAM1),
    # A team's set: members read, managers change.
    Case("set_detail", "GET", lambda f: [w(f).team_set.pk], TEAM1),
    Case("set_results", "GET", lambda f: [w(f).team_set.pk], TEAM1),
    Case("set_results_csv", "GET", lambda f: [w(f).team_set.pk], TEAM1),
    Case("set_agreement", "GET", lambda f: [w(f).team_set.pk], TEAM1),
    Case("transcript", "GET", lambda f: [w(f).session_a.pk], TEAM1),
    Case("answer_override", "GET", lambda f: [w(f).answer_a.pk], TEAM1),
    Case("answer_override", "POST", lambda f: [w(f).answer_a.pk], TEAM1, {"comment": ""}),
    Case("set_settings", "POST", lambda f: [w(f).team_set.pk], MANAGERS1, {"title": "Renamed"}),
    Case("bank_search", "GET", lambda f: [w(f).team_set.pk], MANAGERS1),
    Case("item_add", "POST", lambda f: [w(f).team_set.pk], MANAGERS1),
    Case("item_up", "POST", lambda f: [w(f).team_set.pk, f.keep_item.pk], MANAGERS1),
    Case("item_down", "POST", lambda f: [w(f).team_set.pk, f.keep_item.pk], MANAGERS1),
    Case("question_edit", "GET", lambda f: [w(f).team_set.pk, f.keep_item.pk], MANAGERS1),
    Case("question_edit", "POST", lambda f: [w(f).team_set.pk, f.keep_item.pk], MANAGERS1, {"prompt": ""}),
    Case("item_make_private", "POST", lambda f: [w(f).team_set.pk, f.keep_item.pk], MANAGERS1),
    Case("proposal_approve", "POST", lambda f: [w(f).team_set.pk, f.proposal_to_approve.pk], MANAGERS1),
    Case("proposal_discard", "POST", lambda f: [w(f).team_set.pk, f.proposal_to_discard.pk], MANAGERS1),
    Case("set_generate", "POST", lambda f: [w(f).team_set.pk], MANAGERS1),
    Case("set_invite", "POST", lambda f: [w(f).team_set.pk], MANAGERS1, {"emails": "c@example.com"}),
    Case("invite_revoke", "POST", lambda f: [w(f).team_set.pk, f.pending_invite.pk], MANAGERS1),
    Case("invite_resend", "POST", lambda f: [w(f).team_set.pk, f.pending_invite.pk], MANAGERS1),
    Case("organization_invitation_resend", "POST", lambda f: [w(f).org1.slug, f.team_invitation.pk], MANAGERS1),
    Case("set_regrade_outdated", "POST", lambda f: [w(f).team_set.pk], MANAGERS1),
    Case("item_remove", "POST", lambda f: [w(f).team_set.pk, f.drop_item.pk], MANAGERS1),
    # The mirror image: org 2's set is org 2's alone.
    Case("set_detail", "GET", lambda f: [w(f).other_set.pk], {M2, STAFF}, note="org 2"),
    Case("set_results", "GET", lambda f: [w(f).other_set.pk], {M2, STAFF}, note="org 2"),
    Case("set_agreement", "GET", lambda f: [w(f).other_set.pk], {M2, STAFF}, note="org 2"),
]

# Third-party URL sets: allauth's own pages and Django's admin (staff only, tested by Django).
LIBRARY_PREFIXES = ("accounts/", "admin/")


def _named_patterns(patterns, prefix=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if route.startswith(LIBRARY_PREFIXES):
            continue
        if isinstance(pattern, URLResolver):
            yield from _named_patterns(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield pattern.name


def test_every_url_of_the_app_is_in_the_matrix():
    assert set(_named_patterns(get_resolver().url_patterns)) == {case.name for case in CASES}


def _persona_user(fixtures: Fixtures, persona: str):
    world = fixtures.world
    return {
        ANON: None, A: world.candidate_a, B: world.candidate_b, O1: fixtures.owner1, M1: world.manager1,
        M2: world.manager2, R1: world.reviewer1, STAFF: world.staff,
    }[persona]  # fmt: skip


def _denied(response) -> bool:
    if response.status_code == 302 and response["Location"].startswith(reverse("account_login")):
        return True
    return response.status_code in {403, 404}


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_reaches_exactly_what_it_is_entitled_to(client, fixtures, persona):
    world = fixtures.world
    login(client, _persona_user(fixtures, persona))
    secrets = [world.answer_a.text.encode(), world.team_set.title.encode(), world.candidate_a.email.encode()]
    outcomes = {}
    for case in CASES:
        url = reverse(case.name, args=case.args(fixtures))
        data = dict(case.data)
        if case.name in {"draft_save", "question_skip", "question_flag", "assessment_event", "revisit_later"}:
            session = world.practice_b if case.name == "revisit_later" else world.session_a
            data["question"] = session.ordered_questions()[-1].pk
        if case.name == "item_add":
            data["question"] = fixtures.bank_question.pk
        response = client.get(url) if case.method == "GET" else client.post(url, data)
        denied = _denied(response)
        outcomes[(case.name, case.method, case.note)] = "denied" if denied else "allowed"
        if denied:
            body = response.content
            assert not any(secret in body for secret in secrets), f"{case.name} leaks to {persona}"
    expected = {
        (case.name, case.method, case.note): "allowed" if persona in case.allowed else "denied" for case in CASES
    }
    wrong = {key: got for key, got in outcomes.items() if got != expected[key]}
    assert not wrong, f"{persona}: {wrong}"


def test_the_assessment_to_practice_path_is_closed_while_the_attempt_is_open(client, fixtures):
    """Candidate A is mid-assessment: no practice route (plan by id, free practice) hands
    them its questions, so no reference answer or practice grade for them can be read."""
    world = fixtures.world
    live = list(world.session_a.question_set.items.values_list("question_id", flat=True))
    login(client, world.candidate_a)
    client.post(reverse("interview_start", args=[fixtures.posting_a.pk]), {"questions": 2, "planned": live})
    skill = Question.objects.get(pk=live[0]).primary_skill
    client.post(reverse("practice_start"), {"skill": skill.pk, "questions": 3})
    practised = set(
        world.candidate_a.interviews.filter(mode="practice").values_list("question_set__items__question_id", flat=True)
    )
    assert world.candidate_a.interviews.filter(mode="practice").count() == 2
    assert not practised & set(live)
