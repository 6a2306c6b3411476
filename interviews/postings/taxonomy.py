"""The skill taxonomy as the posting analyser needs it: synonym patterns and skill
embeddings, built once per process and rebuilt when the taxonomy changes."""

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray

from interviews import embeddings
from interviews.models import Skill


@dataclass(frozen=True)
class SkillIndex:
    slugs: list[str]
    names: dict[str, str]
    patterns: list[tuple[str, re.Pattern[str], re.Pattern[str] | None]]  # slug, strong terms, weak terms
    anchors: NDArray[np.float32]  # embedded phrases that describe skills
    anchor_skill: NDArray[np.intp]  # for each anchor, the index of its skill in `slugs`

    def similarity(self, texts: list[str]) -> NDArray[np.float32]:
        """texts x skills: the best cosine similarity of each text to any anchor of each skill."""
        if not texts:
            return np.zeros((0, len(self.slugs)), dtype=np.float32)
        per_anchor = embeddings.embed(texts) @ self.anchors.T
        best = np.full((len(texts), len(self.slugs)), -1.0, dtype=np.float32)
        for skill in range(len(self.slugs)):
            best[:, skill] = per_anchor[:, self.anchor_skill == skill].max(axis=1)
        return best


Row = tuple[str, str, str, tuple[str, ...], tuple[str, ...]]


def _pattern(terms: set[str]) -> re.Pattern[str] | None:
    if not terms:
        return None
    alternation = "|".join(re.escape(term) for term in sorted(terms, key=len, reverse=True))
    # Word boundaries that also respect tokens such as "c++", "a/b" and "torch.compile".
    return re.compile(rf"(?<![\w/.+-])({alternation})(?![\w+])", re.IGNORECASE)


def _signature() -> tuple[str, tuple[Row, ...]]:
    rows = tuple(
        (slug, name, description, tuple(synonyms), tuple(weak))
        for slug, name, description, synonyms, weak in Skill.objects.order_by("slug").values_list(
            "slug", "name", "description", "synonyms", "weak_synonyms"
        )
    )
    return hashlib.sha256(repr(rows).encode()).hexdigest(), rows


@lru_cache(maxsize=2)
def _build(digest: str, rows: tuple[Row, ...]) -> SkillIndex:
    patterns = []
    anchors: list[str] = []
    owners: list[int] = []
    for i, (slug, name, description, synonyms, weak) in enumerate(rows):
        strong = _pattern({t.lower() for t in (name, *synonyms)})
        assert strong is not None
        patterns.append((slug, strong, _pattern({t.lower() for t in weak})))
        # Anchors: the whole description, each phrase of it, and the multi-word synonyms
        # (a lone word such as "torch" embeds close to unrelated uses of it).
        phrases = [p.strip() for p in re.split(r",|;| and ", description.rstrip(".")) if len(p.strip()) > 3]
        texts = [f"{name}: {description}", *phrases, *(syn for syn in synonyms if " " in syn)]
        anchors.extend(texts)
        owners.extend([i] * len(texts))
    return SkillIndex(
        slugs=[row[0] for row in rows],
        names={row[0]: row[1] for row in rows},
        patterns=patterns,
        anchors=embeddings.embed(anchors),
        anchor_skill=np.array(owners, dtype=np.intp),
    )


def skill_index() -> SkillIndex:
    return _build(*_signature())
