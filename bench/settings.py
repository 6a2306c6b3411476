"""The project's settings with one page more (bench/urls.py), for `make bench-scale` only."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
