"""`make bench-scale` (`python -m bench.scale [--answers N ...]`): the pages people open
often, on a busy installation (seed_scale: 10,000 candidates and 1M graded answers by
default), on PostgreSQL.

1. Seeds the database named by DATABASE_URL (default backprop_scale) with `seed_scale`,
   or reuses it when it already holds the same sizes (recorded on the database itself);
   other sizes drop and recreate it. The database is the bench's own.
2. Latency: each page 300 times (--runs) in this process through the WSGI application (as
   gunicorn calls it, with its garbage-collector set-up), as the busiest person who opens
   it (the candidate with the most answers, the manager and a reviewer of the team with
   the most sets): p50 and p99.
3. Throughput: gunicorn with 2 workers (as Procfile.production), DEBUG off, loaded by
   `wrk` (or a small threaded client when wrk is not installed) for a few seconds per page,
   and a bare view (/health/, through the same middleware) in the same run: each page's
   requests per second as a share of the bare view's. A signed-in view that only loads the
   session and the user (bench/urls.py) is the ceiling for every signed-in page.
Prints a Markdown table (the README quotes it) and writes var/bench-scale.json."""

import argparse
import gc
import io
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

import django

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/backprop_scale")
os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
ROOT = Path(__file__).resolve().parent.parent
SIZE_NAMES = ("candidates", "answers", "teams", "sets", "attempts")
# Requests timed per page. The p99 of 50 requests is their maximum (one stray pause sets it);
# of 300, it is the third slowest.
RUNS = 300
LOAD_SECONDS = 5
CONNECTIONS = 4


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


# -- the database -------------------------------------------------------------------------
def seeded_report() -> dict[str, Any] | None:
    """What seed_scale recorded on the database, None if it was never seeded."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = current_database()"
        )
        comment = cursor.fetchone()[0]
    return json.loads(comment)["seed_scale"] if comment and comment.startswith("{") else None


def prepare(sizes: dict[str, int]) -> dict[str, Any]:
    import psycopg
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    db = settings.DATABASES["default"]
    admin = psycopg.connect(
        host=db["HOST"], port=db["PORT"] or 5432, user=db["USER"], password=db["PASSWORD"] or None,
        dbname="postgres", autocommit=True,
    )  # fmt: skip
    exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]]).fetchone()
    report = None
    if exists:
        report = seeded_report()
        connection.close()
        if report is None or report["sizes"] != sizes:
            print(f"dropping {db['NAME']} (seeded with {report['sizes'] if report else 'nothing'})")
            admin.execute(f'DROP DATABASE "{db["NAME"]}" WITH (FORCE)')
            exists, report = None, None
    if not exists:
        admin.execute(f'CREATE DATABASE "{db["NAME"]}"')
    admin.close()
    call_command("migrate", verbosity=0)
    if report is None:
        call_command("seed_scale", **sizes)
        report = seeded_report()
        assert report is not None
    else:
        print(f"reusing {db['NAME']}: seeded in {report['seconds']} s with {report['sizes']}")
    return report


# -- who opens what -----------------------------------------------------------------------
def pages_and_people(report: dict[str, Any]) -> tuple[dict[str, tuple[str, str]], dict[str, Any]]:
    """{page name: (url, persona)} and {persona: user}."""
    from django.db.models import Count

    from accounts.models import Membership, Organization, User
    from interviews.models import Answer, Grade, InterviewSession, Posting, Question

    candidate = User.objects.get(email=report["busiest_candidate"])
    team = Organization.objects.get(slug=report["biggest_team"])
    manager = Membership.objects.get(organization=team, role="manager").user
    reviewer = Membership.objects.filter(organization=team, role="reviewer").order_by("pk").first()
    posting = Posting.objects.for_practice(candidate).order_by("pk").first()
    assert posting is not None, "seed_scale gives the busiest candidate postings"
    interview = InterviewSession.objects.filter(candidate=candidate, question_set__title="Bench interview").first()
    if interview is None:
        # An interview in progress: five questions, two answered and graded.
        from interviews.planning.plan import start_practice

        interview = start_practice(candidate, "Bench interview", list(Question.objects.usable().order_by("pk")[:5]))
        for q in interview.ordered_questions()[:2]:
            answer = Answer.objects.create(session=interview, question=q, text="An answer.\n\n```python\nx = 1\n```")
            Grade.objects.create(answer=answer, status=Grade.Status.DONE, score=3, grader="offline").count()
    results_set = (
        team.question_sets.filter(template=None).annotate(taken=Count("copies")).order_by("-taken", "pk").first()
    )
    assert results_set is not None
    transcript = (
        InterviewSession.objects.filter(question_set__template=results_set, finished_at__isnull=False)
        .annotate(answered=Count("answers"))
        .order_by("-answered", "pk")
        .first()
    )
    assert transcript is not None
    taken = results_set.copies.count()  # type: ignore[attr-defined]
    # Someone who has just signed up: a page's fixed cost (session, user, layout, empty
    # queries), the floor under every signed-in page's share of the bare view.
    newcomer = User.objects.filter(email="bench-newcomer@scale.invalid").first() or User.objects.create_user(
        "bench-newcomer@scale.invalid"
    )
    pages = {
        # Session and user loaded, nothing else: the ceiling for every signed-in page.
        "signed in, no page (session and user only)": ("/bench/signed-in/", "newcomer"),
        "dashboard, just signed up": ("/dashboard/", "newcomer"),
        "dashboard": ("/dashboard/", "candidate"),
        "progress": ("/progress/", "candidate"),
        "posting": (f"/postings/{posting.pk}/", "candidate"),
        "interview": (f"/interviews/{interview.pk}/", "candidate"),
        f"results (first page of {taken} attempts)": (f"/sets/{results_set.pk}/results/", "manager"),
        # The results page's last section, asked for when scrolled to; timed as its own page
        # (without JavaScript, the section's link opens it), which costs a little more.
        "results' agreement figures": (f"/sets/{results_set.pk}/results/agreement/", "manager"),
        "transcript": (f"/transcripts/{transcript.pk}/", "manager"),
        "review queue": (f"/orgs/{team.slug}/review/", "reviewer"),
        f"CSV export ({taken} attempts)": (f"/sets/{results_set.pk}/results.csv", "manager"),
    }
    people = {
        "newcomer": newcomer,
        "candidate": candidate,
        "manager": manager,
        "reviewer": reviewer.user if reviewer else manager,
    }
    return pages, people


def describe(report: dict[str, Any], people: dict[str, Any]) -> dict[str, int]:
    from hiring.services.overrides import in_review_order
    from interviews.models import Answer, InterviewSession

    team = people["manager"].memberships.get().organization
    return {
        "candidate's practice answers": Answer.objects.filter(
            session__candidate=people["candidate"], session__mode=InterviewSession.Mode.PRACTICE
        ).count(),
        "team's assessment answers": Answer.objects.filter(session__question_set__organization=team).count(),
        "review queue length": in_review_order(team).count(),
    }


# -- latency, in process ------------------------------------------------------------------
def wsgi_get(app: Any, url: str, cookie: str) -> None:
    """GET through the WSGI application as gunicorn calls it (not the test client, which
    also records every template rendered with its context); it must answer 200."""
    path, _, query = url.partition("?")
    environ = {
        "REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": query, "SERVER_NAME": "localhost",
        "SERVER_PORT": "80", "HTTP_HOST": "localhost", "HTTP_COOKIE": cookie, "wsgi.input": io.BytesIO(b""),
        "wsgi.url_scheme": "http",
    }  # fmt: skip
    status: list[str] = []
    response = app(environ, lambda s, headers, exc_info=None: status.append(s))
    try:
        b"".join(response)
    finally:
        response.close()  # sends request_finished, as a server does
    assert status[0].startswith("200"), (url, status)


def latency(pages: dict[str, tuple[str, str]], people: dict[str, Any], runs: int = RUNS) -> dict[str, dict[str, float]]:
    from django.core.handlers.wsgi import WSGIHandler

    from config.gc_freeze import compile_templates, freeze_now

    app = WSGIHandler()
    cookies = {persona: session_cookie(user) for persona, user in people.items()}
    # As a web process (config/wsgi.py, config/gc_freeze.py): templates compiled and
    # start-up frozen; then, once the pages have been served, frozen again.
    compile_templates()
    gc.freeze()
    for url, persona in pages.values():
        for _ in range(2):  # warm-up
            wsgi_get(app, url, cookies[persona])
    freeze_now()
    results = {}
    for name, (url, persona) in pages.items():
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            wsgi_get(app, url, cookies[persona])
            times.append(time.perf_counter() - start)
        results[name] = {"p50_ms": 1000 * percentile(times, 50), "p99_ms": 1000 * percentile(times, 99)}
        print(f"  {name}: p50 {results[name]['p50_ms']:.1f} ms, p99 {results[name]['p99_ms']:.1f} ms", flush=True)
    return results


# -- throughput, against gunicorn ----------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cpu_seconds(pids: list[int]) -> float:
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, IndexError):
            pass
    return total


def wait_until_idle(master: int, timeout: float = 180) -> None:
    """Until the workers have finished loading (the embedding model loads in the background
    as a web process starts): their CPU time stops growing."""
    deadline = time.monotonic() + timeout
    last = -1.0
    while time.monotonic() < deadline:
        children = [int(p) for p in Path(f"/proc/{master}/task/{master}/children").read_text().split()]
        used = cpu_seconds(children)
        if used - last < 0.05 and len(children) == 2:
            return
        last = used
        time.sleep(2)


def start_gunicorn(port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DEBUG": "false",
        "LOG_LEVEL": "WARNING",
        "DB_CONN_MAX_AGE": os.environ.get("DB_CONN_MAX_AGE", "60"),
    }
    process = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "config.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", "2", "--timeout", "60", "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=open(ROOT / "var" / "bench-scale-gunicorn.log", "wb"),  # noqa: SIM115
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/health/", timeout=2).read()
            break
        except OSError:
            time.sleep(0.3)
    else:
        process.terminate()
        raise RuntimeError("gunicorn did not answer /health/ within 60 s (see var/bench-scale-gunicorn.log)")
    wait_until_idle(process.pid)
    return process


def session_cookie(user: Any) -> str:
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def requests_per_second(url: str, cookie: str | None) -> float:
    # Every page must answer 200 to the very client that loads it.
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    assert urllib.request.urlopen(request, timeout=30).status == 200, url
    if shutil.which("wrk"):
        headers = ["-H", f"Cookie: {cookie}"] if cookie else []
        out = subprocess.run(
            ["wrk", "-t", "2", "-c", str(CONNECTIONS), "-d", f"{LOAD_SECONDS}s", "--timeout", "30s", *headers, url],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        assert "Non-2xx" not in out, out
        return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    return threaded_client(url, cookie)


def threaded_client(url: str, cookie: str | None) -> float:
    """wrk's job in Python, for machines without it: CONNECTIONS keep-alive connections."""
    import http.client
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    stop = time.monotonic() + LOAD_SECONDS
    counts = [0] * CONNECTIONS

    def run(i: int) -> None:
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        while time.monotonic() < stop:
            conn.request("GET", parts.path, headers={"Cookie": cookie} if cookie else {})
            response = conn.getresponse()
            response.read()
            assert response.status == 200
            counts[i] += 1

    threads = [threading.Thread(target=run, args=(i,)) for i in range(CONNECTIONS)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(counts) / (time.monotonic() - started)


def throughput(pages: dict[str, tuple[str, str]], people: dict[str, Any]) -> dict[str, float]:
    cookies = {persona: session_cookie(user) for persona, user in people.items()}
    port = free_port()
    process = start_gunicorn(port)
    base = f"http://127.0.0.1:{port}"
    try:
        results = {"bare view (/health/)": requests_per_second(f"{base}/health/", None)}
        for name, (url, persona) in pages.items():
            results[name] = requests_per_second(base + url, cookies[persona])
            print(f"  {name}: {results[name]:.1f} requests/s", flush=True)
        results["bare view (/health/), again"] = requests_per_second(f"{base}/health/", None)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(30)
    return results


# -- the report ---------------------------------------------------------------------------
def table(
    report: dict[str, Any], described: dict[str, int], lat: dict[str, dict[str, float]], tput: dict[str, float]
) -> str:
    bare = (tput["bare view (/health/)"] + tput["bare view (/health/), again"]) / 2
    sizes = report["sizes"]
    counts = report["counts"]
    lines = [
        f"Seeded {counts['interviews_answer']:,} answers ({counts['interviews_grade']:,} grades) for "
        f"{sizes['candidates']:,} candidates, {sizes['teams']} teams, {sizes['sets']:,} sets, "
        f"{sizes['attempts']:,} attempts, {counts['hiring_scoreoverride']:,} overrides in {report['seconds']} s.",
        "; ".join(f"{k}: {v:,}" for k, v in described.items()) + ".",
        f"Bare view: {bare:.0f} requests/s (gunicorn -w 2, {CONNECTIONS} connections, {os.cpu_count()} cores, "
        f"load {os.getloadavg()[0]:.1f}).",
        "",
        "| page | p50 ms | p99 ms | requests/s | share of bare view |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for name, figures in lat.items():
        rps = tput.get(name)
        share = f"{100 * rps / bare:.0f}%" if rps else ""
        lines.append(f"| {name} | {figures['p50_ms']:.1f} | {figures['p99_ms']:.1f} | {rps or 0:.1f} | {share} |")
    return "\n".join(lines)


def main() -> None:
    defaults = {"candidates": 10_000, "answers": 1_000_000, "teams": 200, "sets": 1_000, "attempts": 50_000}
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for name in SIZE_NAMES:
        parser.add_argument(f"--{name}", type=int, default=defaults[name])
    parser.add_argument("--no-load", action="store_true", help="latency only: skip gunicorn and the load test")
    parser.add_argument("--runs", type=int, default=RUNS, help=f"requests timed per page (default {RUNS})")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    # The project's settings and URLs plus bench/urls.py's floor for signed-in pages; the
    # gunicorn it starts inherits them.
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    django.setup()
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("bench-scale needs PostgreSQL: set DATABASE_URL=postgres://...")
    report = prepare({name: getattr(args, name) for name in SIZE_NAMES})
    pages, people = pages_and_people(report)
    described = describe(report, people)
    print("latency (the WSGI application, in process):", flush=True)
    lat = latency(pages, people, args.runs)
    tput: dict[str, float] = {"bare view (/health/)": 0.0, "bare view (/health/), again": 0.0}
    if not args.no_load:
        print("throughput (gunicorn -w 2):", flush=True)
        tput = throughput(pages, people)
    out = table(report, described, lat, tput)
    print(out)
    (ROOT / "var" / "bench-scale.json").write_text(
        json.dumps({"report": report, "described": described, "latency": lat, "throughput": tput}, indent=1)
    )


if __name__ == "__main__":
    main()
