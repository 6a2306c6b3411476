"""A submit the server fails (a 500 while PostgreSQL drops connections, see the fault suite)
saved nothing and htmx swaps nothing in: the page says so and keeps the text, and the next
submit goes through. The 500 is made in the browser (Playwright routing), once."""

import pytest
from playwright.sync_api import Route, expect

from interviews.models import Answer
from tests.e2e.test_busy_indicators import log_in
from tests.factories import InterviewSessionFactory, QuestionFactory, QuestionSetFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
TEXT = "Regularise, and compare on a held-out set."


def test_a_failed_submit_says_the_answer_was_not_saved_and_keeps_it(live_server, page):
    session = InterviewSessionFactory(question_set=QuestionSetFactory(questions=[QuestionFactory(), QuestionFactory()]))
    failures = [500]

    def fail_once(route: Route) -> None:
        if route.request.method == "POST" and failures:
            route.fulfill(status=failures.pop(), body="Server Error")
        else:
            route.continue_()

    log_in(page, live_server.url, session.candidate.email)
    page.goto(f"{live_server.url}/interviews/{session.pk}/")
    page.get_by_text("Question 1 of 2").wait_for()
    page.route("**/answer/", fail_once)
    page.get_by_label("Your answer").fill(TEXT)
    page.get_by_role("button", name="Submit answer").click()

    alert = page.locator("form.answer-form [data-submit-error]")
    expect(alert).to_have_text(
        "Your answer was not saved: the server failed (error 500). It is still here; submit it again."
    )
    expect(alert).to_have_attribute("role", "alert")
    expect(page.get_by_label("Your answer")).to_have_value(TEXT)
    assert not Answer.objects.exists()

    page.get_by_role("button", name="Submit answer").click()
    page.get_by_text("Question 2 of 2").wait_for()
    assert Answer.objects.get().text == TEXT
    assert page.locator("[data-submit-error]").count() == 0
