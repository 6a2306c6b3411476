"""The results table (one scale, live rows while grades land), the review queue's reasons,
the way back after an override, and the rough edges around them."""

from django.urls import reverse

from hiring.models import AssessmentInvite
from interviews.grading.guards import INJECTION_NOTE
from interviews.grading.service import run_grade, submit_answer
from interviews.models import Answer, Grade, Posting
from tests.factories import QuestionFactory
from tests.hiring.conftest import login

HX = {"HTTP_HX_REQUEST": "true"}


def _results(client, world, **headers):
    return client.get(reverse("set_results", args=[world.team_set.pk]), **headers)


def test_every_score_on_the_results_page_is_a_percentage(world, client):
    login(client, world.manager1)
    page = _results(client, world)
    [row] = page.context["rows"]
    [(skill, mean)] = row.by_skill.items()  # 0-5 in the service, shown as a share of 5
    html = page.content.decode()
    assert "Total %" in html and f"{skill} %" in html
    assert f'<td class="num">{round(100 * mean / 5)}%</td>' in html
    assert "percentages of the points available" in html


def test_the_important_columns_come_before_the_per_skill_ones(world, client):
    login(client, world.manager1)
    html = _results(client, world).content.decode()
    header = html[html.index('data-testid="results"') :]
    positions = [header.index(f">{name}<") for name in ("Total %", "Time", "Flags", "Transcript")]
    skill = _results(client, world).context["skills"][0]
    assert positions == sorted(positions) and positions[-1] < header.index(f">{skill} %<")


def test_rows_poll_while_a_grade_is_pending_and_stop_when_none_is(world, client):
    second = world.session_a.ordered_questions()[1]
    submission = submit_answer(world.session_a, second, "Dropout is off at inference.", 30)
    login(client, world.reviewer1)
    page = _results(client, world)
    assert page.context["pending"] == 1
    assert 'hx-trigger="every 3s"' in page.content.decode() and page["Vary"].count("HX-Request") == 1
    rows = _results(client, world, **HX)
    html = rows.content.decode()
    assert rows.status_code == 200 and "HX-Request" in rows["Vary"]
    assert html.lstrip().startswith('<table data-testid="results"') and "Automatic vs human scores" not in html
    assert "1 grading" in html and "hx-get" not in html  # the polling box stays on the page
    run_grade(submission.grade.pk)
    rows = _results(client, world, **HX)
    assert rows.status_code == 286  # htmx swaps these final rows in and stops polling
    assert "1 grading" not in rows.content.decode()
    assert "every 3s" not in _results(client, world).content.decode()  # nothing pending: no polling at all


def test_the_review_queue_says_why_each_answer_is_there(world, client):
    answer = world.answer_a
    login(client, world.reviewer1)
    grade = answer.grades.get()
    Grade.objects.filter(pk=grade.pk).update(confidence=0.31, needs_review=True)
    page = client.get(reverse("review_queue", args=[world.org1.slug])).content.decode()
    assert '<td data-label="Why" data-testid="why">low confidence 0.31</td>' in page
    Grade.objects.filter(pk=grade.pk).update(summary=f"{INJECTION_NOTE} Fine otherwise.", confidence=0.4)
    Grade.objects.create(
        answer=answer, status="done", score=(grade.score or 0) + 2, confidence=0.4, grader="llm"
    ).count()
    [result] = client.get(reverse("review_queue", args=[world.org1.slug])).context["queue"]
    assert result.reasons[0] == "low confidence 0.40"  # the regrade (the LLM's) now counts
    assert result.reasons[-1] == "graders disagree by 2.0"
    Grade.objects.filter(answer=answer, grader="llm").update(summary=f"{INJECTION_NOTE} x", confidence=0.9)
    [result] = client.get(reverse("review_queue", args=[world.org1.slug])).context["queue"]
    assert result.reasons == ["injection flagged", "graders disagree by 2.0"]
    # A first grade that failed: nothing counts, and the queue says why.
    Grade.objects.filter(answer=answer).update(status="failed", score=None)
    Answer.objects.filter(pk=answer.pk).update(counted_grade=None)
    [result] = client.get(reverse("review_queue", args=[world.org1.slug])).context["queue"]
    assert result.reasons == ["grading failed"]


def test_a_confident_lone_grade_still_says_how_sure_it_was(world, client):
    Grade.objects.filter(answer=world.answer_a).update(confidence=0.83, needs_review=False)
    login(client, world.reviewer1)
    [result] = client.get(reverse("review_queue", args=[world.org1.slug])).context["queue"]
    assert result.reasons == ["confidence 0.83"]


def _override(client, answer, **extra):
    grade = answer.grades.get()
    data = {f"points_{i}": c["max_points"] for i, c in enumerate(grade.criteria)} | {"comment": "Fine."} | extra
    return client.post(reverse("answer_override", args=[answer.pk]), data)


def test_an_override_from_the_queue_goes_back_to_the_queue(world, client):
    login(client, world.reviewer1)
    queue_url = reverse("review_queue", args=[world.org1.slug])
    queue = client.get(queue_url).content.decode()
    assert f'{reverse("answer_override", args=[world.answer_a.pk])}?next={queue_url}"' in queue
    form = client.get(reverse("answer_override", args=[world.answer_a.pk]), {"next": queue_url}).content.decode()
    assert f'name="next" value="{queue_url}"' in form and f'href="{queue_url}">Review queue</a>' in form
    response = _override(client, world.answer_a, next=queue_url)
    assert response.status_code == 302 and response["Location"] == queue_url


def test_an_override_never_follows_a_next_to_another_site(world, client):
    login(client, world.reviewer1)
    for hostile in ("https://evil.example/", "//evil.example/x", "javascript:alert(1)"):
        response = _override(client, world.answer_a, next=hostile)
        assert response["Location"] == reverse("transcript", args=[world.session_a.pk])


def test_the_grading_check_link_opens_a_full_page_without_javascript(world, client):
    session = world.practice_b
    question = session.ordered_questions()[0]
    submission = submit_answer(session, question, "Some answer.", 30)
    login(client, world.candidate_b)
    interview_url = reverse("interview_detail", args=[session.pk])
    check = f'<a href="{interview_url}">check</a>'
    assert check in client.get(reverse("grade_status", args=[submission.grade.pk]), **HX).content.decode()
    assert check in client.get(reverse("grade_status", args=[submission.grade.pk])).content.decode()
    assert check in client.get(interview_url).content.decode()
    # The reply to an htmx submit (a POST) also links the interview page, never the POST's URL.
    session.question_set.items.create(question=QuestionFactory(), order=1)
    second = session.next_question()
    body = client.post(
        reverse("answer_submit", args=[session.pk]), {"question": second.pk, "text": "Another answer."}, **HX
    ).content.decode()
    assert check in body and ">check</a>" not in body.replace(check, "")


def test_the_header_sign_up_link_keeps_the_invitation(world, client):
    invite = AssessmentInvite.objects.create(question_set=world.team_set, email="new@example.com")
    path = reverse("assessment_invite", args=[invite.token])
    html = client.get(path).content.decode()
    header = html[html.index('<header class="topbar">') : html.index("</header>")]
    assert f"{reverse('account_signup')}?next={path}&amp;email=new%40example.com" in header
    assert f'{reverse("account_login")}?next={path}"' in header


def test_the_header_links_of_a_team_invitation_keep_it(world, client):
    from accounts.models import Invitation

    invitation = Invitation.objects.create(organization=world.org1, email="mate@example.com")
    path = reverse("accept_invitation", args=[invitation.token])
    html = client.get(path).content.decode()
    header = html[html.index('<header class="topbar">') : html.index("</header>")]
    assert f'{reverse("account_signup")}?next={path}"' in header
    plain = client.get(reverse("account_login")).content.decode()
    assert f'href="{reverse("account_signup")}" class="button"' in plain


def test_the_posting_says_who_found_its_requirements_in_plain_words():
    assert Posting(analysis_method="offline").analysis_label == "by Backprop's built-in reader"
    assert Posting(analysis_method="llm").analysis_label == "by the LLM"
    assert "unavailable" in Posting(analysis_method="offline (LLM failed: LLMError)").analysis_label
    assert Posting(analysis_method="").analysis_label == ""


def test_staff_pages_do_not_poll_the_candidates_grade_fragment(world, client):
    # grade_status is the candidate's own (and 404s for assessment grades): staff pages must
    # not poll it every second while a grade is pending.
    world.answer_a.grades.update(status=Grade.Status.QUEUED)
    login(client, world.reviewer1)
    for url in (reverse("transcript", args=[world.session_a.pk]), reverse("answer_override", args=[world.answer_a.pk])):
        html = client.get(url).content.decode()
        assert "Grading…" in html and reverse("grade_status", args=[world.answer_a.grades.get().pk]) not in html
