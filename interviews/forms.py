from typing import Any

from django import forms
from django.conf import settings

from interviews.models import Skill
from interviews.planning.plan import MAX_QUESTIONS, PlanOptions

BINARY_MESSAGE = "This looks like binary data, not text. Paste plain text."


class PostingForm(forms.Form):
    text = forms.CharField(
        label="Job posting",
        widget=forms.Textarea(attrs={"rows": 14, "placeholder": "Paste the full text of a job posting here."}),
        strip=False,
        error_messages={"null_characters_not_allowed": BINARY_MESSAGE},
        # Length and content are checked by the analyser, which gives friendlier messages.
        required=False,
    )
    title = forms.CharField(label="Title (optional)", max_length=300, required=False)

    def clean_text(self) -> str:
        text: str = self.cleaned_data["text"]
        if not text.strip():
            raise forms.ValidationError("The posting is empty. Paste the text of a job posting.")
        return text


def difficulty_field(unset_label: str) -> forms.TypedChoiceField:
    """Difficulty 1-5 as an int, or None for the unset choice."""
    choices = [("", unset_label), *[(str(d), f"{d} / 5") for d in range(1, 6)]]
    return forms.TypedChoiceField(label="Difficulty", choices=choices, coerce=int, empty_value=None, required=False)


class PlanForm(forms.Form):
    """The candidate's adjustments to a posting's plan, before starting."""

    questions = forms.IntegerField(label="Number of questions", min_value=1, max_value=MAX_QUESTIONS, initial=5)
    difficulty = difficulty_field("Match the posting's seniority")
    skills = forms.MultipleChoiceField(label="Skills to practise", widget=forms.CheckboxSelectMultiple, required=False)
    # The questions of a previewed plan, so "Start" runs exactly what was shown.
    planned = forms.CharField(widget=forms.HiddenInput, required=False)
    # Which of the plans for these settings: "New plan" asks for the next one.
    variant = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0, max_value=2**31 - 1)

    def __init__(self, *args: Any, skill_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["skills"].choices = skill_choices  # type: ignore[attr-defined]
        self.fields["skills"].initial = [slug for slug, _ in skill_choices]

    def clean_skills(self) -> list[str]:
        skills: list[str] = self.cleaned_data["skills"]
        if not skills and self.fields["skills"].choices:  # type: ignore[attr-defined]
            raise forms.ValidationError("Pick at least one skill to practise.")
        return skills

    def clean_planned(self) -> list[int]:
        raw: str = self.cleaned_data["planned"]
        try:
            return [int(pk) for pk in raw.split(",") if pk.strip()][:MAX_QUESTIONS]
        except ValueError:
            return []

    def options(self) -> PlanOptions:
        chosen = set(self.cleaned_data["skills"])
        excluded = {slug for slug, _ in self.fields["skills"].choices} - chosen  # type: ignore[attr-defined]
        return PlanOptions(
            questions=self.cleaned_data["questions"],
            difficulty=self.cleaned_data["difficulty"],
            exclude_skills=frozenset(excluded),
            variant=self.cleaned_data["variant"] or 0,
        )


class AnswerForm(forms.Form):
    question = forms.IntegerField(widget=forms.HiddenInput)
    text = forms.CharField(
        label="Your answer",
        widget=forms.Textarea(attrs={"rows": 10}),
        strip=False,
        error_messages={"null_characters_not_allowed": BINARY_MESSAGE},
        required=False,
    )

    def clean_text(self) -> str:
        text: str = self.cleaned_data["text"]
        if not text.strip():
            raise forms.ValidationError("The answer is empty. Write an answer before submitting.")
        if len(text) > settings.ANSWER_MAX_CHARS:
            raise forms.ValidationError(
                f"The answer is too long ({len(text):,} characters; the limit is {settings.ANSWER_MAX_CHARS:,}). "
                "Shorten it and submit again; your text is still here."
            )
        return text


class PracticeForm(forms.Form):
    skill = forms.ModelChoiceField(queryset=Skill.objects.select_related("area"), label="Skill", empty_label=None)
    difficulty = difficulty_field("Any")
    questions = forms.IntegerField(label="Questions", min_value=1, max_value=10, initial=3)
