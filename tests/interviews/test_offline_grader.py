import pytest

from interviews.grading.base import GradingItem
from interviews.grading.offline import OfflineGrader

QUESTION = "Explain the bias-variance trade-off and how you would reduce variance."
REFERENCE = (
    "Expected test error decomposes into squared bias, variance and irreducible noise. Simple models "
    "underfit: high bias. Flexible models overfit: high variance. Regularisation, more data, bagging "
    "and early stopping reduce variance at the cost of some bias."
)
RUBRIC = [
    ("Decomposes expected test error into squared bias, variance and irreducible noise.", 2),
    ("Explains that simple models underfit with high bias while flexible models overfit with high variance.", 2),
    ("Names ways to reduce variance such as regularisation, more training data or bagging.", 1),
]


def grade(answer: str, **extra) -> float:
    item = GradingItem(question=QUESTION, reference_answer=REFERENCE, rubric=RUBRIC, answer=answer, **extra)
    return OfflineGrader().grade(item).score


@pytest.fixture(scope="module")
def grader_ready():
    grade("warm up the model with a sentence or two about bias and variance")


def test_a_complete_answer_scores_high(grader_ready):
    assert grade(REFERENCE) >= 3.5


def test_a_partial_answer_scores_between_nothing_and_complete(grader_ready):
    partial = grade("Simple models underfit because they have high bias. Complex models overfit with high variance.")
    assert 0.5 < partial < grade(REFERENCE)


@pytest.mark.parametrize("answer", ["", "fine", "I don't know", "idk lol", "???", "42"])
def test_empty_or_one_word_answers_score_at_most_half_a_point(grader_ready, answer):
    assert grade(answer) <= 0.5


def test_copying_the_question_back_scores_at_most_half_a_point(grader_ready):
    assert grade(QUESTION) <= 0.5


def test_an_irrelevant_answer_scores_low(grader_ready):
    assert grade("My favourite pasta is carbonara with guanciale, pecorino and black pepper, never cream.") <= 1.0


def test_each_criterion_gets_points_evidence_and_feedback(grader_ready):
    item = GradingItem(question=QUESTION, reference_answer=REFERENCE, rubric=RUBRIC, answer=REFERENCE)
    result = OfflineGrader().grade(item)
    assert [c.max_points for c in result.criteria] == [2, 2, 1]
    assert all(0 <= c.points <= c.max_points for c in result.criteria)
    assert all(c.evidence in REFERENCE for c in result.criteria if c.points > 0)
    assert all(c.feedback for c in result.criteria)
    assert result.grader == "offline"


def test_numeric_answers_earn_credit_for_the_right_number(grader_ready):
    question = "A GEMM does 2*M*N*K FLOPs. For M=N=K=1024 in FP16, what is its arithmetic intensity?"
    rubric = [
        ("Counts 2*1024^3 FLOPs for the multiply-adds.", 1),
        ("Counts bytes for three 1024x1024 FP16 matrices.", 1),
        ("Divides FLOPs by bytes to get about 341 FLOP per byte.", 1),
    ]
    base = {
        "question": question,
        "reference_answer": "2*1024^3 / (3*2*1024^2) = 341.3 FLOP/byte",
        "rubric": rubric,
        "numeric_answer": 341.33,
        "numeric_tolerance": 1.0,
    }
    right = OfflineGrader().grade(
        GradingItem(answer="FLOPs 2*1024^3, bytes 3*2*1024^2, so about 341.3 FLOP/byte", **base)
    )
    wrong = OfflineGrader().grade(
        GradingItem(answer="FLOPs 2*1024^3, bytes 3*2*1024^2, so about 682.7 FLOP/byte", **base)
    )
    assert right.score >= wrong.score + 2
