"""The Content-Security-Policy refuses inline scripts, styles and event handlers (no
'unsafe-inline'), so none may be left in a template or a rendered page: they would silently
stop working in production."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from tests.hiring.conftest import login

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
INLINE_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<[^>]*\sstyle\s*=|<style\b", re.IGNORECASE)
# A data block (json_script's type="application/json") is never executed, so the CSP allows it.
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\b(?:src=|type=\"application/json\"))[^>]*>", re.IGNORECASE)


def inline_code(html: str) -> list[str]:
    return [
        m.group(0)[:120] for pattern in (INLINE_HANDLER, INLINE_STYLE, INLINE_SCRIPT) for m in pattern.finditer(html)
    ]


def test_no_template_has_inline_code():
    found = {
        str(path.relative_to(TEMPLATES)): inline_code(path.read_text())
        for path in TEMPLATES.rglob("*.html")
        if inline_code(path.read_text())
    }
    assert found == {}


@pytest.mark.django_db
def test_the_main_pages_render_without_inline_code(world, client):
    pages = {reverse("home"), reverse("account_login"), reverse("account_signup")}
    found = {url: inline_code(client.get(url).content.decode()) for url in pages}
    login(client, world.candidate_a)
    for url in (
        reverse("dashboard"),
        reverse("progress"),
        reverse("posting_new"),
        reverse("interview_detail", args=[world.session_a.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        found[url] = inline_code(response.content.decode())
    client.logout()
    login(client, world.manager1)
    for url in (
        reverse("team_home"),
        reverse("set_detail", args=[world.team_set.pk]),
        reverse("set_results", args=[world.team_set.pk]),
        reverse("transcript", args=[world.session_a.pk]),
        reverse("organization_detail", args=[world.org1.slug]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        found[url] = inline_code(response.content.decode())
    assert {url: code for url, code in found.items() if code} == {}
    assert "htmx-config" in response.content.decode()  # htmx's injected indicator <style> is off
