from interviews import llm
from interviews.grading.base import Grader
from interviews.grading.llm_grader import RubricLLMGrader
from interviews.grading.offline import OfflineGrader

GRADERS = ("auto", "llm", "offline")


def resolve(name: str) -> str:
    """`auto` is the LLM grader when an endpoint is configured, else offline."""
    from django.conf import settings

    name = settings.GRADER if name == "auto" else name
    if name == "auto":
        return "llm" if llm.is_configured() else "offline"
    return name


def get_grader(name: str = "auto") -> Grader:
    # An explicit "llm" without an endpoint still goes through the LLM grader, which
    # falls back to offline and records why: a fallback is never silent.
    return RubricLLMGrader() if resolve(name) == "llm" else OfflineGrader()


def code_grader() -> Grader:
    """Executable questions' grader: their score is the points of the cases the code passes."""
    from interviews.grading.coding import CodingGrader

    return CodingGrader()
