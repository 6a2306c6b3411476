"""Actions that can take seconds show that they are under way: the form is aria-busy, its
submit button is disabled and relabelled, and the spinner shows, until the response
arrives. The request is held in the browser (Playwright routing) while the page is
inspected, so nothing in the product is slowed down for the test."""

import pytest
from playwright.sync_api import Page, Route, expect

from interviews.bank.loader import load_bank
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

POSTING = """Machine Learning Engineer
Requirements:
- Train and debug deep learning models in PyTorch
- Design and analyse A/B tests; solid statistics
"""


def log_in(page: Page, url: str, email: str) -> None:
    page.goto(f"{url}/accounts/login/")
    page.get_by_label("Email:").fill(email)
    page.get_by_label("Password:").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.get_by_role("link", name="Dashboard").wait_for()


def hold_posts(page: Page, pattern: str) -> list[Route]:
    """POSTs to `pattern` wait in the browser until the test continues them."""
    held: list[Route] = []
    page.route(pattern, lambda route: held.append(route) if route.request.method == "POST" else route.continue_())
    return held


STATE_JS = """(selector) => {
    const form = document.querySelector(selector);
    const buttons = [...form.querySelectorAll("button[data-busy-label]")];
    return {
        busy: form.getAttribute("aria-busy"),
        disabled: buttons.map((b) => b.disabled),
        labels: buttons.map((b) => b.textContent.trim()),
        spinners: buttons.map((b) => getComputedStyle(b.querySelector(".htmx-indicator")).display),
    };
}"""


def report_state_after_submit(page: Page, selector: str) -> list[dict]:
    """The form's busy state shortly after it is submitted, reported by the page itself:
    while a plain form's POST is pending, Playwright will not evaluate in the old page."""
    states: list[dict] = []
    page.expose_function("reportBusyState", lambda state: states.append(state))
    page.evaluate(
        """([selector, stateOf]) => {
            const state = eval(stateOf);
            document.addEventListener("submit", () => {
                setTimeout(() => window.reportBusyState(state(selector)), 100);
            });
        }""",
        [selector, STATE_JS],
    )
    return states


def wait_for_held(page: Page, held: list[Route]) -> Route:
    for _ in range(200):
        if held:
            return held[0]
        page.wait_for_timeout(50)
    raise AssertionError("the form's request was never sent")


def test_analysing_a_posting_shows_it_is_busy_until_the_posting_page_arrives(live_server, page):
    load_bank()
    user = UserFactory()
    log_in(page, live_server.url, user.email)
    page.goto(f"{live_server.url}/postings/new/")
    form = page.locator("form[data-busy]")
    submit = form.locator("button[type=submit]")
    spinner = submit.locator(".htmx-indicator")
    expect(spinner).to_be_hidden()
    expect(submit).to_be_enabled()
    assert form.get_attribute("aria-busy") is None

    held = hold_posts(page, "**/postings/new/")
    states = report_state_after_submit(page, "form[data-busy]")
    page.get_by_label("Job posting").fill(POSTING)
    page.get_by_role("button", name="Analyse posting").click(no_wait_after=True)
    request = wait_for_held(page, held)

    for _ in range(100):
        if states:
            break
        page.wait_for_timeout(50)
    assert states == [{"busy": "true", "disabled": [True], "labels": ["Analysing…"], "spinners": ["inline-block"]}]

    request.continue_()
    page.get_by_role("heading", name="Adjust your interview").wait_for()
    assert page.url.rstrip("/").split("/")[-2] == "postings"


def test_submitting_an_answer_disables_its_button_through_htmx_until_the_next_question(live_server, page):
    from interviews.planning.plan import PlanOptions, build_plan, start_interview
    from interviews.postings.services import create_posting

    load_bank()
    user = UserFactory()
    posting = create_posting(user, POSTING, use_llm=False)
    session = start_interview(user, posting, build_plan(posting, user, PlanOptions(questions=2)).questions)
    log_in(page, live_server.url, user.email)
    page.goto(f"{live_server.url}/interviews/{session.pk}/")
    page.get_by_text("Question 1 of 2").wait_for()

    form = page.locator("form.answer-form")
    assert form.get_attribute("hx-disabled-elt") == "find button[type=submit]"
    assert form.get_attribute("hx-indicator") == "find .htmx-indicator"
    submit = form.locator("button[data-busy-label]")
    expect(submit.locator(".htmx-indicator")).to_be_hidden()

    held = hold_posts(page, "**/answer/")
    page.get_by_label("Your answer").fill("Regularise, and compare on a held-out set.")
    page.get_by_role("button", name="Submit answer").click()
    request = wait_for_held(page, held)

    expect(form).to_have_attribute("aria-busy", "true")
    expect(submit).to_have_text("Submitting…")
    expect(submit.locator(".htmx-indicator")).to_be_visible()
    expect(submit).to_be_disabled()  # by htmx, from hx-disabled-elt

    request.continue_()
    page.get_by_text("Question 2 of 2").wait_for()
    expect(page.get_by_role("button", name="Submit answer")).to_be_enabled()
    assert page.locator("form[aria-busy]").count() == 0


def test_without_javascript_the_posting_form_still_submits(live_server, browser):
    load_bank()
    user = UserFactory()
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.set_default_timeout(20_000)
        log_in(page, live_server.url, user.email)
        page.goto(f"{live_server.url}/postings/new/")
        expect(page.locator("form[data-busy] .htmx-indicator")).to_be_hidden()
        page.get_by_label("Job posting").fill(POSTING)
        page.get_by_role("button", name="Analyse posting").click()
        page.get_by_role("heading", name="Adjust your interview").wait_for()
    finally:
        context.close()
