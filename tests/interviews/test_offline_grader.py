import itertools
from dataclasses import replace

import pytest

from interviews.grading.base import CriterionResult, GradingItem
from interviews.grading.offline import OfflineGrader
from interviews.grading.wording import criterion_feedback, headline, summary

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


def criteria(*awarded: tuple[float, int]) -> list[CriterionResult]:
    return [
        CriterionResult(text, points, max_points, "", criterion_feedback(points, max_points, text))
        for (text, _), (points, max_points) in zip(RUBRIC, awarded, strict=False)
    ]


def half_points(max_points: int) -> list[float]:
    return [i / 2 for i in range(2 * max_points + 1)]


def test_a_partial_score_never_says_every_rubric_point():
    for awarded in itertools.product(half_points(2), half_points(2), half_points(2)):
        if sum(awarded) < 6:
            words = summary(criteria(*((p, 2) for p in awarded)), [])
            assert "every rubric point" not in words, awarded
    assert "every rubric point" not in headline(criteria((2, 2), (2, 2), (1, 1)), score=4.6)


def test_only_full_points_on_every_criterion_say_every_rubric_point():
    assert headline(criteria((2, 2), (2, 2), (1, 1))) == "The answer addresses every rubric point."
    assert headline(criteria((2, 2), (2, 2), (1, 1)), score=5.0) == "The answer addresses every rubric point."


def test_the_summary_at_five_and_a_half_of_six_names_the_weakest_criterion():
    words = summary(criteria((2, 2), (2, 2), (1.5, 2)), ["A note."])
    assert words.startswith("A note. The answer covers most of the rubric (5.5 of 6 points).")
    weakest = "Weakest: Names ways to reduce variance such as regularisation, more training data or bagging (1.5/2)."
    assert weakest in words


def test_the_weakest_criteria_are_named_lowest_share_first():
    words = headline(criteria((0.5, 2), (2, 2), (0, 1)))
    assert "little of the rubric (2.5 of 5 points)" not in words  # half the points is "part of"
    assert "part of the rubric (2.5 of 5 points)" in words
    weakest = words.split("Weakest: ")[1]
    assert weakest.index("Names ways") < weakest.index("Decomposes expected test error")
    assert "Explains that simple models" not in weakest  # full points: not weak


@pytest.mark.parametrize("max_points", [1, 2, 3, 5])
def test_a_criterion_with_points_is_never_called_missing(max_points):
    for points in half_points(max_points):
        feedback = criterion_feedback(points, max_points, "Names the noise term.")
        assert feedback.startswith("Missing") == (points == 0), (points, feedback)
        if points / max_points >= 0.4:
            assert feedback.startswith(("Partly covered", "Mostly covered", "Covered")), (points, feedback)
        assert feedback.startswith("Covered") == (points == max_points), (points, feedback)


def test_nothing_earned_is_said_plainly():
    assert "does not address the rubric points yet" in headline(criteria((0, 2), (0, 2), (0, 1)))


@pytest.mark.parametrize(
    "answer",
    [
        REFERENCE,
        "Simple models underfit because they have high bias. Complex models overfit with high variance.",
        "Variance is reduced by bagging. Regularisation helps too.",
        "My favourite pasta is carbonara with guanciale, pecorino and black pepper, never cream.",
    ],
)
def test_the_offline_graders_words_follow_its_points(grader_ready, answer):
    item = GradingItem(question=QUESTION, reference_answer=REFERENCE, rubric=RUBRIC, answer=answer)
    result = OfflineGrader().grade(item)
    for c in result.criteria:
        assert c.feedback == criterion_feedback(c.points, c.max_points, c.criterion)
        assert c.feedback.startswith("Missing") == (c.points == 0)
    complete = result.score >= 5 and all(c.points == c.max_points for c in result.criteria)
    assert ("every rubric point" in result.summary) == complete


OVERFIT_QUESTION = (
    "A model's training loss keeps falling while its validation loss rises. Is the model "
    "overfitting or underfitting, and should you add regularization or remove regularization?"
)
OVERFIT_REFERENCE = (
    "It is overfitting: falling training loss with rising validation loss means it memorizes the "
    "training set instead of generalizing. Add regularization, such as weight decay, dropout or "
    "early stopping, or collect more data."
)


def test_an_answer_in_the_question_s_own_words_is_graded_when_they_are_the_reference_s_too(grader_ready):
    # Every content word of this answer is in the question, but they are the ones the
    # reference picks (overfitting, add), not the alternatives: an answer, not a copy.
    item = GradingItem(
        question=OVERFIT_QUESTION,
        reference_answer=OVERFIT_REFERENCE,
        rubric=[("Says the model is overfitting and that regularization should be added.", 2)],
        answer=(
            "The model is overfitting because its training loss falls while validation loss rises, "
            "so you should add regularization."
        ),
    )
    features = OfflineGrader.features(item)
    assert not isinstance(features, str)
    # Refused, it scored 0. Graded: 1.88 before stop 27's calibration, 1.10 after (its lexical
    # recall is 0 and the refit leans on it; a weak grade, flagged for review, not a refusal).
    assert OfflineGrader().grade(item).score >= 1.0
    # The question pasted back is still refused as a copy.
    assert OfflineGrader.features(replace(item, answer=OVERFIT_QUESTION)) == (
        "The answer only restates the question (or the rubric)."
    )


PARALLEL_QUESTION = "Which kind of parallelism splits each layer's weight matrices across GPUs?"
PARALLEL_REFERENCE = (
    "Tensor parallelism.\nTensor (intra-layer) model parallelism splits each weight matrix across devices."
)


@pytest.mark.parametrize("answer", ["Tensor parallelism.", "tensor parallel"])
def test_a_short_answer_that_states_the_reference_is_graded_not_refused_as_too_short(grader_ready, answer):
    item = GradingItem(
        question=PARALLEL_QUESTION,
        reference_answer=PARALLEL_REFERENCE,
        rubric=[("Names tensor parallelism.", 1)],
        answer=answer,
    )
    assert OfflineGrader().grade(item).score >= 4  # refused as too short, it scored 0


@pytest.mark.parametrize("answer", ["Data parallelism.", "Pipeline parallelism.", PARALLEL_QUESTION])
def test_a_short_answer_that_does_not_state_the_reference_is_still_refused(grader_ready, answer):
    item = GradingItem(
        question=PARALLEL_QUESTION,
        reference_answer=PARALLEL_REFERENCE,
        rubric=[("Names tensor parallelism.", 1)],
        answer=answer,
    )
    assert isinstance(OfflineGrader.features(item), str)
    assert OfflineGrader().grade(item).score == 0


def test_a_misspelled_word_still_counts_as_the_reference_s_word(grader_ready):
    from interviews.grading.features import _spelled_as, extract

    item = GradingItem(
        question="Why does the validation loss rise while the training loss keeps falling?",
        reference_answer="The model is memorising the training examples instead of generalising.",
        rubric=[("Says the model memorises the training examples instead of generalising.", 1)],
        answer="",
    )
    spelled = extract(replace(item, answer="The model memorises the training examples instead of generalising."))
    typed = extract(replace(item, answer="The model memorsies the trainnig exmaples instaed of genaralising."))
    assert typed.criteria[0].lexical_recall == spelled.criteria[0].lexical_recall >= 0.8
    # One letter off a short word is usually another word: "lower" is not a typo of "power".
    assert _spelled_as("lower", {"power": "power"}) == "lower"
    assert _spelled_as("seperated", {"separated": "separat"}) == "separat"


@pytest.mark.parametrize(
    ("answer", "opposite"),
    [
        # A "never" in an answer about something else is no statement of the opposite.
        ("My favourite pasta is carbonara with guanciale, pecorino and black pepper, never cream.", False),
        ("Regularisation and bagging do not reduce variance; they increase it.", True),
    ],
)
def test_only_an_answer_that_negates_a_criterion_is_said_to_state_the_opposite(grader_ready, answer, opposite):
    item = GradingItem(question=QUESTION, reference_answer=REFERENCE, rubric=RUBRIC, answer=answer)
    assert ("opposite" in OfflineGrader().grade(item).summary) is opposite


def test_abbreviations_do_not_end_a_sentence():
    from interviews.embeddings import sentences

    text = "Split by group, e.g. by product, so no cluster spans both splits. Dedupe the training set, i.e. keep one."
    assert sentences(text) == [
        "Split by group, e.g. by product, so no cluster spans both splits.",
        "Dedupe the training set, i.e. keep one.",
    ]
