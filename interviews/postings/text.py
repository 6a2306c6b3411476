"""Posting text -> clean lines grouped by section.

Real postings arrive as markdown, plain text with inline bullets, mojibake ("â€™") and
emoji; `ftfy` repairs the encoding damage, the rest is a few patterns."""

import re
import unicodedata
from dataclasses import dataclass

import ftfy
import pysbd


class PostingTextError(ValueError):
    """The text cannot be used as a posting; the message is shown to the user."""


@dataclass(frozen=True)
class Line:
    text: str
    section: str  # must | nice | responsibility | other | ignored


MARKDOWN_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
EMPHASIS = re.compile(r"[*_`]{1,3}")
BULLET = re.compile(r"^\s*(?:[-*+•·▪●◦‣–]|\d{1,2}[.)])\s+")
HEADING = re.compile(r"^\s*#{1,6}\s*")
SEGMENTER = pysbd.Segmenter(language="en", clean=False)
INLINE_BULLETS = re.compile(r"\s+[•·▪●◦‣]\s+")

SECTION_KEYWORDS: list[tuple[str, tuple[str, ...]]] = [
    (
        "ignored",
        (
            "benefit",
            "what we offer",
            "we offer",
            "perks",
            "why join",
            "about us",
            "about the company",
            "compensation",
            "salary",
            "equal opportunit",
            "our offer",
            "why you'll love",
            "how to apply",
            "about the team",
            "who we are",
        ),
    ),
    (
        "nice",
        (
            "nice to have",
            "nice-to-have",
            "bonus",
            "preferred",
            "ways to stand out",
            "desirable",
            "plus",
            "good to have",
            "would be great",
        ),
    ),
    (
        "responsibility",
        (
            "responsibilit",
            "what you will do",
            "what you'll do",
            "what you will be doing",
            "your role",
            "the role",
            "your tasks",
            "duties",
            "day to day",
            "you will",
            "your mission",
            "what you'll be doing",
            "what you will work on",
        ),
    ),
    (
        "must",
        (
            "requirement",
            "qualification",
            "what we want to see",
            "what you bring",
            "you have",
            "must have",
            "must-have",
            "skills",
            "about you",
            "your profile",
            "we are looking for",
            "we're looking for",
            "what we look for",
            "experience",
            "who you are",
            "what we need",
        ),
    ),
]


def clean(raw: str) -> str:
    """Repair encoding, normalise unicode and drop markdown decoration; keep line breaks."""
    if "\x00" in raw:
        raise PostingTextError("This looks like binary data, not a job posting. Paste the posting's text.")
    text = ftfy.fix_text(raw)
    text = unicodedata.normalize("NFKC", text)
    control = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t")
    if control > max(10, len(text) // 100) or text.count("\ufffd") > max(10, len(text) // 50):
        raise PostingTextError("This looks like binary data, not a job posting. Paste the posting's text.")
    text = MARKDOWN_LINK.sub(r"\1", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _strip_line(line: str) -> str:
    line = HEADING.sub("", line)
    line = BULLET.sub("", line)
    line = EMPHASIS.sub("", line)
    line = re.sub(r"\s+", " ", line)
    return line.strip(" :-–—|")


# Keywords too common in ordinary sentences to open a section without heading markup.
GENERIC_KEYWORDS = {"experience", "skills", "you will", "plus", "you have", "bonus", "the role"}


def classify_heading(line: str) -> str | None:
    """The section a line opens, if it reads as a heading; None for an ordinary line."""
    raw = line.strip()
    if BULLET.match(raw) and not raw.startswith(("**", "#")):
        return None
    stripped = _strip_line(raw)
    if not stripped or len(stripped) > 70:
        return None
    marked = raw.startswith("#") or raw.endswith(":") or (raw.startswith("**") and raw.rstrip(":").endswith("**"))
    lower = stripped.lower()
    for section, keywords in SECTION_KEYWORDS:
        for keyword in keywords:
            if keyword not in lower:
                continue
            # An unmarked line is a heading only when it is little more than the keyword.
            bare = lower.startswith(keyword) and len(lower.split()) <= len(keyword.split()) + 2
            if marked or (bare and keyword not in GENERIC_KEYWORDS and not lower.endswith(".")):
                return section
    return None


# Lines about the offer, not the job: dropped wherever they appear.
OFFER_LINE = re.compile(
    r"\b(salary|benefits? package|compensation|equal opportunit|we offer|perks|apply (here|now|today)|"
    r"401\(?k\)?|paid time off|vacation days|health insurance|stock options)\b",
    re.IGNORECASE,
)
PROSE_WORDS = 15
MIN_WORDS = 3


def split_lines(text: str) -> list[Line]:
    """One entry per bullet line or sentence, tagged with the section it sits in.

    In a posting that uses bullet lists, the items are the bullets; a long paragraph of
    prose beside them is company or role blurb and is tagged "other"."""
    raw_lines = [raw for raw in text.split("\n") if raw.strip()]
    has_bullets = sum(1 for raw in raw_lines if BULLET.match(raw)) >= 3
    section = "other"
    lines: list[Line] = []
    for raw in raw_lines:
        heading = classify_heading(raw)
        if heading:
            section = heading
            # "Requirements: Python, SQL" carries content after the colon.
            _, _, rest = _strip_line(raw).partition(":")
            if rest.strip():
                lines.append(Line(rest.strip(), section))
            continue
        is_bullet = bool(BULLET.match(raw))
        prose = has_bullets and not is_bullet and len(raw.split()) >= PROSE_WORDS
        # A bullet may be one word ("- PyTorch"); a loose line needs a few to say anything.
        min_words = 1 if is_bullet else MIN_WORDS
        for piece in INLINE_BULLETS.split(raw):
            for sentence in sentences(_strip_line(piece)):
                sentence = sentence.strip()
                if len(sentence.split()) < min_words or not any(ch.isalpha() for ch in sentence):
                    continue
                if sentence.endswith(":") or (raw.rstrip().endswith(":") and sentence == _strip_line(raw)):
                    continue  # "This includes:" introduces the next bullets
                tag = "ignored" if OFFER_LINE.search(sentence) else "other" if prose else section
                lines.append(Line(sentence[:1000], tag))
    return lines


def sentences(text: str) -> list[str]:
    """Run-on paragraphs become sentences; pysbd knows "e.g." and "5+ yrs." are not ends."""
    if len(text) < 80 or not re.search(r"[.!?]\s", text):
        return [text]
    return SEGMENTER.segment(text)


def guess_title(text: str) -> str:
    for raw in text.split("\n"):
        stripped = _strip_line(raw)
        if stripped and any(ch.isalpha() for ch in stripped):
            return stripped[:300]
    return "Untitled posting"
