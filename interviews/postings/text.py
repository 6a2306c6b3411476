"""Posting text -> clean lines grouped by section, and the seniority the title and years ask for.

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
            "great to have",
            "would be great",
            "bonus points",
            "pluses",
            "desired",
            "ideally",
            "extra credit",
            "even better",
            "stand out",
            "set you apart",
            "sets you apart",
            "set yourself apart",
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
            "what you'll work on",
            "what you'll be working on",
            "day-to-day",
            "in this role",
            "your impact",
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
            "what we need to see",
            "what you'll bring",
            "what you will bring",
            "what you'll need",
            "what you will need",
            "what you need",
            "what we're looking for",
            "what we are looking for",
            "you'll have",
            "you should have",
            "ideal candidate",
            "the ideal candidate",
            "required",
            "essential",
            "key skills",
            "your background",
            "your experience",
            "your skills",
            "competenc",
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


# Words a heading is made of: its section's keywords and the few that qualify them. A short
# unmarked line of these words alone ("Key duties and responsibilities", "Required
# experience & competencies") is a heading; one word more ("Python experience") is content.
_HEADING_WORDS = (
    "key core main primary your our the a and & / + of in for this role job position minimum basic "
    "additional technical general professional essential required requirements requirement qualifications "
    "qualification skills skill experience competencies competences competency knowledge abilities "
    "ability responsibilities responsibility duties tasks accountabilities preferred desired desirable "
    "bonus nice-to-haves must-haves mandatory benefits perks"
)
HEADING_WORDS = frozenset(_HEADING_WORDS.split())
HEADING_MAX_WORDS = 6
# A line that introduces the lines after it without a colon ("ML engineers are accountable for").
LEAD_IN = re.compile(r"\b(?:for|including|includes?|such as|as follows|the following|like)$", re.IGNORECASE)
# "Support the proposal phase. This includes:" keeps its first sentence: the lead-in that
# ends it introduces the sub-bullets below.
TRAILING_LEAD_IN = re.compile(r"(?<=[.!?])\s+[^.!?:]{1,40}:?$")
# "Join in on our team events", "get treated to lunch": life at the company, often written
# into the list of duties without a heading of its own.
TEAM_LIFE = re.compile(
    r"\b(?:team events?|team[- ]building|happy hours?|beer|lunch(?:es)?|snacks|pub quiz(?:zes)?|laser tag|"
    r"ping[- ]pong|table tennis|foosball|free (?:coffee|drinks|food|meals))\b",
    re.IGNORECASE,
)
# "If you feel more like an engineer, look at our role for Software Engineers": a pointer
# to another job, not a requirement of this one.
OTHER_ROLE = re.compile(
    r"\b(?:look at|check out|see|apply (?:for|to))\b[^.]{0,40}\bour\b[^.]{0,40}"
    r"\b(?:roles?|positions?|openings?|vacancies|job (?:ads?|postings?|openings?))\b",
    re.IGNORECASE,
)


def _made_of_heading_words(lower: str) -> bool:
    words = lower.replace("&", " & ").replace("/", " / ").split()
    return 0 < len(words) <= HEADING_MAX_WORDS and all(word.strip(",") in HEADING_WORDS for word in words)


def _after_title(lower: str) -> str:
    """ "core responsibilities" of "Machine Learning Engineer Core Responsibilities"; "" when
    no job title starts the line."""
    titles = list(TITLE_WORD.finditer(lower))
    return lower[titles[-1].end() :].strip(" -–—:|") if titles else ""


# Headings that name the posting or its parts without saying what follows ("About the
# job" on LinkedIn, "Overview"): they close the section before them and are never a title.
GENERIC_HEADINGS = {
    "about",
    "about the job",
    "about the position",
    "about the opportunity",
    "description",
    "details",
    "introduction",
    "job",
    "job description",
    "job details",
    "job overview",
    "job summary",
    "opportunity",
    "overview",
    "position",
    "position description",
    "position overview",
    "position summary",
    "role",
    "role description",
    "role overview",
    "role summary",
    "summary",
    "the job",
    "the opportunity",
    "the position",
}


def _heading_key(line: str) -> str:
    return _strip_line(line).lower().rstrip(" :.")


def classify_heading(line: str) -> str | None:
    """The section a line opens, if it reads as a heading; None for an ordinary line."""
    raw = line.strip()
    if BULLET.match(raw) and not raw.startswith(("**", "#")):
        return None
    stripped = _strip_line(raw)
    if not stripped or len(stripped) > 70:
        return None
    if _heading_key(raw) in GENERIC_HEADINGS:
        return "other"
    marked = raw.startswith("#") or raw.endswith(":") or (raw.startswith("**") and raw.rstrip(":").endswith("**"))
    lower = stripped.lower()
    for section, keywords in SECTION_KEYWORDS:
        for keyword in keywords:
            if keyword not in lower:
                continue
            if marked or lower.rstrip(" :") == keyword:
                return section
            # An unmarked line is a heading only when it is little more than the keyword,
            # at its start ("Preferred qualifications") or, for the job's own sections, in
            # a short line ("Key Responsibilities"); "Competitive salary" opens nothing.
            words = len(lower.split())
            placed = lower.startswith(keyword) or (section != "ignored" and words <= 4)
            bare = placed and words <= len(keyword.split()) + 2
            if bare and keyword not in GENERIC_KEYWORDS and not lower.endswith("."):
                return section
            if _made_of_heading_words(lower):
                return section
            if keyword in (tail := _after_title(lower)) and _made_of_heading_words(tail):
                return section  # "Machine Learning Engineer Core Responsibilities"
    return None


# Lines about the offer, not the job: dropped wherever they appear.
OFFER_LINE = re.compile(
    r"\b(salary|benefits? package|compensation|equal opportunit|we offer|perks|apply (here|now|today)|"
    r"401\(?k\)?|paid time off|vacation days|health insurance|stock options)\b",
    re.IGNORECASE,
)
# "Department: AI and Data Analytics", "Job ID: 4821", "Posted 3 days ago": facts about
# the listing, not the job. A title label ("Title: X", "Role: X") is read by find_title.
TITLE_LABELS = r"job title|title|role|position|position title|vacancy|job description|job"
METADATA_LINE = re.compile(
    rf"^(?:(?:{TITLE_LABELS}|department|dept|division|business unit|team|group|org|organi[sz]ation|"
    r"company|employer|location|locations|work location|office|based in|workplace|workplace type|work type|"
    r"work model|remote|employment type|employment|job type|contract type|contract|type|schedule|hours|"
    r"working hours|job id|job number|job no|job code|req id|requisition id|requisition|reference|"
    r"reference number|ref|posted|date posted|posting date|posted on|closing date|deadline|start date|"
    r"salary|salary range|pay|pay range|compensation|rate|seniority|seniority level|level|experience level|"
    r"career level|grade|industry|industries|function|job function|category|reports to|reporting to|"
    r"travel|shift)\s*[:|]\s*\S"
    r"|(?:job|req|requisition|reference)\s*(?:id|no\.?|number|#)\s*#?\s*[\w-]*\d"
    r"|(?:re)?posted\b)",
    re.IGNORECASE,
)
LISTING_NOISE = re.compile(
    r"\b\d[\d,]*\+?\s+applicants\b|\b\d+\s+(?:minutes?|hours?|days?|weeks?|months?)\s+ago\b",
    re.IGNORECASE,
)
TITLE_LABEL = re.compile(rf"^(?:{TITLE_LABELS})\s*[:|]\s*(?P<title>.+)$", re.IGNORECASE)


# LinkedIn's "job criteria" put the label on one line and its value on the next.
LABELS_ON_THEIR_OWN_LINE = {
    "seniority level",
    "experience level",
    "employment type",
    "job type",
    "job function",
    "industries",
    "industry",
    "workplace type",
    "work type",
    "contract type",
    "department",
    "job id",
    "date posted",
}
LABEL_VALUE_WORDS = 6


def is_metadata(line: str) -> bool:
    stripped = _strip_line(line)
    if (label := TITLE_LABEL.match(stripped)) and not _looks_like_title(label["title"]):
        return False  # "Role: You will own our ranking stack..." is content, not a label
    return bool(METADATA_LINE.match(stripped) or LISTING_NOISE.search(stripped))


# A line inside a must-have list that says it is optional ("CUDA is a strong plus").
NICE_CUE = re.compile(
    r"\b(?:is|are|would be|will be|as)\s+(?:an?\s+)?(?:strong\s+|big\s+|huge\s+|definite\s+|real\s+|nice\s+)?"
    r"(?:plus|bonus|advantage|asset)\b|\ba plus\b|\bnice[- ]to[- ]have\b|\bpreferred\b|\bdesirable\b|"
    r"\bnot (?:strictly )?required\b|\bbonus points?\b",
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
    value_next = False
    for raw in raw_lines:
        if value_next and len(raw.split()) <= LABEL_VALUE_WORDS:
            value_next = False
            continue  # "Engineering and Information Technology" under "Job function"
        value_next = False
        if is_metadata(raw):
            continue
        if _heading_key(raw) in LABELS_ON_THEIR_OWN_LINE:
            value_next = True
            continue
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
            stripped = _strip_line(piece)
            if piece.rstrip().endswith(":"):
                stripped = TRAILING_LEAD_IN.sub("", stripped)
            for sentence in sentences(stripped):
                sentence = sentence.strip()
                if len(sentence.split()) < min_words or not any(ch.isalpha() for ch in sentence):
                    continue
                if sentence.endswith(":") or (raw.rstrip().endswith(":") and sentence == _strip_line(raw)):
                    continue  # "This includes:" introduces the next bullets
                if not is_bullet and sentence == _strip_line(raw) and LEAD_IN.search(sentence):
                    continue  # so does "ML engineers are accountable for"
                if len(sentence.split()) <= 3 and LEAD_IN.search(sentence.rstrip(" :")):
                    continue  # "This includes", whatever the segmenter did with its colon
                ignored = OFFER_LINE.search(sentence) or OTHER_ROLE.search(sentence) or TEAM_LIFE.search(sentence)
                tag = "ignored" if ignored else "other" if prose else section
                # "... preferred" is optional in a must-have list and in a list without headings.
                if tag in ("must", "other") and not prose and NICE_CUE.search(sentence):
                    tag = "nice"
                lines.append(Line(sentence[:1000], tag))
    return lines


def sentences(text: str) -> list[str]:
    """Run-on paragraphs become sentences; pysbd knows "e.g." and "5+ yrs." are not ends."""
    if len(text) < 80 or not re.search(r"[.!?]\s", text):
        return [text]
    return SEGMENTER.segment(text)


# Words that make a short line read as a job title rather than a company name or a heading.
TITLE_WORD = re.compile(
    r"\b(engineers?|scientists?|developers?|researchers?|analysts?|architects?|leads?|manager|head|director|"
    r"interns?|internship|specialists?|consultants?|programmers?|statisticians?|expert|trainee|student|"
    r"fellow|associate|principal|staff|officer|mlops|devops|sre)\b",
    re.IGNORECASE,
)
# "(m/f/d)", "(all genders)" and "... job description" are about the advert, not the job.
TITLE_DECORATION = re.compile(
    r"\s*\((?:[mfwdxh]\s*/\s*)+[mfwdxh]\*?\)|\s*\(all genders\)|\s*[-–|:]?\s*\bjob (?:description|posting|advert|ad)$",
    re.IGNORECASE,
)
TITLE_SCAN_LINES = 15
TITLE_MAX_WORDS = 12


def _tidy_title(title: str) -> str:
    return TITLE_DECORATION.sub("", title).strip(" :-–—|,")[:300]


def _looks_like_title(stripped: str) -> bool:
    return len(stripped.split()) <= TITLE_MAX_WORDS and not stripped.endswith((".", "!", "?"))


def _names_a_section(raw: str) -> bool:
    key = _heading_key(raw)
    return classify_heading(raw) is not None or any(key in keywords for _, keywords in SECTION_KEYWORDS)


def find_title(text: str) -> tuple[str, str]:
    """The job title as a recruiter reads it, and the stripped line it came from.

    A "Title: X" or "Role: X" line gives X; otherwise the first short line near the top
    that names a job ("Engineer", "Scientist"), skipping generic headings ("About the
    job", "Role"), section headings and listing metadata; otherwise the first line that
    is none of those."""
    fallback: tuple[str, str] | None = None
    candidates = [raw for raw in text.split("\n") if any(ch.isalpha() for ch in raw)]
    for raw in candidates[:TITLE_SCAN_LINES]:
        stripped = _strip_line(raw)
        if not stripped:
            continue
        label = TITLE_LABEL.match(stripped)
        if label and _looks_like_title(label["title"]) and label["title"].lower() not in GENERIC_HEADINGS:
            return _tidy_title(label["title"]), stripped
        if _names_a_section(raw) or is_metadata(raw) or not _looks_like_title(stripped):
            continue
        if TITLE_WORD.search(stripped):
            return _tidy_title(stripped), stripped
        fallback = fallback or (_tidy_title(stripped), stripped)
    if fallback:
        return fallback
    for raw in candidates:
        stripped = _strip_line(raw)
        if stripped and not _names_a_section(raw):
            return stripped[:300], stripped
    return "Untitled posting", ""


def guess_title(text: str) -> str:
    return find_title(text)[0]


SENIORITY_TITLE = [
    ("staff", re.compile(r"\b(staff|principal|distinguished|head of|director)\b", re.I)),
    ("senior", re.compile(r"\b(senior|sr\.?|lead)\b", re.I)),
    (
        "junior",
        re.compile(r"\b(junior|jr\.?|entry[- ]level|graduate|intern|internship|trainee|working student)\b", re.I),
    ),
]
YEARS = re.compile(r"(\d{1,2})\s*\+?\s*(?:-\s*\d{1,2}\s*)?(?:years|yrs)", re.I)


def infer_seniority(title: str, text: str) -> str:
    for level, pattern in SENIORITY_TITLE:
        if pattern.search(title):
            return level
    years = [int(y) for y in YEARS.findall(text) if int(y) <= 30]
    if years:
        most = max(years)
        if most >= 8:
            return "staff"
        if most >= 5:
            return "senior"
        if most >= 2:
            return "mid"
        return "junior"
    return "mid"
