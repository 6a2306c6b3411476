"""Fault: the LLM endpoint failing 30% of calls, and one that accepts connections and never
answers (issue 13 item 6). A real worker grades with GRADER=llm; every answer is graded
within the documented limit (the grade's LLM budget, LLM_GRADE_BUDGET_SECONDS, then the
offline fallback, inside the task's GRADE_TIME_LIMIT_SECONDS), and every grade the LLM did
not give says so (fallback_reason, each criterion's graded_by)."""

import time

import pytest

from interviews.grading.service import submit_answer
from interviews.models import Grade
from tests.e2e.conftest import grading_routed_to, start_worker, stop_worker, wait_for
from tests.faults.conftest import all_graded, answer_text, burst_slots, on_postgresql, outcome, report, size
from tests.llm_stub import SilentEndpoint, StubLLM

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True), on_postgresql]
QUEUE = "faults-llm"
BUDGET_SECONDS = 4.0  # LLM_GRADE_BUDGET_SECONDS for the worker: all of a grade's calls
TIME_LIMIT_SECONDS = 30  # GRADE_TIME_LIMIT_SECONDS: the task's soft limit
OFFLINE_SECONDS = 10.0  # room for the offline fallback after the budget, on a busy CI machine


@pytest.fixture(params=["failing 30%", "never answering"])
def endpoint(request):
    if request.param == "failing 30%":
        server = StubLLM().start()
        server.flaky(0.3)
    else:
        server = SilentEndpoint().start()
    yield request.param, server
    server.stop()


def test_every_answer_is_graded_within_the_limit_and_fallbacks_are_labelled(
    django_db_setup, endpoint, tmp_path, capsys
):
    kind, server = endpoint
    count = int(size("LLM_SUBMISSIONS", 30) if kind == "failing 30%" else size("LLM_SILENT_SUBMISSIONS", 8))
    env = {
        "GRADER": "llm",
        "LLM_BASE_URL": server.base_url,
        "LLM_MODEL": "stub-model",
        "LLM_API_KEY": "test-key",
        "LLM_TIMEOUT_SECONDS": "1",
        "LLM_MAX_RETRIES": "3",
        "LLM_BACKOFF_SECONDS": "0.2",
        "LLM_GRADE_BUDGET_SECONDS": str(BUDGET_SECONDS),
        "GRADE_TIME_LIMIT_SECONDS": str(TIME_LIMIT_SECONDS),
    }
    log = tmp_path / "worker.log"
    slots = burst_slots(count)
    told_saved = {}
    with grading_routed_to(QUEUE, purge_after=True):
        worker = start_worker(log, queue=QUEUE, **env)
        try:
            started = time.monotonic()
            for i, (session, question) in enumerate(slots):
                submit_answer(session, question, answer_text(i), 30)
                told_saved[(session.pk, question.pk)] = answer_text(i)
            answer_ids = Grade.objects.filter(answer__session__in={s.pk for s, _ in slots}).values_list(
                "answer_id", flat=True
            )
            wait_for(lambda: all_graded(answer_ids), timeout=size("GRADE_TIMEOUT", 300), interval=0.5)
            elapsed = time.monotonic() - started
        finally:
            stop_worker(worker)

    result = outcome(told_saved, count)
    grades = list(Grade.objects.filter(answer_id__in=answer_ids, status=Grade.Status.DONE))
    by_llm = [g for g in grades if g.grader == "llm"]
    fallbacks = [g for g in grades if g.grader != "llm"]
    labelled = [
        g
        for g in fallbacks
        if g.fallback_reason.startswith("LLM grader unavailable")
        and g.needs_review
        and all(c["graded_by"] == "offline" for c in g.criteria)
    ]
    seconds = [(g.finished_at - g.started_at).total_seconds() for g in grades]
    report(
        capsys,
        f"LLM endpoint {kind}, {count} answers: {result.line()}, graded by the LLM {len(by_llm)}, "
        f"fallbacks {len(fallbacks)} (labelled {len(labelled)}), max grade time {max(seconds, default=0):.1f} s "
        f"(budget {BUDGET_SECONDS:.0f} s + offline, limit {TIME_LIMIT_SECONDS} s), all graded in {elapsed:.0f} s",
    )
    assert result.lost == 0 and result.stuck == 0 and result.failed == 0, log.read_text(errors="replace")[-3000:]
    assert result.graded_once == count
    assert len(labelled) == len(fallbacks)
    assert all(c["graded_by"] == "llm" for g in by_llm for c in g.criteria)
    assert not any(g.fallback_reason for g in by_llm)
    assert max(seconds) <= min(BUDGET_SECONDS + OFFLINE_SECONDS, TIME_LIMIT_SECONDS), seconds
    if kind == "never answering":
        assert not by_llm
    else:  # 30% failures, three retries: most grades still come from the LLM
        assert len(by_llm) >= count * 0.8
