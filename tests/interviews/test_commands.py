import json

import pytest
from django.core.management import CommandError, call_command

from interviews.bank.coding_loader import read_coding
from interviews.bank.loader import read_questions
from tests.shared_postings import posting_path


def run(capsys, *args):
    call_command(*args)
    return json.loads(capsys.readouterr().out)


@pytest.fixture
def posting_file(tmp_path):
    path = tmp_path / "posting.md"
    path.write_text(
        "# Senior GPU Engineer\n## Requirements\n- Profile PyTorch training with Nsight\n"
        "- CUDA kernels and the GPU memory hierarchy\n- SQL and pandas\n- 5+ years of experience\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.django_db
def test_bank_stats_counts_the_loaded_bank(bank, capsys):
    stats = run(capsys, "bank_stats", "--json")
    coding, _ = read_coding()
    # Text questions, and the executable ones this machine can run (no GPU worker here).
    assert stats["questions"] == len(read_questions()) + sum(spec.requires != "gpu" for spec, _ in coding)
    assert sum(stats["by_kind"].values()) == stats["questions"]
    assert sum(stats["by_difficulty"].values()) == stats["questions"]
    assert set(stats["by_difficulty"]) <= {"1", "2", "3", "4", "5"}
    assert stats["by_skill"]["gpu-performance"] >= 1


@pytest.mark.django_db
def test_analyze_posting_prints_requirements_skills_and_profile(bank, capsys, posting_file):
    data = run(capsys, "analyze_posting", str(posting_file), "--json", "--offline")
    assert data["title"] == "Senior GPU Engineer"
    assert data["seniority"] == "senior"
    texts = [r["text"] for r in data["requirements"]]
    assert "CUDA kernels and the GPU memory hierarchy" in texts
    first = data["requirements"][texts.index("Profile PyTorch training with Nsight")]
    assert {"pytorch", "gpu-profiling"} <= {s["slug"] for s in first["skills"]}
    assert abs(sum(data["skill_profile"].values()) - 1) < 1e-3


@pytest.mark.django_db
def test_plan_posting_prints_questions_with_the_requirements_they_cover(bank, capsys, posting_file):
    data = run(capsys, "plan_posting", str(posting_file), "--questions", "4", "--json", "--seed", "3", "--offline")
    assert len(data["questions"]) == 4
    assert all({"slug", "skills", "difficulty", "covers"} <= q.keys() for q in data["questions"])
    assert 0 <= data["coverage"] <= 1
    covered = {i for q in data["questions"] for i in q["covers"]}
    assert set(data["uncovered"]).isdisjoint(covered)
    assert 3 in data["untestable"]  # "5+ years of experience"


@pytest.mark.django_db
def test_plan_posting_saves_nothing(bank, capsys, posting_file):
    from interviews.models import Posting

    run(capsys, "plan_posting", str(posting_file), "--json", "--offline")
    assert Posting.objects.count() == 0


@pytest.mark.django_db
def test_commands_report_unreadable_or_empty_files(bank, tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("analyze_posting", str(tmp_path / "missing.md"))
    empty = tmp_path / "empty.md"
    empty.write_text("   ")
    with pytest.raises(CommandError, match="empty"):
        call_command("plan_posting", str(empty))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "must_cover"),
    [
        ("senior-dl-algorithm-engineer-gpu.md", {"gpu-performance", "pytorch"}),
        ("junior-data-scientist-recsys.txt", {"recommendation-ranking", "pandas", "scikit-learn"}),
        ("deep-learning-engineer-startup.md", {"dl-fundamentals", "data-splits", "computer-vision"}),
        ("ml-engineer-research.txt", {"classical-ml", "statistics"}),
        ("ml-engineer-template.md", {"classical-ml", "statistics", "python"}),
    ],
)
def test_plans_for_the_sample_postings_test_their_core_skills(bank, capsys, name, must_cover):
    path = posting_path(name)
    data = run(capsys, "plan_posting", str(path), "--questions", "10", "--json", "--seed", "1", "--offline")
    tested = {slug for q in data["questions"] for slug in q["skills"]}
    assert must_cover <= tested, f"plan tests {sorted(tested)}"
    assert data["coverage"] >= 0.75
