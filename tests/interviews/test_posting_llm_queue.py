"""The LLM's reading of a posting runs on the `llm` queue, not inside the request: the page
shows the offline requirements at once, polls while the LLM works, and reloads when it is done."""

import pytest
from celery.signals import after_task_publish
from django.urls import reverse

from interviews.models import Posting
from interviews.postings.services import finish_llm_analysis
from tests.interviews.test_posting_analysis import SAMPLE

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def queues():
    """The routing key of every message the broker accepted during the test."""
    keys: list[str] = []

    def record(sender=None, routing_key=None, **kwargs):
        keys.append(routing_key)

    after_task_publish.connect(record, weak=False)
    yield keys
    after_task_publish.disconnect(record)


def test_with_an_llm_the_request_saves_the_offline_analysis_and_queues_the_llm_one(
    client_logged_in, bank, llm_stub, published, queues
):
    response = client_logged_in.post(reverse("posting_new"), {"text": SAMPLE})
    posting = Posting.objects.get()
    assert response["Location"] == reverse("posting_detail", args=[posting.pk])
    assert llm_stub.requests == []  # nothing waited on the model inside the request
    assert posting.llm_analysis_pending and posting.analysis_method == "offline"
    assert posting.requirements.filter(text="Experience with A/B testing and statistics").exists()
    assert published == [("interviews.tasks.analyze_posting_with_llm", (posting.pk,))]
    assert queues == ["llm"]

    page = client_logged_in.get(response["Location"]).content.decode()
    assert 'data-testid="llm-analysis-pending"' in page
    assert reverse("posting_analysis_status", args=[posting.pk]) in page
    status = client_logged_in.get(reverse("posting_analysis_status", args=[posting.pk]), HTTP_HX_REQUEST="true")
    assert "HX-Refresh" not in status and 'data-testid="llm-analysis-pending"' in status.content.decode()


def test_the_queued_analysis_replaces_the_offline_one_then_drafts_questions_and_the_page_reloads(
    client_logged_in, bank, llm_stub, published, queues
):
    client_logged_in.post(reverse("posting_new"), {"text": SAMPLE})
    posting = Posting.objects.get()
    published.clear()
    queues.clear()
    llm_stub.reply_json(
        {
            "title": "Senior ML Engineer",
            "seniority": "senior",
            "requirements": [
                {
                    "text": "5+ years with Python and PyTorch",
                    "section": "must",
                    "skills": [{"slug": "pytorch", "weight": 0.9, "evidence": "PyTorch"}],
                },
                {
                    "text": "Experience with A/B testing and statistics",
                    "section": "must",
                    "skills": [{"slug": "statistics", "weight": 0.8, "evidence": "statistics"}],
                },
            ],
        }
    )
    assert finish_llm_analysis(posting.pk) == "llm (stub-model)"
    posting.refresh_from_db()
    assert not posting.llm_analysis_pending and posting.analysis_label == "by the LLM"
    assert posting.requirements.count() == 2
    assert {link.method for r in posting.requirements.all() for link in r.skill_links.all()} == {"llm"}
    assert published == [("interviews.tasks.generate_questions", (posting.pk,))]
    assert queues == ["llm"]
    # A second delivery of the same message does nothing.
    assert finish_llm_analysis(posting.pk) == "gone"

    status = client_logged_in.get(reverse("posting_analysis_status", args=[posting.pk]), HTTP_HX_REQUEST="true")
    assert status["HX-Refresh"] == "true"
    page = client_logged_in.get(reverse("posting_detail", args=[posting.pk])).content.decode()
    assert 'data-testid="llm-analysis-pending"' not in page


def test_without_an_llm_the_analysis_is_immediate_and_nothing_is_queued(client_logged_in, bank, settings, published):
    settings.LLM_BASE_URL = ""
    response = client_logged_in.post(reverse("posting_new"), {"text": SAMPLE})
    posting = Posting.objects.get()
    assert not posting.llm_analysis_pending and posting.analysis_method == "offline"
    assert posting.requirements.count() >= 3
    assert published == []
    assert 'data-testid="llm-analysis-pending"' not in client_logged_in.get(response["Location"]).content.decode()


def test_another_users_posting_status_is_not_found(client_logged_in, bank, user):
    from tests.factories import PostingFactory

    other = PostingFactory()
    assert client_logged_in.get(reverse("posting_analysis_status", args=[other.pk])).status_code == 404
