"""The whole candidate loop in headless Chromium, against a live server and a real worker."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from interviews.bank.loader import load_bank
from interviews.models import Answer, Grade

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

POSTING = Path(__file__).resolve().parents[3] / "shared" / "postings" / "senior-dl-algorithm-engineer-gpu.md"
FALLBACK_POSTING = """Senior Deep Learning Engineer
Requirements:
- Profile and optimise PyTorch training on GPUs with Nsight and torch.profiler
- CUDA kernels, memory hierarchy and mixed precision
"""


def test_a_candidate_signs_up_pastes_a_posting_answers_and_sees_the_grade(
    live_server, celery_worker_process, page, mailoutbox
):
    load_bank()
    posting = POSTING.read_text(encoding="utf-8") if POSTING.exists() else FALLBACK_POSTING

    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Create a free account").click()
    page.get_by_label("Email").fill("new.candidate@example.com")
    page.get_by_label("Password:", exact=True).fill("a-long-secret-pass")
    page.get_by_label("Password (again):").fill("a-long-secret-pass")
    page.get_by_role("button", name="Sign Up").click()
    # Nobody gets in before confirming their address. The live server runs in a thread of
    # this process, so the locmem outbox (pytest-django's `mailoutbox`) holds the message.
    page.get_by_role("heading", name="Verify Your Email Address").wait_for()
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["new.candidate@example.com"]
    page.goto(re.search(r"https?://\S+/accounts/confirm-email/\S+/", mailoutbox[0].body).group(0))
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("button", name="Confirm")).to_have_count(0)  # confirmed, and logged in

    page.get_by_label("Job posting").fill(posting)
    page.get_by_role("button", name="Analyse posting").click()
    page.get_by_role("heading", name="Adjust your interview").wait_for()
    assert page.locator(".requirements .chip", has_text="GPU performance").count() >= 1
    assert "%" in page.get_by_test_id("coverage").inner_text()

    # Changing the count re-plans through htmx; the plan heading follows.
    page.get_by_label("Number of questions").fill("2")
    page.get_by_label("Number of questions").press("Tab")
    page.get_by_role("heading", name="Your plan: 2 questions").wait_for()
    page.get_by_role("button", name="Start interview").click()
    page.get_by_text("Question 1 of 2").wait_for()

    # A marker on window survives only if the page is never reloaded: the grade must
    # arrive through htmx, not a navigation.
    page.evaluate("window.__noReload = true")
    # A strong answer (the reference's own words), so the grader has evidence to cite.
    from interviews.models import InterviewSession

    first_question = InterviewSession.objects.get().ordered_questions()[0]
    page.get_by_label("Your answer").fill(first_question.reference_answer)
    page.get_by_role("button", name="Submit answer").click()
    page.get_by_text("Question 2 of 2").wait_for()
    score = page.get_by_test_id("score")
    score.wait_for(timeout=60_000)
    assert 0 <= float(score.inner_text()) <= 5
    assert page.evaluate("window.__noReload") is True
    assert Grade.objects.get().status == Grade.Status.DONE
    assert Answer.objects.count() == 1

    # Feedback: after a reload the answer shows the evidence the grader cited, highlighted,
    # and the reference answer is available now that the question is answered.
    page.reload()
    assert page.locator(".answered mark").count() >= 1
    assert page.get_by_text("Reference answer").count() == 1

    page.get_by_role("link", name="Progress", exact=True).click()
    page.get_by_role("heading", name="Mastery by skill").wait_for()
    assert page.locator("tbody tr").count() >= 1


def test_a_timed_three_question_interview_with_drafts_keyboard_submit_and_skip(
    live_server, celery_worker_process, page
):
    from interviews.planning.plan import PlanOptions, build_plan, start_interview
    from interviews.postings.services import create_posting
    from tests.factories import PASSWORD, UserFactory

    load_bank()
    user = UserFactory()
    posting = create_posting(user, FALLBACK_POSTING, use_llm=False)
    # Three prose questions: the PyTorch posting's plan may also hold a coding question,
    # answered in the code editor (tests/e2e/test_coding_browser.py covers that).
    planned = build_plan(posting, user, PlanOptions(questions=6)).questions
    session = start_interview(user, posting, [q for q in planned if q.kind != "coding"][:3])
    session.question_set.time_limit_minutes = 30
    session.question_set.save()
    first, second, third = session.ordered_questions()

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email:").fill(user.email)
    page.get_by_label("Password:").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.goto(f"{live_server.url}/interviews/{session.pk}/")
    page.get_by_text("Question 1 of 3").wait_for()

    timer = page.locator('[data-timer="question"]')
    before = timer.inner_text()
    page.wait_for_timeout(1500)
    assert timer.inner_text() != before  # the clock runs
    assert page.locator('[data-timer="remaining"]').inner_text().startswith("29m")

    # A draft survives a reload.
    answer = page.get_by_label("Your answer")
    answer.fill("Overfitting: the model has high variance")
    page.get_by_text("Draft saved").wait_for()
    page.reload()
    assert page.get_by_label("Your answer").input_value() == "Overfitting: the model has high variance"

    # Ctrl+Enter submits.
    page.get_by_label("Your answer").press("Control+Enter")
    page.get_by_text("Question 2 of 3").wait_for()

    # Skipping brings the third question forward and the second back at the end.
    page.get_by_role("button", name="Skip for now").click()
    # Wait for the swap to the third question itself: its prompt's first word may also
    # begin the second one, and typing before the swap would go into the old form.
    page.locator(f'form.answer-form input[name="question"][value="{third.pk}"]').wait_for(state="attached")
    page.get_by_label("Your answer").fill("Use a held-out set and compare the metrics over time.")
    page.get_by_role("button", name="Submit answer").click()
    page.get_by_text("Question 3 of 3").wait_for()
    page.get_by_label("Your answer").fill("Profile first, then fix the largest bottleneck.")
    page.get_by_label("Your answer").press("Meta+Enter")

    page.get_by_role("heading", name="Interview complete").wait_for()
    assert page.locator("table.summary tbody tr").count() == 3
    expect(page.get_by_test_id("score")).to_have_count(3, timeout=60_000)
    assert {a.question_id for a in session.answers.all()} == {first.pk, second.pk, third.pk}

    # The dashboard draws its charts (Chart.js from npm) from the graded answers.
    page.get_by_role("link", name="Progress", exact=True).click()
    expect(page.locator("html[data-charts-ready='1']")).to_have_count(1)
    bars = page.evaluate("Chart.getChart('mastery-chart').data.labels.length")
    assert bars >= 1
    # One day of grades is a dot, not a trend: an empty state until three days.
    assert page.get_by_test_id("trend-empty").is_visible()
    assert page.locator("#history-chart").count() == 0
    assert page.get_by_test_id("streak").inner_text() == "1"


def test_math_in_a_question_is_typeset_by_katex(live_server, page):
    from tests.factories import PASSWORD, InterviewSessionFactory, QuestionFactory, QuestionSetFactory, UserFactory

    user = UserFactory()
    question = QuestionFactory(prompt="Show that $\\frac{2MNK}{3 \\cdot 2 N^2} = \\frac{N}{3}$ for square GEMMs.")
    session = InterviewSessionFactory(candidate=user, question_set=QuestionSetFactory(questions=[question]))
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email:").fill(user.email)
    page.get_by_label("Password:").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.goto(f"{live_server.url}/interviews/{session.pk}/")
    page.locator(".prompt .katex").first.wait_for()
    assert page.locator(".prompt .katex .mfrac").count() >= 1


def test_new_plan_swaps_in_another_plan_in_place_and_start_runs_the_plan_shown(live_server, page):
    from interviews.models import InterviewSession
    from interviews.postings.services import create_posting
    from tests.factories import PASSWORD, UserFactory

    load_bank()
    user = UserFactory()
    posting = create_posting(user, FALLBACK_POSTING, use_llm=False)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email:").fill(user.email)
    page.get_by_label("Password:").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.goto(f"{live_server.url}/postings/{posting.pk}/")

    planned = page.locator('input[name="planned"]')
    first_plan = planned.input_value()
    page.reload()
    assert planned.input_value() == first_plan  # a reload shows the same plan

    # A marker on window survives only if htmx swaps the plan instead of loading a page.
    page.evaluate("window.__noReload = true")
    page.get_by_role("button", name="New plan").click()
    expect(planned).not_to_have_value(first_plan)
    assert "variant=1" in page.url and page.evaluate("window.__noReload") is True
    shown = planned.input_value()
    page.get_by_role("button", name="Start interview").click()
    page.get_by_text("Question 1 of 5").wait_for()
    assert ",".join(str(q.pk) for q in InterviewSession.objects.get().ordered_questions()) == shown
