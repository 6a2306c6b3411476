"""The figures the results and review pages print from Python (hiring/services/shown.py,
url_by_pk) give the same text as the template filters and tags they replaced."""

import random

import pytest
from django.template.defaultfilters import floatformat
from django.urls import reverse

from hiring.services.shown import fixed
from hiring.views.access import url_by_pk

EDGES = [0.85, 0.845, 2.675, 0.005, -0.005, -0.004, -0.001, -0.0, 0.0, 1e-7, -1e-7, 0.5, 1.5, 2.5, -2.5, 1 / 3, 5, 3]


@pytest.mark.parametrize("places", [0, 1, 2])
def test_fixed_prints_what_floatformat_prints(places):
    rng = random.Random(places)
    values = [
        *EDGES,
        *(rng.uniform(-5, 5) for _ in range(2000)),  # scores, gaps, correlations
        *(round(rng.uniform(0, 100), 3) for _ in range(2000)),  # percentages
        *(rng.randint(-1000, 1000) for _ in range(200)),
    ]
    assert [fixed(v, places) for v in values] == [str(floatformat(v, places)) for v in values]
    assert fixed(None, places) == floatformat(None, places) == ""


def test_url_by_pk_is_reverse():
    transcript = url_by_pk("transcript")
    assert [transcript(pk) for pk in (1, 42, 123456)] == [reverse("transcript", args=[pk]) for pk in (1, 42, 123456)]
