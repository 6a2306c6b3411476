from typing import Any

from django import forms

from interviews.forms import BINARY_MESSAGE, difficulty_field
from interviews.models import Question, Skill
from interviews.planning.plan import MAX_QUESTIONS


class SetForm(forms.Form):
    title = forms.CharField(max_length=300, required=False, help_text="Defaults to the posting's title.")
    posting = forms.CharField(
        label="Job posting (optional)",
        widget=forms.Textarea(attrs={"rows": 10, "placeholder": "Paste a posting to fill the set with the planner."}),
        required=False,
        strip=False,
        error_messages={"null_characters_not_allowed": BINARY_MESSAGE},
    )
    questions = forms.IntegerField(label="Number of questions", min_value=1, max_value=MAX_QUESTIONS, initial=6)
    difficulty = difficulty_field("Match the posting's seniority")
    time_limit_minutes = forms.IntegerField(label="Time limit (minutes)", min_value=5, max_value=480, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("title", "").strip() and not data.get("posting", "").strip():
            raise forms.ValidationError("Give the set a title or paste a posting.")
        return data


class SetSettingsForm(forms.Form):
    title = forms.CharField(max_length=300)
    time_limit_minutes = forms.IntegerField(label="Time limit (minutes)", min_value=5, max_value=480, required=False)


class BankSearchForm(forms.Form):
    text = forms.CharField(label="Text", required=False, max_length=200)
    skill = forms.ChoiceField(required=False)
    difficulty = difficulty_field("Any")
    kind = forms.ChoiceField(required=False, choices=[("", "Any"), *Question.Kind.choices])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        skills = Skill.objects.order_by("name").values_list("slug", "name")
        self.fields["skill"].choices = [("", "Any"), *skills]  # type: ignore[attr-defined]


class QuestionForm(forms.Form):
    prompt = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), help_text="Markdown.", max_length=20_000)
    reference_answer = forms.CharField(widget=forms.Textarea(attrs={"rows": 8}), max_length=20_000)
    difficulty = forms.TypedChoiceField(choices=[(d, f"{d} / 5") for d in range(1, 6)], coerce=int)
    numeric_answer = forms.FloatField(required=False, help_text="Numeric questions: the exact answer.")
    numeric_tolerance = forms.FloatField(required=False, min_value=0, help_text="Absolute tolerance accepted.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("numeric_answer") is None) != (data.get("numeric_tolerance") is None):
            raise forms.ValidationError("Give both the numeric answer and its tolerance, or neither.")
        return data


class CodingQuestionForm(forms.Form):
    """A coding question's editable parts (interviews.bank.coding_edits): never its reference,
    generators or case inputs, which stay the bank's trusted content."""

    prompt = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), help_text="Markdown.", max_length=20_000)
    difficulty = forms.TypedChoiceField(choices=[(d, f"{d} / 5") for d in range(1, 6)], coerce=int)
    starter = forms.CharField(
        label="Starter code",
        strip=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 14, "class": "code-input", "spellcheck": "false"}),
        help_text="What the candidate's editor starts with (Python). It must still define the function to write.",
    )
    budget_ratio = forms.FloatField(
        label="Time budget",
        required=False,
        min_value=1.0,
        max_value=100.0,
        help_text="Median CPU time allowed, as a multiple of the reference's, for full performance points.",
    )

    def __init__(self, *args: Any, performance: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not performance:
            del self.fields["budget_ratio"]

    def clean_starter(self) -> str:
        # Browsers send a textarea's line breaks as CRLF; the editor and the bank files use LF.
        return str(self.cleaned_data["starter"]).replace("\r\n", "\n")


class CaseForm(forms.Form):
    # Which case: the edit service refuses names that are not exactly the question's cases.
    name = forms.CharField(widget=forms.HiddenInput, max_length=200)
    points = forms.IntegerField(min_value=0, max_value=20)
    # Visible: candidates see its inputs and expected output (the page's note says so).
    visible = forms.BooleanField(required=False)


CaseFormSet = forms.formset_factory(CaseForm, extra=0, max_num=50, validate_max=True)


class CriterionForm(forms.Form):
    text = forms.CharField(label="Criterion", max_length=1000, widget=forms.TextInput(attrs={"size": 70}))
    points = forms.IntegerField(min_value=1, max_value=10, initial=1)


CriterionFormSet = forms.formset_factory(CriterionForm, extra=1, can_delete=True, max_num=12, validate_max=True)


class InviteCandidatesForm(forms.Form):
    emails = forms.CharField(
        label="Candidate emails",
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "one@example.com, two@example.com"}),
        help_text="One per line or separated by commas. Each gets a single-use link valid for 7 days.",
    )


class OverrideForm(forms.Form):
    """Points per rubric criterion plus a comment; fields are made from the rubric."""

    comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)

    def __init__(self, *args: Any, criteria: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for i, row in enumerate(criteria):
            initial = row.get("human", row.get("auto"))
            self.fields[f"points_{i}"] = forms.FloatField(
                label=str(row["criterion"]),
                min_value=0,
                max_value=row["max_points"],
                initial=initial,
                widget=forms.NumberInput(attrs={"step": "0.5"}),
            )

    def points(self) -> list[float]:
        return [self.cleaned_data[f"points_{i}"] for i in range(len(self.criteria))]

    def point_fields(self) -> list[tuple[dict[str, Any], forms.BoundField]]:
        return [(row, self[f"points_{i}"]) for i, row in enumerate(self.criteria)]
