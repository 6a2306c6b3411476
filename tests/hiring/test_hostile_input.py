"""Every form and htmx endpoint that takes input, fed hostile input by a user entitled to
use it: no 500, ever. The URLs and the persona that may post to each come from the
permission matrix, so a new endpoint is fuzzed as soon as it has its row there."""

import pytest
from django.urls import reverse

from tests.hiring.conftest import login
from tests.hiring.test_permission_matrix import CASES, M1, R1, STAFF, A, B, _persona_user

# Field names the app's forms read (a superset: a form ignores what it does not know).
FIELDS = [
    "text", "title", "questions", "email", "emails", "role", "comment", "prompt", "reference_answer",
    "score", "points", "kind", "question", "planned", "skill", "starter", "time_limit", "budget_ratio",
    "expires_in_days", "reason", "q", "criterion", "status",
]  # fmt: skip

HOSTILE = {
    "long": "A" * 200_000,
    "nul bytes": "before\x00after\x00",
    "html and template syntax": "<script>alert(1)</script><img src=x onerror=alert(1)>{{ request }}{% debug %}${x}",
    "numbers out of range": "-1e309",
    "control characters": "\x01\x02\x1b[31m\x7f\u202e\ufeff",
}
# Raw bodies a browser would never send: invalid UTF-8 and NUL bytes percent-encoded, a
# truncated escape, and a field repeated with conflicting values.
RAW = {
    "malformed utf-8": b"text=%C3%28%FF%FE&title=%FF%00&questions=%E2%82&email=%C0%AF&prompt=%ED%A0%80",
    "truncated escapes": b"text=%&title=%F&questions=1%&emails=%%%",
    "repeated fields": b"questions=1&questions=x&questions=999999999999999999999&text=a&text=",
}
ENTITLED_ORDER = [M1, A, B, R1, STAFF]
POSTS = [case for case in CASES if case.method == "POST" and case.allowed]


def _post_cases():
    for case in POSTS:
        persona = next(p for p in ENTITLED_ORDER if p in case.allowed)
        yield pytest.param(case, persona, id=f"{case.name}-{case.note or 'as ' + persona}")


def _url_and_extra(case, fixtures):
    extra = {}
    world = fixtures.world
    if case.name in {"draft_save", "question_skip", "question_flag", "assessment_event", "revisit_later"}:
        session = world.practice_b if case.name == "revisit_later" else world.session_a
        extra["question"] = str(session.ordered_questions()[-1].pk)
    return reverse(case.name, args=case.args(fixtures)), extra


@pytest.mark.parametrize(("case", "persona"), list(_post_cases()))
def test_no_post_endpoint_answers_hostile_input_with_a_server_error(client, fixtures, case, persona):
    login(client, _persona_user(fixtures, persona))
    url, extra = _url_and_extra(case, fixtures)
    failures = []
    for label, value in HOSTILE.items():
        for htmx in (False, True):
            data = {name: value for name in FIELDS} | extra
            headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
            response = client.post(url, data, **headers)
            if response.status_code >= 500:
                failures.append(f"{label}{' (htmx)' if htmx else ''}: {response.status_code}")
    for label, body in RAW.items():
        response = client.generic("POST", url, body, content_type="application/x-www-form-urlencoded")
        if response.status_code >= 500:
            failures.append(f"{label}: {response.status_code}")
    assert not failures, f"{case.name}: {failures}"


@pytest.mark.parametrize("label", [*HOSTILE, *RAW])
def test_a_hostile_posting_gets_a_message_not_a_server_error(client, fixtures, label):
    login(client, fixtures.world.candidate_a)
    url = reverse("posting_new")
    if label in RAW:
        response = client.generic("POST", url, RAW[label], content_type="application/x-www-form-urlencoded")
    else:
        response = client.post(url, {"title": HOSTILE[label], "text": HOSTILE[label]})
    assert response.status_code in {200, 302, 400}
    if response.status_code == 400:  # refused with the form and its message, nothing half-saved
        assert b"errorlist" in response.content or b"error" in response.content


def test_hostile_query_strings_on_pages_that_read_them(client, fixtures):
    world = fixtures.world
    login(client, world.manager1)
    pages = [
        reverse("bank_search", args=[world.team_set.pk]),
        reverse("review_queue", args=[world.org1.slug]),
        reverse("set_results", args=[world.team_set.pk]),
        reverse("progress"),
    ]
    queries = ["?q=%FF%FE%00", "?q=" + "x" * 20_000, "?page=-1&sort=%00", "?after=not-a-cursor&skill=abc"]
    failures = [
        (page, query, status)
        for page in pages
        for query in queries
        if (status := client.get(page + query).status_code) >= 500
    ]
    assert not failures
