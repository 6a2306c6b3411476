""" "Run visible tests": the candidate's code against a question's visible cases, for feedback
before submitting. Nothing is graded or stored and the answer is not used up; the run happens
in the web request, so each user gets one run at a time and a few a minute."""

import time

from django.conf import settings
from django.core.cache import cache

from interviews.execution.runner import RunResult, grade
from interviews.execution.spec import build_spec
from interviews.models import Question

_now = time.time  # a name the tests can replace without touching the time module


class RunLimited(Exception):
    """The user already has a run going, or has used this minute's runs."""


def run_visible(user_id: int, question: Question, source: str) -> RunResult:
    # Counted in the default cache: Redis in production, so the limit holds across web
    # processes; per-process memory in a local run.
    busy = f"code-run:busy:{user_id}"
    if not cache.add(busy, 1, timeout=settings.CODE_VISIBLE_RUN_SECONDS + 30):
        raise RunLimited("Your previous run is still going: its results appear here when it finishes.")
    try:
        # A window that opens with the user's first run and lasts a minute, not the clock's
        # minute: with clock minutes, runs either side of a boundary escape the limit. The
        # busy key above makes a user's runs one at a time, so this read-then-write is safe.
        now = _now()
        counter, opened = f"code-run:count:{user_id}", f"code-run:opened:{user_id}"
        opened_at = cache.get(opened)
        if opened_at is None or now - opened_at >= 60:
            opened_at = now
            cache.set(opened, now, timeout=60)
            cache.set(counter, 0, timeout=70)  # outlives the window: incr never meets a missing key
        if cache.incr(counter) > settings.CODE_VISIBLE_RUNS_PER_MINUTE:
            wait = max(1, 60 - int(now - opened_at))
            raise RunLimited(
                f"You can run the visible tests {settings.CODE_VISIBLE_RUNS_PER_MINUTE} times a minute: "
                f"try again in {wait} s. Submitting is not limited."
            )
        spec = build_spec(question.slug, question.coding_files)
        return grade(spec, source, visible_only=True, total_seconds=settings.CODE_VISIBLE_RUN_SECONDS)
    finally:
        cache.delete(busy)


def run_context(run: RunResult | None, error: str = "") -> dict[str, object]:
    """What templates/interviews/_code_run.html shows."""
    if run is None:
        return {"run": None, "run_error": error}
    cases = [
        {**case.public(), "passed": case.status == "passed", "status": case.message or case.status}
        for case in run.cases
    ]
    return {"run": run, "run_error": error, "run_cases": cases, "run_passed": sum(c["passed"] for c in cases)}
