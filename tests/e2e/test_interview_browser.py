"""The interview page in headless Chromium: Back and Forward, a second tab, and a phone-sized screen."""

import pytest

from interviews.models import Answer
from tests.factories import PASSWORD, InterviewSessionFactory, QuestionFactory, QuestionSetFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NOTICE = "You already answered this question; your first answer was kept."


def log_in(page, live_server, user) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email:").fill(user.email)
    page.get_by_label("Password:").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.get_by_role("button", name="Log out").wait_for()


def two_question_interview():
    user = UserFactory()
    questions = [
        QuestionFactory(prompt="Why does dropout regularise?"),
        QuestionFactory(prompt="What does weight decay change in the update?"),
    ]
    return user, InterviewSessionFactory(candidate=user, question_set=QuestionSetFactory(questions=questions))


def test_back_then_forward_after_an_answer_shows_the_current_question(live_server, page):
    user, session = two_question_interview()
    log_in(page, live_server, user)
    page.goto(f"{live_server.url}/interviews/{session.pk}/")
    page.get_by_text("Question 1 of 2").wait_for()
    page.get_by_label("Your answer").fill("It averages an ensemble of thinned networks.")
    page.get_by_role("button", name="Submit answer").click()
    page.get_by_text("Question 2 of 2").wait_for()

    page.go_back()
    page.wait_for_url(lambda url: "/interviews/" not in url)
    page.go_forward()
    page.get_by_text("Question 2 of 2").wait_for()
    assert page.get_by_text("Question 1 of 2").count() == 0
    assert page.get_by_label("Your answer").input_value() == ""


def test_answering_in_a_stale_second_tab_keeps_the_first_answer_and_says_so(live_server, new_page):
    user, session = two_question_interview()
    first_tab = new_page()
    log_in(first_tab, live_server, user)
    second_tab = first_tab.context.new_page()
    for tab in (first_tab, second_tab):
        tab.goto(f"{live_server.url}/interviews/{session.pk}/")
        tab.get_by_text("Question 1 of 2").wait_for()

    first_tab.get_by_label("Your answer").fill("It averages an ensemble of thinned networks.")
    first_tab.get_by_role("button", name="Submit answer").click()
    first_tab.get_by_text("Question 2 of 2").wait_for()

    second_tab.get_by_label("Your answer").fill("A later, different answer to question 1.")
    second_tab.get_by_role("button", name="Submit answer").click()
    second_tab.get_by_text(NOTICE).wait_for()
    assert second_tab.get_by_text("Question 2 of 2").is_visible()
    assert Answer.objects.get().text == "It averages an ensemble of thinned networks."
