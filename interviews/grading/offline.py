"""Offline grader: rubric-point coverage by MiniLM sentence embeddings.

Each rubric criterion is compared with every answer sentence; the best cosine
similarity, mapped linearly between two anchors, is the share of the criterion's points
earned. Sentences that merely restate the question earn nothing. Numeric questions also
check the stated number against the key. A later calibration refines the mapping."""

import re

import numpy as np

from interviews.grading import embeddings
from interviews.grading.base import CriterionResult, GradeResult, GradingItem

# Cosine anchors: at or below LOW a criterion is not addressed; at or above HIGH, fully.
LOW, HIGH = 0.30, 0.68
QUESTION_ECHO = 0.88  # a sentence this close to the question is a restatement
MIN_WORDS = 4
NUMBER = re.compile(r"-?\d+(?:[.,]\d+)*(?:[eE][-+]?\d+)?")


def _coverage(similarity: float) -> float:
    return float(np.clip((similarity - LOW) / (HIGH - LOW), 0.0, 1.0))


def _numbers(text: str) -> list[float]:
    values = []
    for token in NUMBER.findall(text):
        try:
            values.append(float(token.replace(",", "")))
        except ValueError:
            continue
    return values


class OfflineGrader:
    name = "offline"
    model_name = "all-MiniLM-L6-v2"

    def grade(self, item: GradingItem) -> GradeResult:
        answer = item.answer.strip()
        if len(re.findall(r"[A-Za-z]{2,}", answer)) < MIN_WORDS and item.numeric_answer is None:
            return self._empty(item, "The answer is too short to show understanding; explain your reasoning.")

        answer_sentences = embeddings.sentences(answer)
        if not answer_sentences:
            answer_sentences = [answer[:2000]]
        vectors = embeddings.embed([item.question, *[c for c, _ in item.rubric], *answer_sentences])
        question_vec, criteria_vecs, sentence_vecs = (
            vectors[0],
            vectors[1 : 1 + len(item.rubric)],
            vectors[1 + len(item.rubric) :],
        )
        # Restating the question is not answering it.
        keep = sentence_vecs @ question_vec < QUESTION_ECHO
        sentence_vecs = sentence_vecs[keep]
        kept_sentences = [s for s, k in zip(answer_sentences, keep, strict=True) if k]
        if not kept_sentences:
            return self._empty(item, "The answer only restates the question.")

        similarity = criteria_vecs @ sentence_vecs.T  # criteria x sentences
        results = []
        for i, (text, points) in enumerate(item.rubric):
            best = int(np.argmax(similarity[i]))
            share = _coverage(float(similarity[i, best]))
            earned = round(points * share * 2) / 2  # half points
            results.append(
                CriterionResult(
                    criterion=text,
                    points=earned,
                    max_points=points,
                    evidence=kept_sentences[best] if earned > 0 else "",
                    feedback=self._feedback(share, text),
                )
            )
        total = sum(p for _, p in item.rubric) or 1
        score = 5.0 * sum(r.points for r in results) / total
        notes = []
        if item.numeric_answer is not None:
            correct = any(abs(v - item.numeric_answer) <= (item.numeric_tolerance or 0) for v in _numbers(answer))
            # The number carries half the grade; the reasoning the rubric checks, the rest.
            score = 0.5 * score + (2.5 if correct else 0.0)
            notes.append("The final number matches the key." if correct else "The final number does not match.")
        score = round(min(5.0, max(0.0, score)), 2)
        return GradeResult(
            score=score,
            criteria=results,
            summary=self._summary(results, notes),
            grader=self.name,
            model_name=self.model_name,
            notes=notes,
        )

    def _empty(self, item: GradingItem, reason: str) -> GradeResult:
        results = [
            CriterionResult(criterion=text, points=0.0, max_points=points, evidence="", feedback=f"Missing: {text}")
            for text, points in item.rubric
        ]
        return GradeResult(score=0.0, criteria=results, summary=reason, grader=self.name, model_name=self.model_name)

    @staticmethod
    def _feedback(share: float, criterion: str) -> str:
        if share >= 0.75:
            return f"Covered: {criterion}"
        if share > 0:
            return f"Partly covered; make this explicit: {criterion}"
        return f"Missing: {criterion}"

    @staticmethod
    def _summary(results: list[CriterionResult], notes: list[str]) -> str:
        missing = [r.criterion for r in results if r.points < r.max_points / 2]
        lines = list(notes)
        if len(missing) == len(results):
            lines.append("The answer does not address the rubric points yet; each point above says what to cover.")
        elif missing:
            lines.append("A stronger answer would also: " + " ".join(m.rstrip(".") + "." for m in missing))
        else:
            lines.append("The answer addresses every rubric point.")
        return " ".join(lines)
