"""Features of an answer against its question, rubric and reference answer, for the
offline grader. Semantic features come from MiniLM sentence embeddings; lexical and
structural ones catch what embeddings miss (keyword lists, copied questions, padding)."""

import math
import re
from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from interviews.grading import embeddings
from interviews.grading.base import GradingItem

FEATURES = [
    "coverage_mean",
    "coverage_max",
    "coverage_min",
    "reference_similarity",
    "reference_recall",
    "lexical_recall",
    "lexical_precision",
    "length_ratio",
]
ECHO_SIMILARITY = 0.88  # an answer sentence this close to the question restates it
COPIED_SHARE = 0.85  # an answer whose words come this much from the question copies it
WORD = re.compile(r"[a-z][a-z0-9+#-]*|\d+(?:\.\d+)?")
NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?(?:[eE][-+]?\d+)?")


@dataclass
class AnswerFeatures:
    values: dict[str, float]
    criterion_similarity: list[float]  # best cosine per rubric criterion
    criterion_evidence: list[str]  # the answer sentence behind it
    stopword_ratio: float
    content_words: int
    echo_only: bool
    numeric_correct: bool | None  # None: not a numeric question or no number stated

    def vector(self) -> list[float]:
        return [self.values[name] for name in FEATURES]


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) > len(suffix) + 3:
            return word[: -len(suffix)]
    return word


def content_words(text: str) -> list[str]:
    return [_stem(w) for w in WORD.findall(text.lower()) if w not in ENGLISH_STOP_WORDS]


def stated_number_correct(answer: str, value: float | None, tolerance: float | None) -> bool | None:
    """Judge the final answer: the numbers of the last sentence that states any. Spraying
    many numbers earlier in the answer earns nothing."""
    if value is None:
        return None
    for sentence in reversed(embeddings.sentences(answer) or [answer]):
        numbers = []
        for token in NUMBER.findall(sentence):
            try:
                numbers.append(float(token.replace(",", "")))
            except ValueError:
                continue
        if numbers:
            return any(abs(n - value) <= max(tolerance or 0.0, 1e-9) for n in numbers[-2:])
    return None


def extract(item: GradingItem) -> AnswerFeatures:
    answer_sentences = embeddings.sentences(item.answer) or [item.answer.strip()[:2000] or "-"]
    reference_sentences = embeddings.sentences(item.reference_answer) or [item.reference_answer]
    criteria = [text for text, _ in item.rubric] or reference_sentences
    question_sentences = embeddings.sentences(item.question) or [item.question]
    texts = [*criteria, *reference_sentences, *answer_sentences, *question_sentences]
    vectors = embeddings.embed(texts)
    offset = len(criteria)
    criteria_vecs = vectors[:offset]
    reference_vecs = vectors[offset : offset + len(reference_sentences)]
    offset += len(reference_sentences)
    sentence_vecs = vectors[offset : offset + len(answer_sentences)]
    question_vecs = vectors[offset + len(answer_sentences) :]
    question_vec = embeddings.centroid(question_vecs)
    reference_vec = embeddings.centroid(reference_vecs)
    answer_vec = embeddings.centroid(sentence_vecs)

    # Sentences that restate the question (or one of its sentences) are not evidence.
    echo = np.maximum(sentence_vecs @ question_vec, (sentence_vecs @ question_vecs.T).max(axis=1))
    keep = echo < ECHO_SIMILARITY
    answer_words = content_words(item.answer)
    question_words = set(content_words(item.question))
    reference_only = set(content_words(item.reference_answer)) - question_words
    copied = sum(w in question_words and w not in reference_only for w in answer_words)
    echo_only = not keep.any() or (len(answer_words) >= 8 and copied / len(answer_words) >= COPIED_SHARE)
    if echo_only:
        keep = np.ones_like(keep, dtype=bool)
    kept_vecs = sentence_vecs[keep]
    kept_sentences = [s for s, k in zip(answer_sentences, keep, strict=True) if k]

    criterion_sim = criteria_vecs @ kept_vecs.T
    best = criterion_sim.max(axis=1)
    evidence = [kept_sentences[int(i)] for i in criterion_sim.argmax(axis=1)]
    weights = np.array([points for _, points in item.rubric], dtype=float) if item.rubric else np.ones(len(criteria))
    reference_recall = float((reference_vecs @ kept_vecs.T).max(axis=1).mean())

    reference_words = set(content_words(item.reference_answer + " " + " ".join(criteria)))
    on_topic = reference_words | question_words
    all_words = WORD.findall(item.answer.lower())
    values = {
        "coverage_mean": float(np.average(best, weights=weights)),
        "coverage_min": float(best.min()),
        "coverage_max": float(best.max()),
        "reference_similarity": float(answer_vec @ reference_vec),
        "reference_recall": reference_recall,
        "lexical_recall": len(set(answer_words) & reference_words) / max(1, len(reference_words)),
        "lexical_precision": sum(w in on_topic for w in answer_words) / max(1, len(answer_words)),
        # Distinct on-topic words against the reference's: filler and repetition add nothing.
        "length_ratio": min(1.0, math.log1p(len(set(answer_words) & on_topic)) / math.log1p(len(reference_words))),
    }
    return AnswerFeatures(
        values=values,
        criterion_similarity=[float(b) for b in best],
        criterion_evidence=evidence,
        stopword_ratio=1 - len(answer_words) / max(1, len(all_words)),
        content_words=len(answer_words),
        echo_only=echo_only,
        numeric_correct=stated_number_correct(item.answer, item.numeric_answer, item.numeric_tolerance),
    )
