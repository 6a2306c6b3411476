"""The rubric LLM grader against an OpenAI-compatible stub at the HTTP layer."""

import io
import json
import os
import signal
import threading

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.core.management import call_command
from django.urls import reverse

from interviews.grading import service
from interviews.grading.base import GradingItem
from interviews.grading.datasets import golden
from interviews.grading.llm_grader import PROMPT_VERSION, RubricLLMGrader
from interviews.models import Grade
from tests.factories import GradeFactory

ANSWER = "Variance dominates: the tree memorises noise. Prune it, limit depth, or bag many trees."
RUBRIC = [
    ("Identifies high variance (overfitting).", 2),
    ("Suggests pruning or depth limits.", 2),
    ("Mentions bagging.", 1),
]
ITEM = GradingItem(
    question="Why does the tree overfit?", reference_answer="High variance...", rubric=RUBRIC, answer=ANSWER
)


def verdict(points, evidence=("Variance dominates", "Prune it", "bag many trees")):
    return {
        "criteria": [
            {"index": i, "points": p, "evidence": e, "feedback": f"feedback {i}"}
            for i, (p, e) in enumerate(zip(points, evidence, strict=True))
        ],
        "summary": "A stronger answer would quantify the gap.",
    }


def test_points_are_validated_summed_in_code_and_the_call_is_recorded(llm_stub, settings):
    settings.LLM_PRICE_INPUT, settings.LLM_PRICE_OUTPUT = 2.0, 8.0
    llm_stub.reply_json(verdict([2, 2, 1]), tokens_in=900, tokens_out=120)
    result = RubricLLMGrader().grade(ITEM)
    assert result.score == 5.0
    assert result.grader == "llm" and result.model_name == "stub-model" and result.prompt_version == PROMPT_VERSION
    assert [c.points for c in result.criteria] == [2, 2, 1]
    assert result.criteria[0].evidence == "Variance dominates"
    assert (result.tokens_in, result.tokens_out) == (900, 120)
    assert result.cost_usd == pytest.approx((900 * 2 + 120 * 8) / 1e6)
    request = llm_stub.requests[0]
    assert request["temperature"] == 0
    assert len(llm_stub.requests) == 1  # one call per answer when the verdict is clear
    assert "<<<ANSWER-" in request["messages"][1]["content"]
    assert "ignore all" in request["messages"][0]["content"].lower()


def test_the_llm_graders_verdicts_and_summary_follow_its_points(llm_stub):
    reply = verdict([2, 1.5, 0.5])
    reply["criteria"][0]["feedback"] = "Missing: nothing, well done."
    reply["criteria"][2]["feedback"] = "Covered - bagging is named."
    reply["summary"] = "The answer addresses every rubric point. It could quantify the gap."
    llm_stub.reply_json(reply)
    result = RubricLLMGrader().grade(ITEM)
    assert [c.feedback for c in result.criteria] == [
        "Covered: nothing, well done.",
        "Mostly covered: feedback 1",
        "Partly covered: bagging is named.",
    ]
    assert "every rubric point" not in result.summary
    assert result.summary.startswith("The answer covers most of the rubric (4 of 5 points). Weakest: Mentions bagging")
    assert result.summary.endswith("It could quantify the gap.")


def test_an_evidence_quote_that_is_not_in_the_answer_is_removed_and_lowers_confidence(llm_stub):
    llm_stub.reply_json(verdict([2, 2, 1], evidence=("Variance dominates", "I invented this quote", "bag many trees")))
    result = RubricLLMGrader().grade(ITEM)
    assert result.criteria[1].evidence == ""
    assert result.confidence < 1
    assert any("not in the answer" in note for note in result.notes)


def test_one_bad_criterion_is_filled_offline_and_says_which_grader_scored_it(llm_stub):
    llm_stub.reply_json(verdict([2, 7, 1]))  # 7 of 2 points: out of range
    result = RubricLLMGrader().grade(ITEM)
    assert [c.points for c in result.criteria][0::2] == [2, 1]
    assert result.criteria[1].points <= 2
    assert [c.graded_by for c in result.criteria] == ["llm", "offline", "llm"]
    assert result.graded_by == {"llm": 2, "offline": 1}
    assert any("graded offline" in note for note in result.notes)
    assert result.grader == "llm"
    # At temperature 0 the same prompt repeats the same mistake: no second try for it.
    assert len(llm_stub.requests) == 1


def test_a_borderline_score_gets_a_second_opinion_whose_tokens_count_and_disagreement_lowers_confidence(llm_stub):
    llm_stub.reply_json(verdict([1, 1, 0.5]), tokens_in=100, tokens_out=10)
    # The second grading shows the rubric in reverse order (shown index 0 is criterion 3).
    llm_stub.reply_json(
        verdict([1, 2, 2], evidence=("bag many trees", "Prune it", "Variance dominates")), tokens_in=200
    )
    result = RubricLLMGrader().grade(ITEM)
    assert result.score == 2.5
    assert result.confidence <= 0.2
    assert result.needs_review
    assert (result.tokens_in, result.tokens_out, result.llm_calls) == (300, 50, 2)
    first, second = (r["messages"][1]["content"] for r in llm_stub.requests)
    assert "0. (2 points) Identifies high variance" in first
    assert "0. (1 points) Mentions bagging" in second and "2. (2 points) Identifies high variance" in second


def test_logprobs_give_the_confidence_when_the_endpoint_returns_them(llm_stub):
    tokens = [
        {"token": "2", "logprob": -0.05, "bytes": None, "top_logprobs": []},
        {"token": "1", "logprob": -1.2, "bytes": None, "top_logprobs": []},
    ]
    llm_stub.reply_json(verdict([1, 1, 0.5]), logprobs=tokens)
    result = RubricLLMGrader().grade(ITEM)
    assert len(llm_stub.requests) == 1  # no second sample needed
    assert 0.5 < result.confidence < 0.7


@pytest.mark.parametrize(
    "faults",
    [
        ["garbage", "garbage"],
        ["500", "500", "500", "500"],
        ["429", "429", "429", "429"],
        ["slow", "slow", "slow", "slow"],
        ["out-of-range-all", "out-of-range-all"],
    ],
)
def test_when_the_llm_keeps_failing_the_answer_is_graded_offline_and_says_so(llm_stub, settings, faults):
    settings.LLM_MAX_RETRIES = 3
    for fault in faults:
        if fault == "garbage":
            llm_stub.reply_content("I think this deserves a 4")
        elif fault == "slow":
            llm_stub.reply_hang(1.5)
        elif fault == "out-of-range-all":
            llm_stub.reply_json(verdict([9, 9, 9]))
        else:
            llm_stub.reply_error(int(fault))
    result = RubricLLMGrader().grade(ITEM)
    assert result.grader == "offline"
    assert "graded offline" in result.fallback_reason
    assert result.needs_review
    assert len(llm_stub.requests) == len(faults)  # bounded: no call beyond the retry budget


@pytest.mark.django_db
def test_a_grade_records_its_provenance_and_the_page_names_the_grader(llm_stub, client):
    grade = GradeFactory(answer__text=ANSWER, requested_grader="llm")
    llm_stub.reply_json(verdict([0.5, 1.5, 1], evidence=("", "", "")))
    llm_stub.reply_json(verdict([0.5, 1.5, 1], evidence=("", "", "")))
    assert service.run_grade(grade.pk) == "done"
    grade.refresh_from_db()
    assert grade.grader == "llm" and grade.model_name == "stub-model"
    assert grade.prompt_version == PROMPT_VERSION and len(grade.rubric_version) == 16
    assert grade.tokens_in > 0 and grade.confidence is not None


@pytest.mark.django_db
def test_transient_failures_then_success_end_in_one_llm_grade(llm_stub):
    grade = GradeFactory(answer__text=ANSWER, requested_grader="llm")
    llm_stub.reply_error(503)
    llm_stub.reply_hang(1.5)
    llm_stub.reply_json(verdict([2, 2, 1], evidence=("", "", "")))
    assert service.run_grade(grade.pk) == "done"
    grade.refresh_from_db()
    assert grade.status == Grade.Status.DONE and grade.grader == "llm" and grade.fallback_reason == ""


def test_the_llm_grader_reproduces_the_golden_scores_a_faithful_model_gives(llm_stub):
    """Plumbing check over the golden set: when the model awards the human's share of
    every criterion (rounded to half points), the grader's code (validation, sums, scaling)
    must land within 0.75 of the human score: the rounding of each criterion is the only slack."""
    rows = [row for row in golden() if row.item.answer.strip()]
    by_question: dict[str, list] = {}
    for row in rows:
        by_question.setdefault(row.item.question, []).append(row)

    def faithful(request):
        user = request["messages"][1]["content"]
        block = user.split("Candidate answer:\n", 1)[1].strip().split("\n")[1:-1]  # inside the fence markers
        fenced = " ".join(" ".join(block).split())
        candidates = by_question[user.split("Question:\n", 1)[1].split("\n\nReference answer:", 1)[0]]
        # The grader may have removed sentences addressed to it; match on overlapping words.
        exact = [r for r in candidates if " ".join(r.item.answer.split()) == fenced]
        row = (
            exact[0] if exact else max(candidates, key=lambda r: len(set(r.item.answer.split()) & set(fenced.split())))
        )
        share = row.score / 5
        return {
            "criteria": [
                {"index": i, "points": round(points * share * 2) / 2, "evidence": "", "feedback": "-"}
                for i, (_, points) in enumerate(row.item.rubric)
            ],
            "summary": "-",
        }

    llm_stub.responder = faithful
    grader = RubricLLMGrader()
    graded = [(row, grader.grade(row.item)) for row in rows]
    misses = [(row.group, row.score, result.score) for row, result in graded if abs(result.score - row.score) > 0.75]
    assert len(rows) >= 150
    assert not misses
    # The guard may grade an answer that only restates the question before any call; the
    # golden set has one such answer (its note: "Restates the question"), scored 0 by people.
    # Whether the guard catches it sits near its threshold and moved with package versions.
    offline = [(row, result) for row, result in graded if result.grader != "llm"]
    assert all(row.score == 0 and "only restates the question" in result.summary for row, result in offline)
    assert len(offline) <= 1


def test_the_same_answer_gives_the_same_prompt_with_a_bound_sized_to_the_rubric(llm_stub):
    llm_stub.reply_json(verdict([2, 2, 1]))
    llm_stub.reply_json(verdict([2, 2, 1]))
    RubricLLMGrader().grade(ITEM)
    RubricLLMGrader().grade(ITEM)
    first, second = llm_stub.requests
    assert first["messages"] == second["messages"]  # temperature 0 can then reproduce the grade
    assert first["max_tokens"] == second["max_tokens"]
    two_criteria = GradingItem(question="q", reference_answer="r", rubric=RUBRIC[:2], answer=ANSWER)
    llm_stub.reply_json(verdict([2, 2], evidence=("Variance dominates", "Prune it")))
    RubricLLMGrader().grade(two_criteria)
    assert llm_stub.requests[2]["max_tokens"] < first["max_tokens"] <= 1000


def test_evidence_is_matched_on_whole_words_with_a_minimum_length(llm_stub):
    item = GradingItem(
        question="q", reference_answer="r", rubric=RUBRIC, answer="A note: variance dominates, so prune it; bag trees."
    )
    llm_stub.reply_json(verdict([2, 2, 1], evidence=("no", "Variance  dominates", "bag tree")))
    result = RubricLLMGrader().grade(item)
    # "no" is inside "note" but is no quote; spacing and case do not matter; "bag tree" is not "bag trees".
    assert [c.evidence for c in result.criteria] == ["", "Variance  dominates", ""]
    assert sum("not in the answer" in note for note in result.notes) == 2


@pytest.mark.django_db
def test_the_page_says_which_criteria_another_grader_scored(llm_stub, client):
    grade = GradeFactory(answer__text=ANSWER, requested_grader="llm")
    grade.answer.question.criteria.all().delete()
    for i, (text, points) in enumerate(RUBRIC):
        grade.answer.question.criteria.create(text=text, points=points, order=i)
    reply = verdict([2, 2, 1])
    del reply["criteria"][2]  # the model graded only the first two
    llm_stub.reply_json(reply)
    assert service.run_grade(grade.pk) == "done"
    grade.refresh_from_db()
    assert [c["graded_by"] for c in grade.criteria] == ["llm", "llm", "offline"]
    client.force_login(grade.answer.session.candidate)
    body = client.get(reverse("grade_status", args=[grade.pk])).content.decode()
    assert "graded by the llm grader (stub-model); 1 of 3 criteria by the offline grader" in body
    assert body.count('data-testid="criterion-grader">(offline)') == 1


def test_grade_json_reports_tokens_latency_and_notes(llm_stub, tmp_path):
    path = tmp_path / "item.json"
    path.write_text(
        json.dumps(
            {
                "question": ITEM.question,
                "reference_answer": "High variance.",
                "rubric": [{"text": t, "points": p} for t, p in RUBRIC],
                "answer": ANSWER,
            }
        )
    )
    llm_stub.reply_json(verdict([2, 7, 1]), tokens_in=321, tokens_out=45)
    out = io.StringIO()
    call_command("grade", "--item", str(path), "--grader", "llm", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert (data["tokens_in"], data["tokens_out"], data["llm_calls"]) == (321, 45, 1)
    assert data["latency_ms"] > 0
    assert data["graded_by"] == {"llm": 2, "offline": 1}
    assert any("graded offline" in note for note in data["notes"])


def test_one_time_budget_covers_every_call_then_the_answer_is_graded_offline(llm_stub, settings):
    settings.LLM_GRADE_BUDGET_SECONDS = 1.6
    settings.LLM_MAX_RETRIES = 5
    for _ in range(5):
        llm_stub.reply_hang(3)
    result = RubricLLMGrader().grade(ITEM)
    assert 1000 <= result.latency_ms < 2500  # the LLM time recorded on the grade: the budget, not 5 x 3 s
    assert result.grader == "offline"
    assert "out of time" in result.fallback_reason
    assert 1 <= len(llm_stub.requests) <= 2  # 1 s timeout, then what is left if at least 0.5 s


@pytest.mark.django_db
def test_the_soft_time_limit_inside_an_llm_call_falls_back_instead_of_failing(llm_stub, settings):
    """Celery raises SoftTimeLimitExceeded from a signal handler wherever the worker is;
    inside the HTTP call the SDK wraps it in a connection error."""
    settings.LLM_TIMEOUT_SECONDS = 5
    grade = GradeFactory(answer__text=ANSWER, requested_grader="llm")
    llm_stub.reply_hang(3)

    def time_is_up(signum, frame):
        raise SoftTimeLimitExceeded()

    previous = signal.signal(signal.SIGALRM, time_is_up)
    # The limit fires while the worker waits for the model's reply.
    llm_stub.on_request = lambda: threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGALRM)).start()
    try:
        assert service.run_grade(grade.pk) == "done"
    finally:
        signal.signal(signal.SIGALRM, previous)
    grade.refresh_from_db()
    assert grade.status == Grade.Status.DONE and grade.attempts == 1
    assert grade.grader == "offline" and "graded offline" in grade.fallback_reason
    assert len(llm_stub.requests) == 1  # not retried as if the connection had failed


def test_the_reply_schema_holds_one_entry_per_criterion_and_no_logprobs_when_off(llm_stub, settings):
    settings.LLM_LOGPROBS = False
    llm_stub.reply_json(verdict([2, 2, 1]))
    RubricLLMGrader().grade(ITEM)
    request = llm_stub.requests[0]
    criteria = request["response_format"]["json_schema"]["schema"]["properties"]["criteria"]
    assert (criteria["minItems"], criteria["maxItems"]) == (3, 3)
    assert criteria["items"]["properties"]["index"]["enum"] == [0, 1, 2]
    assert criteria["items"]["properties"]["points"]["enum"] == [0, 0.5, 1, 1.5, 2]
    assert not request.get("logprobs")
