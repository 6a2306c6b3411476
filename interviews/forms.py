from django import forms
from django.conf import settings

from interviews.planning.plan import MAX_QUESTIONS

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


class StartInterviewForm(forms.Form):
    questions = forms.IntegerField(label="Number of questions", min_value=1, max_value=MAX_QUESTIONS, initial=5)


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
