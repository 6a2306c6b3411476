"""`make bench`: the budgets of DESIGN.md, measured on this machine.

1. posting -> plan, offline, for a ~1,000-word posting (after the model is loaded);
2. submit -> graded latency (p50/p95) and throughput with the offline grader, one
   Celery worker, PostgreSQL and Redis;
3. executable questions: NumPy and PyTorch submissions per minute, the sandbox's overhead
   (also alone: `python -m bench.run code`), a performance question's whole grade, and
   submit -> result for a NumPy question through the `code` queue and a real code worker
   (also alone: `python -m bench.run code-queue`).
4. the offline grader alone, one process with one thread as in a worker: answers/s on the
   golden set's answers and on long answers (wall clock, and per CPU-second, which is what
   one free core would give when other processes share the machine).
Prints a table; the README quotes the figures."""

import os
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("GRADER", "offline")
ROOT = Path(__file__).resolve().parent.parent
POSTINGS = ROOT.parent / "shared" / "postings"


def ensure_database() -> None:
    from django.conf import settings
    from django.db import connection

    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("postgresql"):
        import psycopg

        admin = psycopg.connect(
            host=db["HOST"], port=db["PORT"] or 5432, user=db["USER"], dbname="postgres", autocommit=True
        )
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]]).fetchone()
        if not exists:
            admin.execute(f'CREATE DATABASE "{db["NAME"]}"')
        admin.close()
    connection.close()


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def thousand_word_posting() -> str:
    texts = [p.read_text(encoding="utf-8") for p in sorted(POSTINGS.glob("*"))] if POSTINGS.exists() else []
    text = "\n".join(texts) or "Requirements:\n- PyTorch, CUDA kernels, SQL and pandas.\n" * 150
    words = text.split(" ")
    return " ".join(words[:1000])


def bench_planning() -> dict[str, float]:
    from accounts.models import User
    from interviews.planning.plan import PlanOptions, build_plan
    from interviews.postings.services import create_posting

    text = thousand_word_posting()
    user, _ = User.objects.get_or_create(email="bench@bench.invalid")
    create_posting(user, text, use_llm=False)  # loads the model and the taxonomy index
    times = []
    for _ in range(20):
        start = time.perf_counter()
        posting = create_posting(user, text, use_llm=False)
        build_plan(posting, user, PlanOptions(questions=10))
        times.append(time.perf_counter() - start)
    return {"words": len(text.split()), "p50_ms": 1000 * percentile(times, 50), "p95_ms": 1000 * percentile(times, 95)}


def bench_grading(log: Path) -> dict[str, float]:
    from accounts.models import User
    from config.celery import app
    from interviews.grading import datasets
    from interviews.grading.service import submit_answer
    from interviews.models import Grade, InterviewSession, Question, QuestionSet, QuestionSetItem
    from tests.e2e.conftest import start_worker, stop_worker

    # Prose questions: a coding answer goes to the code queue (measured by bench_code_queue).
    questions = list(Question.objects.usable().exclude(kind=Question.Kind.CODING).order_by("?")[:160])
    user, _ = User.objects.get_or_create(email="bench@bench.invalid")
    worker = start_worker(log, GRADER="offline")
    try:

        def new_session(qs: list[Question], candidate: User = user) -> InterviewSession:
            question_set = QuestionSet.objects.create(title="bench", owner=candidate)
            QuestionSetItem.objects.bulk_create(
                QuestionSetItem(question_set=question_set, question=q, order=i) for i, q in enumerate(qs)
            )
            return InterviewSession.objects.create(candidate=candidate, question_set=question_set)

        def wait(ids: list[int]) -> None:
            while Grade.objects.filter(pk__in=ids, status=Grade.Status.DONE).count() < len(ids):
                time.sleep(0.02)  # polling faster only loads the database the worker writes to

        # Latency: one answer at a time, as a candidate submits them.
        latency_session = new_session(questions[:60])
        latencies = []
        for q in questions[:60]:
            submission = submit_answer(latency_session, q, q.reference_answer[:600], 30)
            wait([submission.grade.pk])
            grade = Grade.objects.select_related("answer").get(pk=submission.grade.pk)
            latencies.append((grade.finished_at - grade.answer.submitted_at).total_seconds())
        latencies = latencies[10:]  # the first few warm the worker's caches
        # Throughput: a burst of 100 answers.
        burst = questions[60:160]
        burst_session = new_session(burst)
        start = time.perf_counter()
        ids = [submit_answer(burst_session, q, q.reference_answer[:600], 30).grade.pk for q in burst]
        wait(ids)
        elapsed = time.perf_counter() - start
    finally:
        stop_worker(worker)
    # Steady state: the golden set's answers (people's, of every quality) to bank questions
    # the worker has graded before, as when a cohort answers the same questions: the
    # questions' texts are in the worker's cache, each answer is new. One worker process,
    # then one worker with a process per core.
    golden = [(Question.objects.get(slug=r.group), r.item.answer) for r in datasets.golden()]
    seen = list({q.pk: q for q, _ in golden}.values())
    # A candidate per answer, as in a cohort: one person's answers share their summary rows
    # (skill scores, the day's score), which concurrent grades must take turns to update.
    cohort = [User.objects.get_or_create(email=f"bench-{i}@bench.invalid")[0] for i in range(len(golden))]
    rates: dict[tuple[str, int], float] = {}
    for concurrency in (1, 2):
        # "submitted": answers submitted by this process while the worker grades them (both
        # share the two cores); "backlog": the worker alone, draining answers queued while it
        # consumed nothing. Each with a fresh worker, so no answer's embedding is cached.
        for mode in ("submitted", "backlog"):
            worker = start_worker(log, GRADER="offline", concurrency=concurrency)
            try:
                for _ in range(concurrency):  # each process sees each question (most likely)
                    warm_session = new_session(seen)
                    wait([submit_answer(warm_session, q, q.reference_answer[:600], 30).grade.pk for q in seen])
                # A session per answer: a question takes one answer per session.
                sessions = [new_session([q], c) for c, (q, _) in zip(cohort, golden, strict=True)]
                if mode == "backlog":
                    app.control.cancel_consumer("celery", reply=True, limit=1, timeout=10)
                start = time.perf_counter()
                golden_ids = [submit_answer(s, q, t, 30).grade.pk for s, (q, t) in zip(sessions, golden, strict=True)]
                if mode == "backlog":
                    start = time.perf_counter()
                    app.control.add_consumer("celery", reply=True, limit=1, timeout=10)
                wait(golden_ids)
                rates[mode, concurrency] = len(golden_ids) / (time.perf_counter() - start)
            finally:
                stop_worker(worker)
    return {
        "n": len(latencies),
        "p50_ms": 1000 * percentile(latencies, 50),
        "p95_ms": 1000 * percentile(latencies, 95),
        "throughput_per_s": len(ids) / elapsed,
        "burst": len(ids),
        "burst_words": sum(len(q.reference_answer[:600].split()) for q in burst) / max(1, len(burst)),
        "steady_per_s": rates["submitted", 1],
        "steady_two_processes_per_s": rates["submitted", 2],
        "backlog_per_s": rates["backlog", 1],
        "backlog_two_processes_per_s": rates["backlog", 2],
        "steady_n": len(golden),
        "steady_words": sorted(len(text.split()) for _, text in golden)[len(golden) // 2],
        "load": os.getloadavg()[0],
    }


def bench_offline_grader() -> dict[str, dict[str, float]]:
    """Grade answers one at a time in this process, their questions' texts already cached
    (as in a worker that has graded the question before)."""
    from django.conf import settings

    from interviews import embeddings
    from interviews.grading import datasets
    from interviews.grading.offline import OfflineGrader

    embeddings.limit_threads(settings.GRADING_TORCH_THREADS)
    grader = OfflineGrader()
    golden = [r.item for r in datasets.golden()]
    # Long answers: three golden answers to other questions joined, ~150 words.
    long = [
        replace(item, answer="\n".join(golden[(i + k) % len(golden)].answer for k in range(3)))
        for i, item in enumerate(golden)
    ]
    results = {}
    for name, items in (("golden answers", golden), ("long answers", long)):
        grader.grade(items[0])
        wall = cpu = 0.0
        for item in items:
            # Only the question's texts are cached (sentences recur across these answers).
            embeddings.clear_token_cache()
            embeddings.encode(
                [c for c, _ in item.rubric]
                + embeddings.sentences(item.reference_answer)
                + embeddings.sentences(item.question)
            )
            started, started_cpu = time.perf_counter(), time.process_time()
            grader.grade(item)
            wall += time.perf_counter() - started
            cpu += time.process_time() - started_cpu
        words = sorted(len(item.answer.split()) for item in items)
        results[name] = {
            "n": len(items),
            "median_words": words[len(words) // 2],
            "per_s": len(items) / wall,
            "per_cpu_s": len(items) / cpu,
            "load": os.getloadavg()[0],
        }
    return results


def time_pages(client: Any, pages: dict[str, str], runs: int) -> dict[str, dict[str, float]]:
    """p50 and p99 of each page, after one warm-up request."""
    results = {}
    for name, url in pages.items():
        client.get(url)
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            assert client.get(url).status_code == 200
            times.append(time.perf_counter() - start)
        results[name] = {"p50_ms": 1000 * percentile(times, 50), "p99_ms": 1000 * percentile(times, 99)}
    return results


def bench_pages(answers: int = 5000) -> dict[str, dict[str, float]]:
    """Dashboard and interview pages for a candidate with `answers` graded answers."""
    from datetime import timedelta

    from django.test import Client
    from django.utils import timezone

    from accounts.models import User
    from interviews.models import Answer, Grade, InterviewSession, Question, QuestionSet, QuestionSetItem

    user = User.objects.filter(email="heavy@bench.invalid").first()
    if user is None:
        user = User.objects.create_user(email="heavy@bench.invalid", password="bench-password-1")
        questions = list(Question.objects.usable())
        now = timezone.now()
        for start in range(0, answers, len(questions)):
            chunk = questions[: min(len(questions), answers - start)]
            question_set = QuestionSet.objects.create(title="history", owner=user)
            QuestionSetItem.objects.bulk_create(
                QuestionSetItem(question_set=question_set, question=q, order=i) for i, q in enumerate(chunk)
            )
            session = InterviewSession.objects.create(candidate=user, question_set=question_set)
            made = Answer.objects.bulk_create(
                Answer(session=session, question=q, text="answer " * 40, submitted_at=now - timedelta(hours=start + i))
                for i, q in enumerate(chunk)
            )
            Grade.objects.bulk_create(
                Grade(answer=a, status=Grade.Status.DONE, score=(i % 6), grader="offline") for i, a in enumerate(made)
            )
    # A new five-question interview for this candidate, two questions answered and graded.
    from interviews.planning.plan import start_practice

    session = start_practice(user, "bench interview", list(Question.objects.usable()[:5]))
    for q in session.ordered_questions()[:2]:
        answer = Answer.objects.create(session=session, question=q, text="An answer.\n\n```python\nx = 1\n```")
        Grade.objects.create(answer=answer, status=Grade.Status.DONE, score=3, grader="offline")
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    pages = {"dashboard (progress)": "/progress/", "interview page": f"/interviews/{session.pk}/"}
    return time_pages(client, pages, runs=40)


def bench_team_pages(candidates: int = 200, per_set: int = 6) -> dict[str, dict[str, float]]:
    """Results, CSV, review queue and transcript for a team set taken by `candidates` people."""
    from django.test import Client

    from accounts.models import Membership, Organization, User
    from hiring.models import AssessmentEvent, AssessmentInvite, ScoreOverride
    from hiring.services import builder
    from interviews.models import Answer, Grade, InterviewSession, Question, QuestionSet, QuestionSetItem

    organization, _ = Organization.objects.get_or_create(slug="bench-team", defaults={"name": "Bench team"})
    manager = User.objects.filter(email="manager@bench.invalid").first() or User.objects.create_user(
        email="manager@bench.invalid", password="bench-password-1"
    )
    Membership.objects.get_or_create(user=manager, organization=organization, defaults={"role": "manager"})
    team_set = builder.team_sets(organization).first()
    if team_set is None:
        team_set = QuestionSet.objects.create(title="Bench set", organization=organization, time_limit_minutes=60)
        questions = list(Question.objects.usable().prefetch_related("criteria")[:per_set])
        for q in questions:
            builder.add_question(team_set, q)
        for n in range(candidates):
            candidate = User.objects.create_user(email=f"cand{n}@bench.invalid")
            frozen = QuestionSet.objects.create(title="Bench set", organization=organization, template=team_set)
            QuestionSetItem.objects.bulk_create(
                QuestionSetItem(question_set=frozen, question=q, order=i) for i, q in enumerate(questions)
            )
            session = InterviewSession.objects.create(candidate=candidate, question_set=frozen, mode="assessment")
            AssessmentInvite.objects.create(question_set=team_set, email=candidate.email, session=session)
            answers = Answer.objects.bulk_create(
                Answer(session=session, question=q, text="answer " * 60, time_spent_seconds=90) for q in questions
            )
            grades = Grade.objects.bulk_create(
                Grade(
                    answer=a,
                    status=Grade.Status.DONE,
                    score=(n + i) % 6,
                    confidence=0.3 + 0.1 * ((n + i) % 7),
                    grader="offline",
                    rubric_version=a.question.rubric_version(),
                    criteria=[
                        {
                            "criterion": c.text,
                            "points": c.points / 2,
                            "max_points": c.points,
                            "evidence": "",
                            "feedback": "",
                        }
                        for c in a.question.criteria.all()
                    ],
                )
                for i, a in enumerate(answers)
            )
            if n % 4 == 0:  # a quarter of the candidates have one reviewed answer
                ScoreOverride.objects.create(
                    answer=answers[0], grade=grades[0], reviewer=manager, score=3, comment="ok"
                )
            AssessmentEvent.objects.create(session=session, kind="paste", chars=200)
    client = Client(HTTP_HOST="localhost")
    client.force_login(manager)
    session_pk = InterviewSession.objects.filter(question_set__template=team_set).values_list("pk", flat=True)[0]
    pages = {
        "results page (page of 50)": f"/sets/{team_set.pk}/results/",
        "results CSV (all 200)": f"/sets/{team_set.pk}/results.csv",
        "review queue (top 100 of 1,150)": f"/orgs/{organization.slug}/review/",
        "transcript": f"/transcripts/{session_pk}/",
    }
    return time_pages(client, pages, runs=20)


def bench_code() -> dict[str, float] | str:
    """Executable questions, as the code worker runs them (sandbox, reference in-process),
    without the queue: NumPy and PyTorch submissions graded one after another, and the
    sandbox's own cost (a sandboxed `python -c pass` against a bare one)."""
    import statistics
    import subprocess

    from interviews.execution import sandbox
    from interviews.execution.runner import grade
    from interviews.execution.spec import load_spec

    if sandbox.availability():
        return sandbox.availability()
    _, venv = sandbox.python_paths()
    bare, boxed = [], []
    for _ in range(10):
        started = time.perf_counter()
        subprocess.run([f"{venv}/bin/python", "-I", "-c", "pass"], env={}, check=True)
        bare.append(time.perf_counter() - started)
        started = time.perf_counter()
        sandbox.run({"x.py": b"pass"}, [f"{venv}/bin/python", "-I", "/task/x.py"], sandbox.Limits())
        boxed.append(time.perf_counter() - started)
    coding = ROOT / "interviews" / "bank" / "coding"
    figures: dict[str, float] = {
        "sandbox_overhead_ms": (statistics.median(boxed) - statistics.median(bare)) * 1000,
    }
    for label, slug, n in (("numpy", "stable-softmax", 20), ("torch", "causal-attention", 4)):
        spec = load_spec(coding / slug)
        times = []
        for _ in range(n):
            started = time.perf_counter()
            result = grade(spec, spec.reference)
            times.append(time.perf_counter() - started)
            assert result.score == result.max_points, result
        figures[f"{label}_p50_ms"] = percentile(times, 50) * 1000
        figures[f"{label}_p95_ms"] = percentile(times, 95) * 1000
        figures[f"{label}_per_minute"] = 60 * n / sum(times)
        figures[f"{label}_cases"] = len(spec.cases)
    # A performance question's whole grade: its cases, then both sides timed in their own
    # sandboxes (warm-up and alternating rounds, more when the reference is noisy).
    spec = load_spec(coding / "pairwise-distances")
    times, rounds = [], []
    for _ in range(3):
        started = time.perf_counter()
        result = grade(spec, spec.reference)
        times.append(time.perf_counter() - started)
        assert result.performance is not None and result.performance["median_ratio"] is not None, result
        rounds.append(len(result.performance["ratios"]))
    figures["performance_grade_ms"] = statistics.median(times) * 1000
    figures["performance_rounds"] = statistics.median(rounds)
    return figures


def bench_code_queue(log: Path, n: int = 20) -> dict[str, float] | str:
    """Submit -> result for a NumPy question through the `code` queue and a real code worker
    (started as the Procfile starts it), one submission at a time as candidates send them:
    from the answer's submit time to the grade's finish time, as stored."""
    from accounts.models import User
    from interviews.execution import sandbox
    from interviews.grading.service import submit_answer
    from interviews.models import Grade, InterviewSession, Question, QuestionSet, QuestionSetItem
    from tests.e2e.conftest import start_worker, stop_worker

    if sandbox.availability():
        return sandbox.availability()
    question = Question.objects.get(slug="stable-softmax")
    from interviews.bank.coding_loader import spec_of

    source = spec_of(question).reference
    user, _ = User.objects.get_or_create(email="bench@bench.invalid")
    worker = start_worker(log, queue="code", BACKPROP_CODE_WORKER="1")
    latencies = []
    try:
        for _ in range(n + 2):
            question_set = QuestionSet.objects.create(title="bench code", owner=user)
            QuestionSetItem.objects.create(question_set=question_set, question=question, order=0)
            session = InterviewSession.objects.create(candidate=user, question_set=question_set)
            pk = submit_answer(session, question, source, 30).grade.pk
            while not Grade.objects.filter(pk=pk, status__in=[Grade.Status.DONE, Grade.Status.FAILED]).exists():
                time.sleep(0.02)  # polling faster only loads the database the worker writes to
            grade = Grade.objects.select_related("answer").get(pk=pk)
            assert grade.status == Grade.Status.DONE and grade.score == 5, (grade.status, grade.score)
            latencies.append((grade.finished_at - grade.answer.submitted_at).total_seconds())
    finally:
        stop_worker(worker)
    latencies = latencies[2:]  # the first ones import NumPy in the worker
    return {"n": len(latencies), "p50_ms": 1000 * percentile(latencies, 50), "p95_ms": 1000 * percentile(latencies, 95)}


def print_code_queue(figures: dict[str, float] | str) -> None:
    if isinstance(figures, str):
        print(f"code queue: skipped ({figures})")
        return
    print(
        f"numpy submit -> result through the code queue (1 code worker, n={figures['n']:.0f}): "
        f"p50 {figures['p50_ms']:.0f} ms, p95 {figures['p95_ms']:.0f} ms"
    )


def print_code(figures: dict[str, float] | str) -> None:
    if isinstance(figures, str):
        print(f"code submissions: skipped ({figures})")
        return
    print(f"sandbox overhead per sandboxed process (one per submission): {figures['sandbox_overhead_ms']:.0f} ms")
    for label in ("numpy", "torch"):
        cases, p50, p95 = (figures[f"{label}_{k}"] for k in ("cases", "p50_ms", "p95_ms"))
        print(
            f"{label} submission ({cases:.0f} cases, 1 worker): p50 {p50:.0f} ms, p95 {p95:.0f} ms; "
            f"{figures[f'{label}_per_minute']:.1f} graded per minute"
        )
    print(
        f"performance question (pairwise-distances, cases + timing, median of 3): "
        f"{figures['performance_grade_ms']:.0f} ms, {figures['performance_rounds']:.0f} timed rounds a side"
    )


def main() -> None:
    sys.path.insert(0, str(ROOT))
    if sys.argv[1:] == ["code"]:
        # `python -m bench.run code`: the code-execution figures alone (no database needed).
        django.setup()
        print_code(bench_code())
        return
    if sys.argv[1:] == ["code-queue"]:
        # `python -m bench.run code-queue`: submit -> result through the code queue, on the
        # configured database and broker (SQLite and the filesystem broker when unset).
        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        call_command("load_bank", verbosity=0)
        log = ROOT / "var" / "bench-code-worker.log"
        log.unlink(missing_ok=True)
        print_code_queue(bench_code_queue(log))
        return
    django.setup()
    ensure_database()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_bank", verbosity=0)
    from django.conf import settings

    print(
        f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}, broker: "
        f"{settings.CELERY_BROKER_URL.split('://')[0]}, cores: {os.cpu_count()}"
    )
    for name, f in bench_offline_grader().items():
        print(
            f"offline grader alone, 1 process x 1 thread, {f['n']:.0f} {name} (median {f['median_words']:.0f} words): "
            f"{f['per_s']:.1f} answers/s, {f['per_cpu_s']:.1f} per CPU-second (load {f['load']:.1f})"
        )
    plan = bench_planning()
    print(f"posting -> plan (offline, {plan['words']} words): p50 {plan['p50_ms']:.0f} ms, p95 {plan['p95_ms']:.0f} ms")
    import gc

    gc.freeze()  # as config/wsgi.py does in a web process
    for name, figures in bench_pages().items():
        p50, p99 = figures["p50_ms"], figures["p99_ms"]
        print(f"{name}, candidate with 5,000 graded answers: p50 {p50:.0f} ms, p99 {p99:.0f} ms")
    for name, figures in bench_team_pages().items():
        p50, p99 = figures["p50_ms"], figures["p99_ms"]
        print(f"{name}, set taken by 200 candidates x 6 questions: p50 {p50:.0f} ms, p99 {p99:.0f} ms")
    log = ROOT / "var" / "bench-worker.log"
    log.unlink(missing_ok=True)
    grading = bench_grading(log)
    print(
        f"submit -> graded (offline, 1 worker, n={grading['n']}): p50 {grading['p50_ms']:.0f} ms, "
        f"p95 {grading['p95_ms']:.0f} ms; throughput {grading['throughput_per_s']:.1f} answers/s "
        f"(a burst of {grading['burst']:.0f} answers of ~{grading['burst_words']:.0f} words, each to a question "
        f"the worker had not seen); {grading['steady_per_s']:.1f} answers/s for the {grading['steady_n']:.0f} golden "
        f"answers (median {grading['steady_words']:.0f} words) to questions it had graded before, "
        f"{grading['steady_two_processes_per_s']:.1f} with --concurrency 2 (load {grading['load']:.1f}); "
        f"the worker alone, draining a backlog of the same answers: {grading['backlog_per_s']:.1f} answers/s, "
        f"{grading['backlog_two_processes_per_s']:.1f} with --concurrency 2"
    )
    print_code(bench_code())
    code_log = ROOT / "var" / "bench-code-worker.log"
    code_log.unlink(missing_ok=True)
    print_code_queue(bench_code_queue(code_log))


if __name__ == "__main__":
    main()
