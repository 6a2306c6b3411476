"""`make serve`, the production command (issue 13 item 1): gunicorn with DEBUG off and static
files from whitenoise, the grading worker and beat, on PostgreSQL and Redis, takes one answer
from submit to graded. Runs where the tests run on PostgreSQL and Redis (CI); skipped on the
SQLite and filesystem-broker defaults, which `make serve` refuses."""

import http.cookiejar
import os
import re
import signal
import subprocess
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from interviews.models import Answer, Grade
from tests.e2e.conftest import database_url, wait_for
from tests.e2e.test_make_run import free_port, http_status
from tests.factories import PASSWORD, InterviewSessionFactory, QuestionFactory, QuestionSetFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

BASE_DIR = Path(__file__).resolve().parents[2]
ANSWER = "Expected error is bias squared plus variance plus noise; regularisation and more data reduce variance."


@pytest.fixture
def production(tmp_path):
    if connection.vendor != "postgresql" or not settings.REDIS_URL:
        pytest.skip("make serve needs PostgreSQL and Redis (DATABASE_URL, REDIS_URL)")
    port = free_port()
    environment = {k: v for k, v in os.environ.items() if k not in {"PORT", "BACKPROP_PORT", "MAKEFLAGS", "DEBUG"}}
    environment.update(
        DATABASE_URL=database_url(connection.settings_dict),
        REDIS_URL=settings.REDIS_URL,
        SECRET_KEY="e2e-production-key-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFG",
        ALLOWED_HOSTS="127.0.0.1",
        ACCOUNT_EMAIL_VERIFICATION="none",
        GRADER="offline",
    )
    log_path = tmp_path / "make-serve.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            ["make", "--no-print-directory", "serve", f"BACKPROP_PORT={port}", "PROCESSES=web worker beat"],
            cwd=BASE_DIR,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        up = wait_for(lambda: http_status(port) == 200 or process.poll() is not None, timeout=180, interval=0.5)
        assert up and process.poll() is None, log_path.read_text(errors="replace")[-4000:]
        yield port, log_path
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


class Browser:
    """Cookies and CSRF tokens over plain HTTP, as a browser keeps them."""

    def __init__(self, port: int) -> None:
        self.base = f"http://127.0.0.1:{port}"
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(self, path: str):
        return self.opener.open(self.base + path, timeout=30)

    def post(self, path: str, form_page: str, data: dict[str, str]):
        page = self.get(form_page).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, **data}).encode()
        request = urllib.request.Request(self.base + path, data=body, headers={"Referer": self.base + form_page})
        return self.opener.open(request, timeout=30)


def test_make_serve_takes_an_answer_from_submit_to_graded(production):
    port, log_path = production
    session = InterviewSessionFactory(question_set=QuestionSetFactory(questions=[QuestionFactory()]))
    question = session.ordered_questions()[0]
    browser = Browser(port)

    # gunicorn with DEBUG off: static files from whitenoise, a CSP, no debug page.
    css = browser.get("/static/css/app.css")
    assert css.status == 200 and "unsafe-inline" not in css.headers.get("Content-Security-Policy", "unsafe-inline")
    with pytest.raises(urllib.error.HTTPError) as missing:
        browser.get("/no-such-page/")
    assert missing.value.code == 404 and b"URLconf" not in missing.value.read()

    browser.post("/accounts/login/", "/accounts/login/", {"login": session.candidate.email, "password": PASSWORD})
    interview = f"/interviews/{session.pk}/"
    page = browser.post(f"{interview}answer/", interview, {"question": str(question.pk), "text": ANSWER})
    body = page.read().decode()
    # The one question answered: the summary, its grade still running or already landed.
    assert page.status == 200 and ("Grading" in body or "Interview complete" in body), body[-2000:]

    grade = wait_for(lambda: Grade.objects.filter(answer__session=session, status=Grade.Status.DONE).first(), 120)
    log = log_path.read_text(errors="replace")
    assert grade is not None, log[-4000:]
    assert Answer.objects.get(session=session).text == ANSWER
    # The worker's JSON log lines carry the task id (honcho may write them a moment after the grade).
    assert wait_for(lambda: '"task_id"' in log_path.read_text(errors="replace"), 30), log[-4000:]
