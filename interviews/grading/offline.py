"""Offline grader: no network. Features of the answer (rubric coverage by MiniLM
sentence embeddings, similarity to the reference, lexical overlap, question echo,
length) are mapped to 0-5 by a calibration fitted on labelled answers. Guards outside
the calibration handle what labelled data rarely shows: empty or tiny answers, copied
questions, bare keyword lists, and numeric keys."""

import re

import numpy as np

from interviews.grading import calibration
from interviews.grading.base import CriterionResult, GradeResult, GradingItem
from interviews.grading.features import AnswerFeatures, extract
from interviews.grading.guards import ignoring_injections
from interviews.grading.wording import criterion_feedback, summary

MIN_CONTENT_WORDS = 3
KEYWORD_LIST_STOPWORDS = 0.15  # natural English prose is ~40-50% stopwords
KEYWORD_LIST_CAP = 1.0
# Criterion coverage: best cosine at or below LOW earns nothing, at or above HIGH all.
LOW, HIGH = 0.30, 0.68


class OfflineGrader:
    name = "offline"
    model_name = "all-MiniLM-L6-v2 + ridge calibration"

    @ignoring_injections
    def grade(self, item: GradingItem) -> GradeResult:
        features = self.features(item)
        if isinstance(features, str):
            return self._zero(item, features)
        cal = calibration.current()
        score, notes = self.score(item, features, cal)
        criteria = self._criteria(item, features, score)
        return GradeResult(
            score=score,
            criteria=criteria,
            summary=summary(criteria, notes, score),
            grader=self.name,
            model_name=self.model_name,
            prompt_version=f"calibration:{cal.fitted_on}"[:40],
            confidence=self._confidence(features, score, cal),
            notes=notes,
        )

    @staticmethod
    def features(item: GradingItem) -> AnswerFeatures | str:
        """The answer's features, or the reason it earns nothing at all."""
        words = re.findall(r"[A-Za-z]{2,}", item.answer)
        if len(words) < MIN_CONTENT_WORDS and item.numeric_answer is None:
            return "The answer is too short to show understanding; explain your reasoning."
        features = extract(item)
        if features.echo_only:
            return "The answer only restates the question."
        return features

    @staticmethod
    def score(item: GradingItem, features: AnswerFeatures, cal: calibration.Calibration) -> tuple[float, list[str]]:
        score = float(cal.predict(np.array(features.vector()))[0])
        notes: list[str] = []
        if features.content_words >= 6 and features.stopword_ratio < KEYWORD_LIST_STOPWORDS:
            score = min(score, KEYWORD_LIST_CAP)
            notes.append("A list of terms without explanation earns little credit.")
        if features.content_words < MIN_CONTENT_WORDS:
            score = 0.0
        if item.numeric_answer is not None:
            # The stated final number carries half the grade; the reasoning, the rest.
            correct = bool(features.numeric_correct)
            score = 0.5 * score + (2.5 if correct else 0.0)
            notes.append("The final number matches the key." if correct else "The final number does not match.")
        return round(float(np.clip(score, 0.0, 5.0)), 2), notes

    @staticmethod
    def _criteria(item: GradingItem, features: AnswerFeatures, score: float) -> list[CriterionResult]:
        """Per-criterion points from coverage, scaled so they add up to the overall score."""
        shares = [float(np.clip((s - LOW) / (HIGH - LOW), 0, 1)) for s in features.criterion_similarity]
        total = sum(points for _, points in item.rubric) or 1
        raw = sum(share * points for share, (_, points) in zip(shares, item.rubric, strict=False))
        target = score / 5 * total
        factor = target / raw if raw else 0.0
        results = []
        for share, evidence, (text, points) in zip(shares, features.criterion_evidence, item.rubric, strict=False):
            earned = min(points, round(points * share * factor * 2) / 2)
            results.append(
                CriterionResult(
                    criterion=text,
                    points=earned,
                    max_points=points,
                    evidence=evidence if earned > 0 else "",
                    feedback=criterion_feedback(earned, points, text),
                )
            )
        return results

    @staticmethod
    def _confidence(features: AnswerFeatures, score: float, cal: calibration.Calibration) -> float:
        """Two independent readings of the answer should agree: rubric coverage alone and
        the calibrated score. Disagreement, and the calibration's own error, lower it."""
        coverage_only = 5 * float(np.clip((features.values["coverage_mean"] - LOW) / (HIGH - LOW), 0, 1))
        disagreement = abs(coverage_only - score) / 5
        return round(float(np.clip(1 - disagreement - cal.residual_sd / 5, 0, 1)), 3)

    def _zero(self, item: GradingItem, reason: str) -> GradeResult:
        results = [
            CriterionResult(
                criterion=text, points=0.0, max_points=points, evidence="", feedback=criterion_feedback(0, points, text)
            )
            for text, points in item.rubric
        ]
        return GradeResult(
            score=0.0, criteria=results, summary=reason, grader=self.name, model_name=self.model_name, confidence=0.9
        )
