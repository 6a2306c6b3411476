"""`seed_demo --with-attempts` (what `make run` runs): two fictional candidates finish the
demo set, so the results page, transcripts and review queue have something to show."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from hiring.models import AssessmentInvite
from hiring.services.demo import DEMO_CANDIDATES, sample_answer
from interviews.grading.service import run_grade
from interviews.models import Grade, InterviewSession, Question

pytestmark = pytest.mark.django_db


def _seed_and_grade(settings, django_capture_on_commit_callbacks) -> None:
    settings.GRADER = "offline"
    # The grades' messages are never published (the callbacks are not run): the test grades them.
    with django_capture_on_commit_callbacks(execute=False):
        call_command("seed_demo", "--with-attempts")
    for pk in Grade.objects.filter(status=Grade.Status.QUEUED).values_list("pk", flat=True):
        assert run_grade(pk) == "done"


def test_two_fictional_candidates_finish_the_demo_set_and_are_graded(
    bank, settings, client, django_capture_on_commit_callbacks
):
    _seed_and_grade(settings, django_capture_on_commit_callbacks)
    sessions = InterviewSession.objects.filter(candidate__email__in=[c.email for c in DEMO_CANDIDATES])
    sessions = list(sessions.select_related("candidate"))
    assert len(sessions) == 2 and all(s.finished_at for s in sessions)
    mean = {
        s.candidate.email: sum(a.counted_grade.score for a in s.answers.all()) / s.answers.count() for s in sessions
    }
    thorough, brief = (c.email for c in DEMO_CANDIDATES)
    assert mean[thorough] >= 3.5 and mean[brief] < mean[thorough] - 1, mean
    # The real demo candidate's invitation is still there to take.
    assert AssessmentInvite.objects.filter(email="candidate@demo.backprop.dev", session=None).exists()

    client.login(email="manager@demo.backprop.dev", password="backprop-demo")
    template = AssessmentInvite.objects.get(email=thorough).question_set
    results = client.get(reverse("set_results", args=[template.pk])).content.decode()
    assert thorough in results and brief in results
    minutes = {s.candidate.email: (s.finished_at - s.started_at).total_seconds() / 60 for s in sessions}
    count = template.items.count()
    assert minutes == {c.email: c.seconds_per_answer * count / 60 for c in DEMO_CANDIDATES}
    client.login(email="reviewer@demo.backprop.dev", password="backprop-demo")
    queue = client.get(reverse("review_queue", args=["demo-co"]))
    assert len(queue.context["queue"]) == 2 * template.items.count()

    # Idempotent, as `make run` runs it on every start.
    call_command("seed_demo", "--with-attempts")
    assert InterviewSession.objects.filter(candidate__email__in=[c.email for c in DEMO_CANDIDATES]).count() == 2


def test_a_brief_candidate_gives_only_the_opening_and_stops_at_a_functions_signature(bank):
    coding = Question.objects.filter(kind=Question.Kind.CODING, reference_answer__contains="\ndef ").first()
    assert coding is not None
    brief = sample_answer(coding, thorough=False)
    assert brief.rstrip().endswith("raise NotImplementedError  # ran out of time")
    assert sample_answer(coding, thorough=True) == coding.reference_answer.strip()
    concept = Question.objects.filter(kind=Question.Kind.CONCEPT, reference_answer__contains="\n\n").first()
    assert concept is not None
    opening = concept.reference_answer.strip().split("\n\n")[0]
    assert sample_answer(concept, thorough=False) == opening
    assert opening in sample_answer(concept, thorough=True) != concept.reference_answer.strip()
