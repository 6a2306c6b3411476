from pathlib import Path

import pytest

from interviews.models import Posting, Requirement
from interviews.postings.analysis import analyze, infer_seniority
from interviews.postings.services import create_posting
from interviews.postings.text import PostingTextError, clean, split_lines

POSTINGS = Path(__file__).resolve().parents[3] / "shared" / "postings"

SAMPLE = """# Senior Machine Learning Engineer
We build search for millions of users.

**Requirements:**
* 5+ years with Python and PyTorch
* Experience with A/B testing and statistics

**Nice to have:**
- Spark or Databricks

**Benefits:**
- Free lunch and a Python book budget
"""


def test_clean_repairs_mojibake():
    assert clean("the companyâ€™s team") == "the company’s team" or "company's" in clean("the companyâ€™s team")


def test_sections_are_recognised_and_benefits_dropped():
    lines = split_lines(clean(SAMPLE))
    sections = {line.text: line.section for line in lines}
    assert sections["5+ years with Python and PyTorch"] == "must"
    assert sections["Spark or Databricks"] == "nice"
    assert sections["Free lunch and a Python book budget"] == "ignored"


@pytest.mark.django_db
def test_analysis_maps_requirements_to_skills(bank):
    analysis = analyze(SAMPLE)
    assert analysis.title == "Senior Machine Learning Engineer"
    assert analysis.seniority == "senior"
    by_text = {r.text: {m.slug for m in r.skills} for r in analysis.requirements}
    assert {"python", "pytorch"} <= by_text["5+ years with Python and PyTorch"]
    assert "statistics" in by_text["Experience with A/B testing and statistics"]
    assert not any("lunch" in text for text in by_text)
    profile = analysis.skill_profile()
    assert abs(sum(profile.values()) - 1) < 1e-9


@pytest.mark.parametrize(
    ("title", "text", "expected"),
    [
        ("Staff ML Engineer", "", "staff"),
        ("Junior Data Scientist", "", "junior"),
        ("ML Engineer", "You have 6+ years of experience", "senior"),
        ("ML Engineer", "2-3 years in industry", "mid"),
        ("ML Engineer", "", "mid"),
    ],
)
def test_seniority_from_title_then_years(title, text, expected):
    assert infer_seniority(title, text) == expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("   \n\t ", "empty"),
        ("x" * 2_000_001, "too long"),
        ("\x00\x01\x02binary" * 50, "binary"),
        (bytes(range(256)).decode("latin-1") * 20, "binary"),
        ("Lovely flat in Berlin, two bedrooms, balcony.", "No machine-learning skills"),
    ],
)
def test_unusable_text_is_refused_with_a_clear_message_and_nothing_saved(bank, user, text, message):
    with pytest.raises(PostingTextError, match=message):
        create_posting(user, text)
    assert Posting.objects.count() == 0
    assert Requirement.objects.count() == 0


@pytest.mark.django_db
def test_hostile_html_is_stored_as_plain_text(bank, user):
    posting = create_posting(user, "<script>alert(1)</script>\nRequirements:\n- Python <b>and</b> SQL")
    assert posting.requirements.filter(text__contains="Python").exists()


@pytest.mark.django_db
def test_create_posting_saves_requirements_with_skills(bank, user):
    posting = create_posting(user, SAMPLE)
    assert posting.requirements.count() >= 3
    assert posting.seniority == "senior"
    assert list(posting.skill_profile())[:1]  # at least one weighted skill


def _posting(name: str) -> str:
    path = POSTINGS / name
    if not path.exists():
        pytest.skip(f"{path} is not available")
    return path.read_text(encoding="utf-8")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "must_surface", "seniority"),
    [
        ("senior-dl-algorithm-engineer-gpu.md", {"gpu-performance", "gpu-profiling", "pytorch"}, "senior"),
        ("junior-data-scientist-recsys.txt", {"recommendation-ranking", "pandas", "scikit-learn"}, "junior"),
        ("deep-learning-engineer-startup.md", {"dl-fundamentals"}, None),
        ("ml-engineer-research.txt", {"classical-ml"}, None),
        ("ml-engineer-template.md", {"python"}, None),
    ],
)
def test_real_postings_surface_their_core_skills(bank, name, must_surface, seniority):
    analysis = analyze(_posting(name))
    top = set(list(analysis.skill_profile())[:10])
    assert must_surface <= top, f"top skills were {top}"
    if seniority:
        assert analysis.seniority == seniority
