"""Evidence for each rubric criterion in an answer, for the offline grader.

Each criterion is read from the answer's MiniLM token embeddings: BERTScore-style recall
(each criterion token's best cosine among the answer's tokens, averaged) of the criterion
text and of the reference-answer sentences most related to it, over the best window of
consecutive answer sentences (so padding elsewhere cannot help), the best window's token
precision against them, the best sentence cosine, a negation/contradiction cue and a
trained entailment classifier over the same token vectors (entailment.py).
Sentences that restate the question or copy the rubric are not evidence. Lexical and
structural signals catch keyword lists."""

import re
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray
from rapidfuzz import process
from rapidfuzz.distance import OSA
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from interviews import embeddings
from interviews.grading import entailment, numbers
from interviews.grading.base import GradingItem
from interviews.grading.entailment import Side

# The per-criterion signals the calibration combines (all "more is better").
FEATURES = [
    "criterion_recall",
    "reference_recall",
    "sentence_similarity",
    "lexical_recall",
    "precision",
    "demoted_recall",
    "entailment",
]
ECHO_SIMILARITY = 0.88  # an answer sentence this close to the question restates it
COPIED_SHARE = 0.85  # an answer whose words come this much from the question copies it
# An answer sentence this close to a reference sentence, and closer to it than the question
# is by STATES_MARGIN, states the reference however short or question-worded it is
# ("Short circuit.", "they are the same"): the length and restating guards let it through.
STATES_REFERENCE = 0.80
STATES_MARGIN = 0.05
RUBRIC_COPY = 0.75  # share of a sentence's word trigrams taken from the rubric text
KEYWORD_LIST_STOPWORDS = 0.15  # natural English prose is ~40-50% stopwords
TYPO_LENGTH = 6  # a word this long may be matched despite one wrong, missing or swapped letter
WINDOW = 2  # consecutive answer sentences that may jointly support a criterion
RELATED = 0.10  # a reference sentence also relates to criteria within this cosine of its closest
NEGATION_SCOPE = 3  # content words after "not", "no", "never"... that it negates
# A word of prose: two letters or more, not part of a formula's variable ("p1", "z_alpha",
# "f(x)"), so that a derivation is not mistaken for a list of terms.
ALPHA = re.compile(r"(?<![\w(])[a-z][a-z'-]+(?![\w(])")
WORD = re.compile(r"[a-z][a-z0-9+#-]*|\d+(?:\.\d+)?")
NEGATION = re.compile(
    r"\b(not|no|never|none|nothing|neither|nor|cannot|without)\b|n't\b",
    re.IGNORECASE,
)
# Pairs whose swap states the opposite (a similarity grader cannot see either).
ANTONYMS = [
    ("increase", "decrease"),
    ("increases", "decreases"),
    ("higher", "lower"),
    ("more", "less"),
    ("larger", "smaller"),
    ("open", "closed"),
    ("positive", "negative"),
    ("before", "after"),
    ("overfit", "underfit"),
    ("overfitting", "underfitting"),
    ("high", "low"),
    ("same", "different"),
    ("series", "parallel"),
    ("connected", "disconnected"),
    ("faster", "slower"),
    ("true", "false"),
]
_OPPOSITE = {a: b for a, b in ANTONYMS} | {b: a for a, b in ANTONYMS}


@dataclass
class CriterionEvidence:
    criterion_recall: float  # token recall of the criterion text, best sentence window
    reference_recall: float  # token recall of the related reference sentences
    sentence_similarity: float  # best answer sentence cosine to the criterion
    lexical_recall: float  # share of the criterion's and related reference's words, best window
    contradiction: float  # 1 when the supporting sentence negates or inverts the criterion
    evidence: str  # the answer sentence that supports the criterion best
    support: float  # that sentence's own token recall of the criterion
    # Token precision of the best window: how much of what it says aligns with the criterion
    # or its reference sentences (an answer about something else, or "incorrect" detail
    # around the reference's words, is low).
    precision: float = 0.0
    # reference_recall over only the reference tokens the question does not already say
    # ("question demoting": restating "the bulb" and "the battery" of the question is no
    # evidence of knowing why the bulb lights).
    demoted_recall: float = 0.0
    # entailment.py's classifier: does the answer state the criterion (or a related
    # reference sentence), rather than something else or its opposite? 0-1.
    entailment: float = 0.0
    # The evidence negates what the criterion (or its reference sentence) states, in the
    # negation's scope: what the feedback may call "the opposite" (`contradiction` is looser).
    states_opposite: bool = False
    # The classifier's input (the answer's kept tokens, the claims), kept for training it.
    pair: tuple[Side, list[Side]] | None = field(default=None, repr=False, compare=False)

    def vector(self) -> list[float]:
        return [
            self.criterion_recall,
            self.reference_recall,
            self.sentence_similarity,
            self.lexical_recall,
            self.precision,
            self.demoted_recall,
            self.entailment,
        ]


@dataclass
class AnswerFeatures:
    criteria: list[CriterionEvidence]
    stopword_ratio: float
    content_words: int
    echo_only: bool
    states_reference: bool  # some sentence says what a reference sentence says (STATES_REFERENCE)
    numeric: numbers.NumericCheck | None
    dropped_copies: int  # sentences dropped as restated question or copied rubric


# Cached: the same words recur in every answer and in the question side of every grade
# (measured: ~570 stems per grade, ~0.4 ms of CPU uncached). A pure function of the word.
@lru_cache(maxsize=50_000)
def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) > len(suffix) + 3:
            return word[: -len(suffix)]
    return word


def content_words(text: str) -> list[str]:
    return [_stem(w) for w in _unstemmed(text)]


@lru_cache(maxsize=4_096)
def _word_set(text: str) -> frozenset[str]:
    """content_words(text) as a set, cached: the question, the reference and the criteria
    are the same texts on every grade of a question."""
    return frozenset(content_words(text))


@lru_cache(maxsize=1_024)
def _vocabulary(texts: tuple[str, ...]) -> dict[str, str]:
    """The criteria's and reference sentences' words and their stems ({word: stem}, for
    _spelled_as), cached per question like _word_set. Callers must not modify it."""
    return {w: _stem(w) for text in texts for w in _unstemmed(text)}


def _spelled_as(word: str, vocabulary: dict[str, str]) -> str:
    """The stem of `word`, or of the vocabulary's word (a {word: stem} map) that it
    misspells by one letter (a typo, a swap): "seperated" and "trainnig" count for
    "separated" and "training". Only for words of TYPO_LENGTH letters or more, where one
    letter rarely makes another word."""
    stem = _stem(word)
    if len(word) < TYPO_LENGTH or stem in vocabulary.values():
        return stem
    near = process.extractOne(
        word, [v for v in vocabulary if len(v) >= TYPO_LENGTH], scorer=OSA.distance, score_cutoff=1
    )
    return vocabulary[near[0]] if near else stem


def _unstemmed(text: str) -> list[str]:
    return [w for w in WORD.findall(text.lower()) if w not in ENGLISH_STOP_WORDS]


def _trigrams(text: str) -> set[tuple[str, ...]]:
    words = WORD.findall(text.lower())
    return {tuple(words[i : i + 3]) for i in range(len(words) - 2)}


def _lexical_window(target: AbstractSet[str], words: list[set[str]]) -> float:
    """The best share of the target words found in up to WINDOW consecutive sentences."""
    if not target:
        return 0.0
    best = 0
    for start in range(len(words)):
        seen: set[str] = set()
        for i in range(start, min(start + WINDOW, len(words))):
            seen |= words[i]
            best = max(best, len(target & seen))
    return best / len(target)


def is_keyword_list(text: str) -> bool:
    """Terms without the words that make them a statement."""
    words = ALPHA.findall(text.lower())  # numbers, symbols and formulas are not terms
    content = [w for w in words if w not in ENGLISH_STOP_WORDS]
    return len(content) >= 6 and 1 - len(content) / max(1, len(words)) < KEYWORD_LIST_STOPWORDS


def _best_window(per_sentence: NDArray[np.float32]) -> tuple[float, int, tuple[int, int]]:
    """per_sentence: (tokens, sentences) best cosines. The best mean recall over windows of
    up to WINDOW consecutive sentences, the best single sentence, and the best window's
    sentences [start, stop) (a single sentence wins a tie)."""
    if per_sentence.shape[1] == 0:
        return 0.0, 0, (0, 0)
    single = per_sentence.mean(axis=0)
    best, span = float(single.max()), (int(single.argmax()), int(single.argmax()) + 1)
    # All windows of one size at once: each token's best over the window, averaged.
    window = per_sentence
    for size in range(2, WINDOW + 1):
        if size > per_sentence.shape[1]:
            break
        window = np.maximum(window[:, :-1], per_sentence[:, size - 1 :])
        means = window.mean(axis=0)
        if float(means.max()) > best:
            best, span = float(means.max()), (int(means.argmax()), int(means.argmax()) + size)
    return best, int(single.argmax()), span


def _contradicts(sentence: str, claim: str) -> bool:
    """The scoring cue: a negation in one and not the other, or an antonym of one of the
    claim's words in place of it. Loose on purpose: refined to the negation's scope
    (_negates) it scored SemEval's training answers lower (Beetle 0.582 -> 0.576)."""
    if bool(NEGATION.search(sentence)) != bool(NEGATION.search(claim)):
        return True
    return _swaps_antonym(sentence, claim)


def _swaps_antonym(sentence: str, claim: str) -> bool:
    said = set(WORD.findall(sentence.lower()))
    claimed = set(WORD.findall(claim.lower()))
    return any(_OPPOSITE.get(w) in said and w not in said for w in claimed if w in _OPPOSITE)


def _negated(text: str) -> set[str]:
    """The stems of the content words a negation governs: the NEGATION_SCOPE words after it."""
    lowered = text.lower()
    return {
        word
        for match in NEGATION.finditer(lowered)
        for word in content_words(lowered[match.end() : match.end() + 200])[:NEGATION_SCOPE]
    }


def _negates(sentence: str, claim: str) -> bool:
    """What the feedback may call "the opposite": one side negates words that the other
    states without negating them ("A is not in a closed path" against "A is in a closed
    path"; not "fix the size in advance, no peeking" against "fixed in advance rather than
    stopping early"), or swaps an antonym."""
    said, claimed = set(content_words(sentence)), set(content_words(claim))
    negated_said, negated_claimed = _negated(sentence), _negated(claim)
    return bool((negated_said & claimed) - negated_claimed or (negated_claimed & said) - negated_said) or (
        _swaps_antonym(sentence, claim)
    )


def extract(item: GradingItem) -> AnswerFeatures:
    answer_sentences = embeddings.sentences(item.answer) or [item.answer.strip()[:2000] or "-"]
    reference_sentences = embeddings.sentences(item.reference_answer) or [item.reference_answer.strip() or "-"]
    criteria = [text for text, _ in item.rubric] or reference_sentences
    question_sentences = embeddings.sentences(item.question) or [item.question.strip() or "-"]
    encoded = embeddings.encode([*criteria, *reference_sentences, *answer_sentences, *question_sentences])
    crit = encoded[: len(criteria)]
    refs = encoded[len(criteria) : len(criteria) + len(reference_sentences)]
    start = len(criteria) + len(reference_sentences)
    sents = encoded[start : start + len(answer_sentences)]
    quest = encoded[start + len(answer_sentences) :]
    sentence_vecs = np.stack([e.vector for e in sents])
    question_vecs = np.stack([e.vector for e in quest])
    question_vec = embeddings.centroid(question_vecs)

    # Sentences that restate the question, or copy the rubric's wording, are not evidence.
    echo = np.maximum(sentence_vecs @ question_vec, (sentence_vecs @ question_vecs.T).max(axis=1))
    rubric_grams = set().union(*(_trigrams(c) for c in criteria))
    reference_grams = _trigrams(item.reference_answer)
    ref_vecs = np.stack([r.vector for r in refs])
    # ...unless it says what the reference says at least as closely ("a damaged bulb is the
    # same as an open switch" answers "how does a damaged bulb compare to an open switch?").
    to_reference = sentence_vecs @ ref_vecs.T  # (answer sentences, reference sentences) cosines
    keep = (echo < ECHO_SIMILARITY) | (to_reference.max(axis=1) >= echo)
    # The question's own closeness to the reference is the bar: a pasted question never clears it.
    states_reference = bool(
        to_reference.max() >= STATES_REFERENCE
        and to_reference.max() > (question_vecs @ ref_vecs.T).max() + STATES_MARGIN
    )
    listed = np.array([is_keyword_list(sentence) for sentence in answer_sentences])
    for i, sentence in enumerate(answer_sentences):
        grams = _trigrams(sentence)
        if len(grams) >= 3:
            from_rubric = len(grams & rubric_grams) / len(grams)
            if from_rubric >= RUBRIC_COPY and from_rubric > len(grams & reference_grams) / len(grams):
                keep[i] = False
    answer_words = content_words(item.answer)
    question_words = _word_set(item.question)
    # A copied word is one of the question's that the reference does not use: "overfitting"
    # and "add regularization" answer "overfitting or underfitting, add or remove
    # regularization?" in the question's own words (counting every question word as
    # copied refused 31 of SciEntsBank's correct training answers).
    reference_words = _word_set(item.reference_answer)
    copied = sum(w in question_words and w not in reference_words for w in answer_words)
    echo_only = bool(not keep.any() or (len(answer_words) >= 8 and copied / len(answer_words) >= COPIED_SHARE))
    dropped = int((~keep).sum())
    if not keep.any():
        keep = np.ones_like(keep, dtype=bool)
    elif (keep & ~listed).any():
        keep &= ~listed  # a keyword list beside real sentences is not evidence either
    kept = [s for s, k in zip(sents, keep, strict=True) if k]
    kept_text = [s for s, k in zip(answer_sentences, keep, strict=True) if k]
    kept_vecs = np.stack([e.vector for e in kept])
    tokens = np.concatenate([e.tokens for e in kept])
    # Each kept sentence's tokens are contiguous: its first token's index starts a segment.
    starts = np.cumsum([0] + [len(e.tokens) for e in kept[:-1]])

    def per_sentence(claim: embeddings.Encoded) -> NDArray[np.float32]:
        sims = claim.tokens @ tokens.T  # (claim tokens, answer tokens)
        return np.maximum.reduceat(sims, starts, axis=1)  # (claim tokens, sentences) best cosines

    said = {name for q in quest for name in q.names}

    def side(tokens: NDArray[np.float32], names: list[str]) -> Side:
        """Tokens with a flag on those the question already says."""
        flags = [name in said for name in names] if len(names) == len(tokens) else [False] * len(tokens)
        return tokens, np.array(flags, dtype=np.float32)

    token_names = [name for e in kept for name in e.names]
    bounds = [*starts, len(tokens)]
    ref_recall, demoted_recall = [], []
    for r in refs:
        matrix = per_sentence(r)
        full = _best_window(matrix)[0]
        new = np.array([name not in said for name in r.names], dtype=bool)
        usable = len(new) == len(r.tokens) and new.any()
        ref_recall.append(full)
        demoted_recall.append(_best_window(matrix[new])[0] if usable else full)
    counts = np.array([len(e.tokens) for e in kept], dtype=np.float32)

    def precision(claims: list[embeddings.Encoded]) -> float:
        """The best token precision over windows of up to WINDOW sentences: each answer
        token's best cosine among the claims' tokens, averaged over the window's tokens."""
        best = (tokens @ np.concatenate([c.tokens for c in claims]).T).max(axis=1)
        sums = np.add.reduceat(best, starts)
        return max(
            float(sums[i : i + size].sum() / counts[i : i + size].sum())
            for size in range(1, WINDOW + 1)
            for i in range(max(1, len(kept) - size + 1))
        )

    ref_words = [_word_set(t) for t in reference_sentences]
    vocabulary = _vocabulary((*criteria, *reference_sentences))
    kept_words = [{_spelled_as(w, vocabulary) for w in _unstemmed(t)} for t in kept_text]
    # Each reference sentence belongs to the criteria it is closest to (and to any criterion
    # within RELATED of that); each criterion keeps at least its closest sentence. With one
    # criterion, every reference sentence is an alternative statement of it.
    crit_vecs = np.stack([c.vector for c in crit])
    relation = ref_vecs @ crit_vecs.T  # (reference sentences, criteria)
    owned = relation >= relation.max(axis=1, keepdims=True) - RELATED
    owned[relation.argmax(axis=0), np.arange(len(crit))] = True
    results = []
    for j, (text, c) in enumerate(zip(criteria, crit, strict=True)):
        matrix = per_sentence(c)
        recall, best_sentence, (first, stop) = _best_window(matrix)
        cosines = kept_vecs @ c.vector
        related = [int(i) for i in np.flatnonzero(owned[:, j])]
        best_ref = max(related, key=lambda i: ref_recall[i])
        support = float(matrix[:, best_sentence].mean())
        criterion_words = _word_set(text)
        lexical = 0.0
        for i in related:
            target = criterion_words | ref_words[i]
            lexical = max(lexical, _lexical_window((target - question_words) or target, kept_words))
        evidence = kept_text[best_sentence]
        aligned = precision([c, *(refs[i] for i in related)])
        claim = reference_sentences[best_ref] if relation[best_ref, j] > 0.5 else text
        # The classifier reads the window that supports the criterion best, as the recall
        # does: sentences elsewhere (padding) cannot move it.
        answer_side = side(tokens[bounds[first] : bounds[stop]], token_names[bounds[first] : bounds[stop]])
        claims = [side(c.tokens, list(c.names)), *(side(refs[i].tokens, list(refs[i].names)) for i in related)]
        results.append(
            CriterionEvidence(
                criterion_recall=recall,
                reference_recall=float(ref_recall[best_ref]),
                sentence_similarity=float(cosines.max()),
                lexical_recall=lexical,
                contradiction=float(_contradicts(evidence, text) and _contradicts(evidence, claim)),
                states_opposite=_negates(evidence, text) or _negates(evidence, claim),
                evidence=evidence,
                support=support,
                precision=aligned,
                demoted_recall=max(demoted_recall[i] for i in related),
                entailment=entailment.support(answer_side, claims),
                pair=(answer_side, claims),
            )
        )
    # Worked lines ("Weighted impurity = 0.4*0.375 + 0.6*0.278 = 0.317") are terse by
    # nature: whether the answer is a list of terms is judged on its other sentences.
    prose = " ".join(s for s in answer_sentences if not numbers.WORKING.search(s) or "=" not in s)
    all_words = ALPHA.findall(prose.lower())
    alpha_content = [w for w in all_words if w not in ENGLISH_STOP_WORDS]
    return AnswerFeatures(
        criteria=results,
        stopword_ratio=1 - len(alpha_content) / max(1, len(all_words)),
        content_words=len(answer_words),
        echo_only=echo_only,
        states_reference=states_reference,
        numeric=numbers.check(
            item.answer, item.numeric_answer, item.numeric_tolerance, item.numeric_unit, item.reference_answer
        ),
        dropped_copies=dropped,
    )
