"""The pages people open most, in headless Chromium with the app's Content-Security-Policy
enforced, as in every browser test: no console error, no CSP violation, no failed request.
A stranger opening the app with the developer tools open sees a clean console; a blocked
script or style shows up here first."""

import pytest
from playwright.sync_api import Page

from interviews.bank.loader import load_bank
from interviews.grading.service import run_grade, submit_answer
from tests.e2e.conftest import grading_routed_to
from tests.e2e.test_hiring_landing import _attempt, _team
from tests.e2e.test_hiring_personas import POSTING, login
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _watched_page(browser) -> tuple[Page, list[str]]:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(20_000)
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on("requestfailed", lambda r: problems.append(f"failed: {r.url} {r.failure}"))
    page.on("response", lambda r: problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)
    return page, problems


def _visit(page: Page, url: str, problems: list[str], seen: dict[str, list[str]]) -> None:
    before = len(problems)
    page.goto(url)
    page.wait_for_load_state("networkidle")
    leaked = [mark for mark in ("{#", "{%") if mark in page.inner_text("body")]  # an unparsed template tag
    seen[url] = problems[before:] + _overflow(page) + [f"template syntax on the page: {m}" for m in leaked]


def _overflow(page: Page) -> list[str]:
    """At 390 px nothing may push the page sideways (tables and code scroll in their boxes)."""
    wider = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    return [f"{wider} px wider than the screen"] if wider > 0 else []


def test_the_busiest_pages_log_nothing_in_the_console(live_server, browser, settings):
    from interviews.planning.plan import PlanOptions, build_plan, start_interview
    from interviews.postings.services import create_posting

    settings.GRADER = "offline"
    load_bank()
    candidate = UserFactory(email="console@candidate.test")
    posting = create_posting(candidate, POSTING, use_llm=False)
    planned = [q for q in build_plan(posting, candidate, PlanOptions(questions=4)).questions if q.kind != "coding"]
    session = start_interview(candidate, posting, planned[:2])
    with grading_routed_to("e2e-nobody-reads", purge_after=True):
        answer = submit_answer(session, planned[0], "Start with a profiler, then fix the data loader.", 30)
    run_grade(answer.grade.pk)
    organization, manager, _reviewer, question_set = _team(settings)
    for grade in _attempt(question_set, manager, "console@attempt.test"):
        run_grade(grade)

    url = live_server.url
    seen: dict[str, list[str]] = {}
    page, problems = _watched_page(browser)
    login(page, url, candidate.email)
    for path in ("/", "/progress/", "/postings/new/", f"/postings/{posting.pk}/", f"/interviews/{session.pk}/"):
        _visit(page, url + path, problems, seen)
    # Chromium asks for /favicon.ico by itself (outside the page's requests, so not seen
    # above): it used to be a 404 in the console.
    icon = page.locator("link[rel=icon]").get_attribute("href")
    assert page.request.get(url + icon).headers["content-type"] == "image/svg+xml"
    assert page.request.get(url + "/favicon.ico").headers["content-type"] == "image/svg+xml"  # redirected
    page.context.close()

    page, problems = _watched_page(browser)
    login(page, url, manager.email)
    results = f"/sets/{question_set.pk}/results/"
    for path in ("/team/", f"/orgs/{organization.slug}/sets/", results, f"/orgs/{organization.slug}/review/"):
        _visit(page, url + path, problems, seen)
    page.goto(url + results)
    _visit(page, url + page.locator("a[href^='/transcripts/']").first.get_attribute("href"), problems, seen)
    page.context.close()

    assert len(seen) == 10
    assert {path: found for path, found in seen.items() if found} == {}


def test_answering_logs_nothing_and_the_code_editor_keeps_its_styles(live_server, browser, settings):
    """htmx swaps the next question in (it used to copy style attributes, which the CSP
    refuses), and CodeMirror writes its styles into a <style> element, which the CSP
    refused until it carried the page's nonce: the editor was drawn unstyled."""
    from interviews.models import Question
    from interviews.planning.plan import start_interview
    from interviews.postings.services import create_posting

    settings.GRADER = "offline"
    load_bank()
    candidate = UserFactory(email="console@coder.test")
    posting = create_posting(candidate, POSTING, use_llm=False)
    prose = Question.objects.usable().exclude(kind=Question.Kind.CODING).order_by("pk").first()
    coding = Question.objects.usable().filter(kind=Question.Kind.CODING).order_by("pk").first()
    session = start_interview(candidate, posting, [prose, coding])

    page, problems = _watched_page(browser)
    login(page, live_server.url, candidate.email)
    page.goto(f"{live_server.url}/interviews/{session.pk}/")
    with grading_routed_to("e2e-nobody-reads", purge_after=True):
        page.get_by_label("Your answer").fill("Start with a profiler, then fix the data loader.")
        page.get_by_role("button", name="Submit answer").click()
        editor = page.get_by_test_id("code-editor")
        editor.wait_for()
        page.wait_for_load_state("networkidle")
    assert editor.evaluate("e => getComputedStyle(e).display") == "flex"  # CodeMirror's own base theme
    assert editor.locator(".cm-gutters").evaluate("e => getComputedStyle(e).display") == "flex"
    assert problems + _overflow(page) == []
