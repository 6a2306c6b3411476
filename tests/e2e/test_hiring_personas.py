"""The hiring story in headless Chromium, one browser context per person, against a live
server and a real Celery worker: a manager builds a set from a posting and invites a
candidate; the candidate signs up from the emailed link and takes the assessment; the
worker grades it; a reviewer overrides one score; the manager reads the results and CSV."""

import csv
import io
import re

import pytest
from playwright.sync_api import Page, expect

from accounts.models import Membership, Organization
from hiring.models import AssessmentEvent, AssessmentInvite
from interviews.bank.loader import load_bank
from interviews.models import Grade
from tests.e2e.conftest import wait_for
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# No coding skill asked for (see CODING_SKILLS in interviews/planning/plan.py): the set stays
# text-only and the candidate answers in prose; the coding loop is test_coding_browser.py.
POSTING = """Machine Learning Engineer
Requirements:
- Train and deploy deep learning models on GPUs
- Profile and speed up training on multi-GPU machines
- Solid statistics: hypothesis testing, confidence intervals, experiment design
"""
CANDIDATE = "candidate@team.test"
CANDIDATE_PASSWORD = "a-long-candidate-secret"
ANSWERS = [
    "Profile first with torch.profiler, find whether the GPU waits on the data loader, then fix that bottleneck.",
    "Use mixed precision and larger batches, overlap data loading with compute, and check GPU utilisation.",
    "State the null hypothesis, pick a test, report a confidence interval and the effect size, not only p.",
]


def login(page: Page, url: str, email: str, password: str = PASSWORD) -> None:
    page.goto(f"{url}/accounts/login/")
    page.get_by_label("Email:").fill(email)
    page.get_by_label("Password:").fill(password)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("button", name="Sign In")).to_have_count(0)  # left the login page


def paste(page: Page, text: str) -> None:
    """A real paste event on the answer box. A synthetic ClipboardEvent inserts nothing,
    so the text is typed in too; interview.js reports the paste's length to the server."""
    area = page.get_by_label("Your answer")
    area.focus()
    area.evaluate(
        """(area, text) => {
            const data = new DataTransfer();
            data.setData("text/plain", text);
            area.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true}));
        }""",
        text,
    )
    area.fill(text)


def answer(page: Page, text: str, *, pasted: bool = False) -> None:
    if pasted:
        paste(page, text)
    else:
        page.get_by_label("Your answer").fill(text)
    page.get_by_role("button", name="Submit answer").click()


def assert_nothing_revealed(page: Page) -> None:
    # An assessment never shows the candidate a reference answer or a grade.
    expect(page.get_by_text("Reference answer")).to_have_count(0)
    expect(page.get_by_test_id("score")).to_have_count(0)


def set_item_prompts(page: Page) -> list[str]:
    return [text.strip() for text in page.get_by_test_id("set-item").locator(".md").all_inner_texts()]


def test_a_manager_a_candidate_and_a_reviewer_run_an_assessment(
    live_server, celery_worker_process, new_page, mailoutbox
):
    load_bank()
    organization = Organization.objects.create(name="Team Test", slug="team-test")
    manager = UserFactory(email="manager@team.test")
    reviewer = UserFactory(email="reviewer@team.test")
    Membership.objects.create(user=manager, organization=organization, role=Membership.Role.MANAGER)
    Membership.objects.create(user=reviewer, organization=organization, role=Membership.Role.REVIEWER)
    url = live_server.url

    # --- Manager: a set from a posting, one reorder, one invitation.
    manager_page = new_page()
    login(manager_page, url, manager.email)
    manager_page.goto(f"{url}/orgs/{organization.slug}/sets/")
    manager_page.get_by_label("Title").fill("ML engineer screen")
    manager_page.get_by_label("Job posting (optional)").fill(POSTING)
    manager_page.get_by_label("Number of questions").fill("3")
    manager_page.get_by_label("Time limit (minutes)").fill("30")
    manager_page.get_by_role("button", name="Create set").click()
    expect(manager_page).to_have_url(re.compile(r"/sets/\d+/$"))
    set_pk = int(re.search(r"/sets/(\d+)/$", manager_page.url).group(1))
    expect(manager_page.get_by_test_id("set-item")).to_have_count(3)

    # The ↓ button swaps the list in place through htmx: the first two prompts trade places.
    before = set_item_prompts(manager_page)
    manager_page.get_by_role("button", name="Move question 1 down").click()
    expect(manager_page.get_by_test_id("set-item").first.locator(".md")).to_have_text(before[1])
    assert set_item_prompts(manager_page) == [before[1], before[0], before[2]]

    manager_page.get_by_label("Candidate emails").fill(CANDIDATE)
    manager_page.get_by_role("button", name="Send invitations").click()
    expect(manager_page).to_have_url(f"{url}/sets/{set_pk}/results/")
    candidate_row = manager_page.get_by_test_id("results").locator("tbody tr", has_text=CANDIDATE)
    expect(candidate_row.locator("td").nth(1)).to_have_text("invited")

    # --- The emailed link. The live server runs in a thread of this process, so the
    # locmem backend's outbox (pytest-django's `mailoutbox`) holds the message.
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [CANDIDATE]
    link = re.search(r"https?://\S+/assessments/([\w-]+)/", mailoutbox[0].body)
    assert link, mailoutbox[0].body
    token = link.group(1)
    assert AssessmentInvite.objects.get(email=CANDIDATE).token == token

    # --- Candidate: no account yet; signs up from the invite and comes back to it.
    candidate_page = new_page()
    candidate_page.goto(f"{url}/assessments/{token}/")
    candidate_page.get_by_role("link", name="Create an account").click()
    expect(candidate_page.get_by_label("Email")).to_have_value(CANDIDATE)  # prefilled from the invite
    candidate_page.get_by_label("Password:", exact=True).fill(CANDIDATE_PASSWORD)
    candidate_page.get_by_label("Password (again):").fill(CANDIDATE_PASSWORD)
    candidate_page.get_by_role("button", name="Sign Up").click()
    # The invitation link proved the address: no confirmation email, straight back to it.
    expect(candidate_page).to_have_url(f"{url}/assessments/{token}/")
    assert len(mailoutbox) == 1
    candidate_page.get_by_role("button", name="Start the assessment").click()

    for number, text in enumerate(ANSWERS, start=1):
        expect(candidate_page.get_by_role("heading", name=f"Question {number} of 3")).to_be_visible()
        assert_nothing_revealed(candidate_page)
        # Paste on the first question: the only one on a full page load, where interview.js
        # is initialised twice (DOMContentLoaded and htmx:load) and once reported each paste twice.
        answer(candidate_page, text, pasted=number == 1)
    expect(candidate_page.get_by_role("heading", name="Assessment submitted")).to_be_visible()
    assert_nothing_revealed(candidate_page)

    invite = AssessmentInvite.objects.select_related("session").get(token=token)
    session = invite.session
    assert session is not None and session.finished_at is not None
    # The paste arrives by sendBeacon, independently of the answer's request.
    assert wait_for(lambda: AssessmentEvent.objects.filter(session=session, kind="paste").exists(), timeout=10)
    assert AssessmentEvent.objects.filter(session=session, kind="paste").count() == 1

    # --- The worker grades all three answers.
    def all_graded() -> bool:
        return Grade.objects.filter(answer__session=session, status=Grade.Status.DONE).count() == 3

    assert wait_for(all_graded, timeout=60), list(Grade.objects.filter(answer__session=session).values("status"))

    # --- Reviewer: overrides one answer from the queue.
    reviewer_page = new_page()
    login(reviewer_page, url, reviewer.email)
    reviewer_page.goto(f"{url}/orgs/{organization.slug}/review/")
    queue_rows = reviewer_page.get_by_test_id("queue").locator("tbody tr")
    expect(queue_rows).to_have_count(3)
    expect(queue_rows.first).to_contain_text(CANDIDATE)
    queue_rows.first.get_by_role("link", name="Review").click()
    expect(reviewer_page.get_by_role("heading", name="Override the score")).to_be_visible()
    points = reviewer_page.locator("input[type=number]")
    assert points.count() >= 1
    for field in points.all():
        field.fill(field.get_attribute("max"))  # full marks on every criterion
    reviewer_page.get_by_label("Comment (kept beside the automatic grade)").fill("Clear and complete.")
    reviewer_page.get_by_role("button", name="Save override").click()
    expect(reviewer_page).to_have_url(f"{url}/orgs/{organization.slug}/review/")
    expect(queue_rows).to_have_count(2)

    reviewer_page.goto(f"{url}/transcripts/{session.pk}/")
    override = reviewer_page.get_by_test_id("override")
    expect(override).to_have_count(1)
    expect(override).to_contain_text("Clear and complete.")
    expect(reviewer_page.get_by_test_id("events")).to_contain_text("Paste")
    # Printed (or saved as PDF), the transcript drops the navigation and buttons and opens
    # the collapsed reference answers.
    reviewer_page.emulate_media(media="print")
    expect(reviewer_page.get_by_role("link", name="Override score").first).to_be_hidden()
    expect(reviewer_page.locator(".topbar")).to_be_hidden()
    expect(reviewer_page.locator("details .md").first).to_be_visible()
    assert reviewer_page.pdf()[:4] == b"%PDF"
    reviewer_page.emulate_media(media="screen")

    # --- Manager again: totals, agreement and the CSV.
    manager_page.goto(f"{url}/sets/{set_pk}/results/")
    expect(candidate_row.get_by_test_id("total")).to_have_text(re.compile(r"^\d+%$"))
    manager_page.get_by_test_id("agreement").scroll_into_view_if_needed()  # fetched when scrolled to
    mae = manager_page.get_by_test_id("agreement-mae")
    expect(mae).to_be_visible()
    assert 0 <= float(mae.inner_text()) <= 5

    with manager_page.expect_download() as download_info:
        manager_page.get_by_role("link", name="Download CSV").click()
    rows = list(csv.DictReader(io.StringIO(download_info.value.path().read_text(encoding="utf-8"))))
    assert "total_percent" in rows[0]
    (row,) = [r for r in rows if r["candidate"] == CANDIDATE]
    assert row["reviewed"] == "1"
    assert row["status"] == "finished"
    assert row["pastes"] == "1"
    assert row["total_percent"]
