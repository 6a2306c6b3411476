"""YAML for the bank's content files, parsed by libyaml when PyYAML was built with it.

The pure-Python SafeLoader takes ~2.8 s to read the bank's ~100 files here; libyaml's
CSafeLoader reads the same data in ~0.2 s. Both are safe loaders and give equal results
(tests/interviews/test_bank.py checks)."""

from typing import Any

import yaml

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load(text: str) -> Any:
    return yaml.load(text, Loader=Loader)
