"""The candidate's coding loop in headless Chromium, with a real `code` worker: write causal
attention in the CodeMirror editor, run the visible tests, submit, and read the per-case
results and the partial credit when the grade lands."""

import pytest
from playwright.sync_api import expect

from interviews.bank.coding_loader import sync_coding
from interviews.execution.spec import load_spec, read_files
from interviews.models import Answer, Draft, Question
from tests.e2e.conftest import start_worker, stop_worker, wait_for
from tests.e2e.test_interview_browser import log_in
from tests.execution.conftest import CODING_DIR, needs_sandbox
from tests.factories import InterviewSessionFactory, QuestionSetFactory, SkillFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True), needs_sandbox]

# Right for a batch of one (the visible case and one hidden case), wrong for larger batches:
# partial credit, 2 of 5 points.
BATCH_OF_ONE = """import math
import torch


def attention(q, k, v):
    d = q.shape[-1]
    scores = q[0] @ k[0].T / math.sqrt(d)
    n = scores.shape[-1]
    mask = torch.triu(torch.ones(n, n, dtype=torch.bool), diagonal=1)
    scores = scores.masked_fill(mask, float("-inf"))
    return (torch.softmax(scores, dim=-1) @ v[0]).unsqueeze(0)
"""


def attention_question() -> Question:
    directory = CODING_DIR / "causal-attention"
    spec = load_spec(directory)
    sync_coding([(spec, read_files(directory))], {slug: SkillFactory(slug=slug) for slug in spec.skills})
    return Question.objects.get(slug="causal-attention")


def test_a_candidate_writes_runs_and_submits_causal_attention(live_server, page, tmp_path):
    from config.celery import app

    app.control.purge()
    worker = start_worker(tmp_path / "code-worker.log", queue="code", BACKPROP_CODE_WORKER="1")
    try:
        user = UserFactory()
        question = attention_question()
        session = InterviewSessionFactory(candidate=user, question_set=QuestionSetFactory(questions=[question]))
        log_in(page, live_server, user)
        page.goto(f"{live_server.url}/interviews/{session.pk}/")

        # The editor replaces the textarea, starting from the starter code.
        editor = page.locator(".cm-editor .cm-content")
        expect(editor).to_contain_text("def attention(q: torch.Tensor")
        assert page.locator("textarea[name=text]").is_hidden()

        # Tab indents inside the editor...
        editor.click()
        page.keyboard.press("Control+End")
        page.keyboard.press("Enter")
        page.keyboard.press("Tab")
        assert page.locator("textarea[name=text]").input_value().endswith("\n    ")
        # ...and Escape then Tab leaves it, as the page says.
        page.keyboard.press("Escape")
        page.keyboard.press("Tab")
        assert page.evaluate("!document.activeElement.closest('.cm-editor')")

        editor.click()
        page.keyboard.press("Control+a")
        page.keyboard.insert_text(BATCH_OF_ONE)
        # The textarea behind the editor is what autosave (and a submit) sends.
        expect(page.get_by_text("Draft saved")).to_be_visible()

        # "Draft saved" may still be the earlier autosave's (the Tab above): wait for this one.
        # Trailing whitespace is the editor's (an indented empty last line), not the code.
        def saved():
            draft = Draft.objects.filter(session=session, question=question).first()
            # A form post sends a textarea's line breaks as CRLF (the HTML spec).
            return draft is not None and draft.text.replace("\r\n", "\n").rstrip() == BATCH_OF_ONE.rstrip()

        assert wait_for(saved, timeout=20), repr(Draft.objects.get(session=session, question=question).text)

        run = page.get_by_test_id("run-visible")
        run.click()
        expect(run).to_have_text("Running…")
        expect(page.get_by_test_id("code-run-summary")).to_have_text("Visible tests: 1 of 1 passed.", timeout=60_000)
        expect(run).to_have_text("Run visible tests")
        assert not Answer.objects.exists()  # a run is not an answer

        page.get_by_role("button", name="Submit answer").click()
        expect(page.get_by_text("Grading…")).to_be_visible()
        expect(page.get_by_test_id("score")).to_have_text("2.0", timeout=120_000)
        cases = page.get_by_test_id("code-case")
        expect(cases).to_have_count(4)
        expect(cases.filter(has_text="tiny")).to_contain_text("passed")
        expect(cases.filter(has_text="batched")).to_contain_text("hidden · 0/2 points")
        expect(page.get_by_test_id("code-summary")).to_contain_text("2 of 5 points: 2 of 4 cases passed")
        expect(page.locator("pre.code-answer")).to_contain_text("q[0] @ k[0].T")
        assert worker.poll() is None
    finally:
        stop_worker(worker)
