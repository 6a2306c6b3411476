"""Team members land on their team's work, and the results table keeps up with grades
as they land, in headless Chromium against a live server. Grades are run in the test
process (no worker needed): the page must notice them by itself."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from accounts.models import Membership, Organization
from hiring.services import assessments, builder
from interviews.bank.loader import load_bank
from interviews.grading.service import run_grade, submit_answer
from interviews.models import Grade
from tests.e2e.conftest import grading_routed_to
from tests.e2e.test_hiring_personas import POSTING, login
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def _team(settings):
    settings.GRADER = "offline"
    load_bank()
    organization = Organization.objects.create(name="Team Test", slug="team-test")
    manager = UserFactory(email="manager@team.test")
    reviewer = UserFactory(email="reviewer@team.test")
    Membership.objects.create(user=manager, organization=organization, role=Membership.Role.MANAGER)
    Membership.objects.create(user=reviewer, organization=organization, role=Membership.Role.REVIEWER)
    question_set = builder.create_set(organization, manager, "ML engineer screen", posting_text=POSTING, questions=6)
    return organization, manager, reviewer, question_set


def _attempt(question_set, manager, email: str) -> list[int]:
    """A finished attempt whose answers are saved with their grades still queued: their
    messages go to a queue no worker reads, so only the test's run_grade calls grade them."""
    candidate = UserFactory(email=email)
    invite = assessments.invite_candidates(question_set, email, manager, "http://testserver")[0]
    session = assessments.start(invite.token, candidate)
    grades = []
    for question in session.ordered_questions():
        text = "Profile with torch.profiler, then fix the data loader; report a confidence interval."
        with grading_routed_to("e2e-nobody-reads", purge_after=True):
            grades.append(submit_answer(session, question, text, 40).grade.pk)
    session.finished_at = session.started_at
    session.save(update_fields=["finished_at"])
    return grades


def test_each_role_lands_on_its_work_with_practice_one_click_away(live_server, new_page, settings):
    organization, manager, reviewer, question_set = _team(settings)
    url = live_server.url

    manager_page = new_page()
    login(manager_page, url, manager.email)
    expect(manager_page).to_have_url(f"{url}/team/")
    work = manager_page.get_by_test_id("team-work")
    expect(work.get_by_role("link", name="ML engineer screen")).to_be_visible()
    expect(work.get_by_role("link", name="Results")).to_have_attribute("href", f"/sets/{question_set.pk}/results/")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    manager_page.screenshot(path=str(SCREENSHOTS / "team-manager.png"), full_page=True)
    manager_page.get_by_role("navigation", name="Main").get_by_role("link", name="Practice").click()
    expect(manager_page).to_have_url(f"{url}/dashboard/")
    # The set's posting is the team's, not the manager's practice.
    expect(manager_page.get_by_text("No postings yet.")).to_be_visible()
    expect(manager_page.get_by_text("ready for")).to_have_count(0)

    reviewer_page = new_page()
    login(reviewer_page, url, reviewer.email)
    expect(reviewer_page).to_have_url(f"{url}/team/")
    reviewer_page.set_viewport_size({"width": 390, "height": 844})
    reviewer_page.screenshot(path=str(SCREENSHOTS / "team-reviewer-390.png"), full_page=True)
    # On a phone each set is a block: its Results link in view, the page never wider than the screen.
    results = reviewer_page.get_by_test_id("team-work").get_by_role("link", name="Results")
    expect(results).to_be_in_viewport()
    assert reviewer_page.evaluate("document.documentElement.scrollWidth") <= 390
    reviewer_page.goto(f"{url}/orgs/{organization.slug}/sets/")
    expect(reviewer_page.get_by_role("link", name="Results")).to_be_in_viewport()
    assert reviewer_page.evaluate("document.documentElement.scrollWidth") <= 390
    reviewer_page.goto(f"{url}/team/")
    reviewer_page.get_by_role("link", name="Open the review queue").click()
    expect(reviewer_page).to_have_url(f"{url}/orgs/{organization.slug}/review/")


def _fits(page: Page) -> dict:
    return page.evaluate(
        """() => {
            const wrap = document.querySelector('#result-rows');
            const box = (name) => {
                const th = [...wrap.querySelectorAll('th')].find((th) => th.textContent.trim() === name);
                const r = th.getBoundingClientRect();
                const w = wrap.getBoundingClientRect();
                return r.left >= w.left - 1 && r.right <= w.right + 1;
            };
            return {
                page: document.documentElement.scrollWidth <= window.innerWidth,
                total: box('Total %'), time: box('Time'), flags: box('Flags'), transcript: box('Transcript'),
            };
        }"""
    )


def test_results_rows_update_live_and_the_table_fits(live_server, new_page, settings):
    _, manager, _, question_set = _team(settings)
    first = _attempt(question_set, manager, "a.candidate.with.a.rather.long.address@example.com")
    second = _attempt(question_set, manager, "second@example.com")
    for pk in first + second[:-1]:
        run_grade(pk)  # one grade left pending

    page = new_page()
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, live_server.url, manager.email)
    page.goto(f"{live_server.url}/sets/{question_set.pk}/results/")
    rows = page.get_by_test_id("results").locator("tbody tr")
    waiting = rows.filter(has_text="second@example.com")
    expect(waiting.get_by_test_id("total")).to_have_text("grading…")
    expect(rows.filter(has_text="rather.long.address").get_by_test_id("total")).to_have_text(re.compile(r"^\d+%$"))
    expect(page.locator("#result-rows[hx-trigger]")).to_have_count(1)

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "results-1280.png"), full_page=True)
    assert _fits(page) == {"page": True, "total": True, "time": True, "flags": True, "transcript": True}

    box = page.locator("#result-rows")
    box.evaluate("(box) => { box.scrollLeft = 150; }")
    scrolled = box.evaluate("(box) => box.scrollLeft")
    assert scrolled > 0  # the per-skill columns scroll inside the box at 1280 px
    polls: list[str] = []
    page.on("request", lambda request: polls.append(request.url) if "/results/" in request.url else None)
    run_grade(second[-1])  # the last grade lands: the row updates without a reload
    expect(waiting.get_by_test_id("total")).to_have_text(re.compile(r"^\d+%$"), timeout=15_000)
    assert box.evaluate("(box) => box.scrollLeft") == scrolled  # the box kept its place
    seen = len(polls)
    page.wait_for_timeout(7_000)
    assert len(polls) == seen  # and the polling stopped

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    page.screenshot(path=str(SCREENSHOTS / "results-390.png"), full_page=True)
    fits = _fits(page)
    assert fits["page"] and fits["total"], fits  # the table scrolls inside its box, not the page

    # The review queue on a phone: one block per answer, each with its Review link in view.
    page.goto(f"{live_server.url}/orgs/{question_set.organization.slug}/review/")
    expect(page.get_by_test_id("queue").get_by_role("link", name="Review").first).to_be_in_viewport()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(SCREENSHOTS / "review-queue-390.png"), full_page=True)
    # A transcript headed by a long address still fits the phone's width.
    session_id = Grade.objects.get(pk=first[0]).answer.session_id
    page.goto(f"{live_server.url}/transcripts/{session_id}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("rather.long.address")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
