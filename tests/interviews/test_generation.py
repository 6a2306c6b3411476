import pytest

from interviews.models import Question
from interviews.planning.generate import generate_for_posting, uncovered_requirements
from interviews.postings.services import create_posting

POSTING = (
    "Performance Engineer\nRequirements:\n- CUDA kernels and profiling\n"
    "- Sound judgement when trading off rigour against delivery speed\n- 5+ years of experience\n"
)
REFERENCE = (
    "Start from a roofline: estimate each stage's arithmetic intensity, compare with the machine balance, "
    "then measure achieved FLOP/s and bandwidth per kernel to find which resource binds. Validate the model "
    "against measured step times and refine it where predictions and measurements disagree."
)


def generated(prompt="How would you build a throughput model of a training step to predict speed-ups?", **extra):
    return {
        "prompt": prompt,
        "kind": "design",
        "difficulty": 4,
        "skills": ["gpu-performance", "not-a-skill"],
        "reference_answer": REFERENCE,
        "rubric": [
            {"text": "Uses arithmetic intensity against machine balance.", "points": 2},
            {"text": "Measures achieved FLOP/s and bandwidth per kernel.", "points": 2},
            {"text": "Validates predictions against measured step times.", "points": 1},
        ],
        "numeric_answer": None,
        "numeric_tolerance": None,
        **extra,
    }


@pytest.fixture
def posting(bank, user, settings):
    settings.LLM_BASE_URL = ""  # analyse offline; only generation talks to the stub
    return create_posting(user, POSTING)


@pytest.mark.django_db
def test_only_requirements_the_bank_cannot_test_are_targeted(posting):
    texts = [r.text for r in uncovered_requirements(posting)]
    assert texts == ["Sound judgement when trading off rigour against delivery speed"]


@pytest.mark.django_db
def test_generated_questions_are_validated_and_saved_as_proposals(posting, llm_stub):
    llm_stub.reply_json(generated())
    report = generate_for_posting(posting.pk)
    assert (report.created, report.duplicates, report.failed) == (1, 0, 0)
    question = Question.objects.get(origin=Question.Origin.GENERATED)
    assert question.status == Question.Status.PROPOSED
    assert [s.slug for s in question.skills.all()] == ["gpu-performance"]
    assert question.criteria.count() == 3
    assert question.source_requirement.text.startswith("Sound judgement")
    assert "<<<REQUIREMENT-" in llm_stub.requests[0]["messages"][1]["content"]
    assert not Question.objects.usable().filter(pk=question.pk).exists()
    assert generate_for_posting(posting.pk).created == 0  # one proposal per requirement


@pytest.mark.django_db
def test_a_near_duplicate_of_an_existing_question_is_dropped(posting, llm_stub):
    existing = Question.objects.usable().first()
    llm_stub.reply_json(generated(prompt=existing.prompt))
    report = generate_for_posting(posting.pk)
    assert (report.created, report.duplicates) == (0, 1)


@pytest.mark.django_db
def test_invalid_generations_are_retried_then_counted_as_failed(posting, llm_stub):
    llm_stub.reply_json(generated(rubric=[{"text": "Only one criterion", "points": 2}]))
    llm_stub.reply_json(generated(kind="numeric"))  # numeric without an answer
    report = generate_for_posting(posting.pk)
    assert (report.created, report.failed) == (0, 1)
    assert not Question.objects.filter(origin=Question.Origin.GENERATED).exists()


@pytest.mark.django_db
def test_without_an_llm_nothing_is_generated(posting, settings):
    settings.LLM_BASE_URL = ""
    assert generate_for_posting(posting.pk).created == 0
