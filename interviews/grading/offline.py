"""Offline grader: no network. The score is the sum of the rubric criteria's points,
scaled to 0-5, and each criterion is scored from evidence in the answer (features.py:
MiniLM token alignment with the criterion and the reference sentences related to it,
negation and contradiction cues, the numeric key). A calibration fitted on labelled
answers turns evidence into a share of each criterion's points. Guards handle what
labelled data rarely shows: tiny answers, copied questions or rubrics, keyword lists,
sprayed numbers; injected instructions are removed before grading (guards.py)."""

import math
import re
from dataclasses import replace

import numpy as np

from interviews import embeddings
from interviews.grading import calibration, numbers
from interviews.grading.base import CriterionResult, GradeResult, GradingItem
from interviews.grading.features import AnswerFeatures, extract
from interviews.grading.guards import ignoring_injections
from interviews.grading.wording import criterion_feedback, summary

MIN_CONTENT_WORDS = 3
KEYWORD_LIST_STOPWORDS = 0.15  # natural English prose is ~40-50% stopwords
KEYWORD_LIST_CAP = 1.0
NUMERIC_WRONG_CAP = 2.0  # the golden set's rule: a wrong or missing final number caps at 2
# An answer made only of "I don't know", "no answer", "skip"... (each sentence one of them).
NON_ANSWER = re.compile(
    r"((sorry|unfortunately|honestly)[,\s]*)?"
    r"((i\s+)?(really\s+)?(do\s*n[o']?t|cannot|can'?t|am not sure i can)\s+(know|remember|recall|answer|say)"
    r"|(i\s+)?(have\s+)?no\s+(idea|clue|answer|comment)|not\s+sure|idk|n/?a|pass|skip(ped)?|none|nothing|no"
    r"|dunno|sorry|\?+)",
    re.IGNORECASE,
)
NON_ANSWER_TAIL = re.compile(
    r"(\s+(the|this|that|an?|my|any)?\s*(answer|question|one|it|this|that|topic)?)*"
    r"(\s+(to|for|about|on)\s+(this|that|the)\s+(question|one|topic))?([,\s]+(sorry|yet|here))*[\s.!?]*",
    re.IGNORECASE,
)
EVIDENCE_SUPPORT = 0.45  # a quoted sentence must align this well on its own (golden: median 0.52 at 5, 0.31 at 0)


class OfflineGrader:
    name = "offline"
    model_name = "all-MiniLM-L6-v2 token alignment"

    @ignoring_injections
    def grade(self, item: GradingItem) -> GradeResult:
        if not item.rubric:  # no rubric: each reference sentence is a criterion worth a point
            sentences = embeddings.sentences(item.reference_answer) or [item.reference_answer.strip() or "-"]
            item = replace(item, rubric=[(s, 1) for s in sentences])
        features = self.features(item)
        if isinstance(features, str):
            return self.zero(item, features)
        cal = calibration.current()
        criteria, notes = self.criteria(item, features, cal)
        score = criteria_score(criteria)
        half = cal.half_width(score, calibration.kind(len(item.rubric)))
        interval = (
            f"{int(calibration.COVERAGE * 100)}% interval: {max(0.0, score - half):.1f}-{min(5.0, score + half):.1f}."
        )
        return GradeResult(
            score=score,
            criteria=criteria,
            # The words come from the points (wording.py, shared with the LLM grader).
            summary=f"{summary(criteria, notes, score)} {interval}",
            grader=self.name,
            model_name=self.model_name,
            prompt_version=f"calibration:{cal.fitted_on}"[:40],
            confidence=round(float(np.clip(1 - half / 5, 0, 1)), 3),
            notes=notes,
        )

    @staticmethod
    def features(item: GradingItem) -> AnswerFeatures | str:
        """The answer's evidence, or the reason it earns nothing at all."""
        words = re.findall(r"[A-Za-z]{2,}", item.answer)
        if is_non_answer(item.answer):
            return "The answer says the candidate does not know; there is nothing to grade."
        too_short = "The answer is too short to show understanding; explain your reasoning."
        if not words and item.numeric_answer is None:
            return too_short
        features = extract(item)
        if features.states_reference:  # "Short circuit.": short, and what the reference says
            return features
        if len(words) < MIN_CONTENT_WORDS and item.numeric_answer is None:
            return too_short
        if features.echo_only:
            return "The answer only restates the question (or the rubric)."
        if features.content_words < 1 and not (features.numeric and features.numeric.correct):
            return too_short
        return features

    @staticmethod
    def shares(
        item: GradingItem, features: AnswerFeatures, cal: calibration.Calibration
    ) -> tuple[list[float], list[str]]:
        """Each criterion's share of its points (0-1), after the guards, and notes for the summary."""
        rows = np.array([c.vector() for c in features.criteria], dtype=float)
        contradiction = np.array([c.contradiction for c in features.criteria], dtype=float)
        shares = [float(s) for s in cal.shares(rows, contradiction)]
        points = [p for _, p in item.rubric]
        notes: list[str] = []
        # Said only where the answer speaks to the criterion and negates what it states: a
        # "never" in an answer about something else is no statement of the opposite.
        if any(
            c.states_opposite and c.support >= EVIDENCE_SUPPORT and s < 0.5
            for c, s in zip(features.criteria, shares, strict=True)
        ):
            notes.append("Part of the answer appears to state the opposite of the reference.")
        check = features.numeric
        if check is not None:
            key = numeric_criterion(item)
            if check.correct:
                if key is not None:
                    shares[key] = 1.0
                notes.append(f"The stated {check.stated} matches the expected answer.")
            else:
                if key is not None:
                    shares[key] = 0.0
                shares = cap(shares, points, NUMERIC_WRONG_CAP)
                notes.append(
                    {
                        "wrong": f"The stated result ({check.stated}) does not match the expected answer.",
                        "none": "The answer states no final number; a numeric question needs one.",
                        "sprayed": "The answer lists many numbers; state one final result.",
                    }[check.status]
                )
        if is_keyword_list(features):
            shares = cap(shares, points, KEYWORD_LIST_CAP)
            notes.append("A list of terms without explanation earns little credit.")
        return shares, notes

    @classmethod
    def criteria(
        cls, item: GradingItem, features: AnswerFeatures, cal: calibration.Calibration
    ) -> tuple[list[CriterionResult], list[str]]:
        """Points, evidence and feedback per criterion, and notes for the summary."""
        shares, notes = cls.shares(item, features, cal)
        results = []
        for share, evidence, (text, points) in zip(shares, features.criteria, item.rubric, strict=True):
            earned = math.floor(points * share * 100 + 1e-6) / 100  # never rounded above a cap
            quote = evidence.evidence if earned > 0 and evidence.support >= EVIDENCE_SUPPORT else ""
            results.append(
                CriterionResult(
                    criterion=text,
                    points=earned,
                    max_points=points,
                    evidence=quote,
                    feedback=criterion_feedback(earned, points, text),
                )
            )
        return results, notes

    def zero(self, item: GradingItem, reason: str) -> GradeResult:
        # As sure as the calibration's errors around 0 are small, not a constant.
        half = calibration.current().half_width(0.0, calibration.kind(len(item.rubric)))
        results = [
            CriterionResult(
                criterion=text, points=0.0, max_points=points, evidence="", feedback=criterion_feedback(0, points, text)
            )
            for text, points in item.rubric
        ]
        return GradeResult(
            score=0.0,
            criteria=results,
            summary=reason,
            grader=self.name,
            model_name=self.model_name,
            confidence=round(float(np.clip(1 - half / 5, 0, 1)), 3),
        )


def is_non_answer(text: str) -> bool:
    sentences = [s for s in re.split(r"(?<=[.!?])\s+|\n+", text.strip()) if s.strip()]
    return bool(sentences) and all(
        (m := NON_ANSWER.match(s.strip())) is not None and NON_ANSWER_TAIL.fullmatch(s.strip()[m.end() :])
        for s in sentences
    )


def is_keyword_list(features: AnswerFeatures) -> bool:
    """Terms without the words that make them statements: capped at KEYWORD_LIST_CAP."""
    return features.content_words >= 6 and features.stopword_ratio < KEYWORD_LIST_STOPWORDS


def numeric_criterion(item: GradingItem) -> int | None:
    """The criterion that asks for the final number: the one whose text states the key."""
    for i, (text, _) in enumerate(item.rubric):
        check = numbers.check(text, item.numeric_answer, item.numeric_tolerance, item.numeric_unit)
        if check is not None and check.correct:
            return i
    return None


def cap(shares: list[float], points: list[int], limit: float) -> list[float]:
    """Scale the shares down so that the score (0-5) is at most `limit`."""
    total = sum(points) or 1
    score = 5 * sum(s * p for s, p in zip(shares, points, strict=True)) / total
    return shares if score <= limit else [s * limit / score for s in shares]


def criteria_score(criteria: list[CriterionResult]) -> float:
    """The overall score: the criteria's points, scaled to 0-5."""
    total = sum(c.max_points for c in criteria)
    return round(float(np.clip(5 * sum(c.points for c in criteria) / total, 0, 5)), 2) if total else 0.0
