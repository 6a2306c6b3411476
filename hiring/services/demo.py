"""Finished attempts by fictional candidates, so that a new installation's results page,
transcripts and review queue have something to show before anyone has taken the demo
assessment (`seed_demo --with-attempts`, which `make run` uses)."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import F

from accounts.models import User
from hiring.models import AssessmentInvite
from hiring.services import assessments
from interviews.grading.service import submit_answer
from interviews.models import InterviewSession, Question, QuestionSet


@dataclass(frozen=True)
class DemoCandidate:
    email: str
    thorough: bool  # most of each reference answer, or only its opening
    seconds_per_answer: int


DEMO_CANDIDATES = [
    DemoCandidate("ada.demo@example.com", thorough=True, seconds_per_answer=260),
    DemoCandidate("sam.demo@example.com", thorough=False, seconds_per_answer=95),
]


def sample_answer(question: Question, thorough: bool) -> str:
    """A fictional candidate's answer, made from the question's own reference answer: all but
    its last paragraph, or only its first. Code is given whole by a thorough candidate; the
    other runs out of time after the function's signature."""
    reference = question.reference_answer.strip()
    if question.kind == Question.Kind.CODING:
        if thorough:
            return reference
        lines = reference.splitlines()
        signature = next((i for i, line in enumerate(lines) if line.startswith("def ")), None)
        if signature is None:
            return reference
        return "\n".join([*lines[: signature + 1], "    raise NotImplementedError  # ran out of time"])
    paragraphs = [p for p in reference.split("\n\n") if p.strip()]
    kept = paragraphs[:-1] if thorough and len(paragraphs) > 1 else paragraphs[:1]
    return "\n\n".join(kept)


def add_attempts(question_set: QuestionSet, manager: User) -> int:
    """Each demo candidate takes the set to the end; their grades are queued for the workers.
    Returns the number of answers submitted."""
    submitted = 0
    for candidate in DEMO_CANDIDATES:
        user = User.objects.filter(email=candidate.email).first()
        if user is None:
            user = User.objects.create_user(email=candidate.email)  # no password: nobody signs in as them
        user.mark_email_verified()
        if AssessmentInvite.objects.filter(question_set=question_set, email=candidate.email).exists():
            continue
        # Not emailed: the address is fictional.
        invite = AssessmentInvite.objects.create(question_set=question_set, email=candidate.email, invited_by=manager)
        session = assessments.start(invite.token, user)
        questions = session.ordered_questions()
        for question in questions:
            answer = sample_answer(question, candidate.thorough)
            submit_answer(session, question, answer, candidate.seconds_per_answer)
        submitted += len(questions)
        # Taken in the time the answers record, not in a fraction of a second.
        took = timedelta(seconds=candidate.seconds_per_answer * len(questions))
        InterviewSession.objects.filter(pk=session.pk).update(
            started_at=F("finished_at") - took, deadline=F("deadline") - took
        )
    return submitted
