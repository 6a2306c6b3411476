"""`{{ text|markdown }}`: Markdown to HTML, sanitised.

Questions, answers and feedback are Markdown. Everything rendered goes through nh3 (the
Ammonia sanitiser) with a small allow-list, so a candidate's answer can never inject
script, styles or event handlers, whatever Markdown or raw HTML it contains."""

from collections.abc import Sequence
from functools import lru_cache

import nh3
from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from mdit_py_plugins.dollarmath import dollarmath_plugin
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

register = template.Library()

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "h3",
    "h4",
    "h5",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "hr",
    "del",
    "sup",
    "sub",
    "span",
    "div",
    "mark",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "code": {"class"},
    "span": {"class"},
    "div": {"class"},
    "th": {"align"},
    "td": {"align"},
}


def _highlight(code: str, lang: str, _attrs: str) -> str:
    """Pygments token spans inside markdown-it's own <pre><code>; unknown languages stay plain."""
    try:
        lexer = get_lexer_by_name(lang or "text")
    except ClassNotFound:
        return ""
    return highlight(code, lexer, HtmlFormatter(nowrap=True))


def _table_open(self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
    # A wide table scrolls inside its own box instead of widening the page on a phone.
    return '<div class="table-wrap">' + self.renderToken(tokens, idx, options, env)


def _table_close(self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
    return self.renderToken(tokens, idx, options, env) + "</div>\n"


def _build_parser() -> MarkdownIt:
    # Raw HTML in the source is shown as text, not interpreted; tables are allowed.
    options = {"html": False, "linkify": False, "highlight": _highlight}
    # $...$ and $$...$$ become <span/div class="math ..."> that KaTeX renders in the browser.
    parser = (
        MarkdownIt("commonmark", options)
        .enable("table")
        .enable("strikethrough")
        .use(
            # "$6.25 per TB ... $125" is money, not math: no digit right inside a $, no spaces.
            dollarmath_plugin,
            allow_digits=False,
            allow_space=False,
        )
    )
    parser.add_render_rule("table_open", _table_open)
    parser.add_render_rule("table_close", _table_close)
    return parser


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return _build_parser()


@lru_cache(maxsize=1)
def _untrusted_parser() -> MarkdownIt:
    # Candidate-written text shown to staff: `[see my portfolio](https://evil.example)` is
    # a phishing lure on a reviewer's page, so links and images stay literal text.
    return _build_parser().disable(["link", "autolink", "image"])


def render_markdown(text: str, untrusted: bool = False) -> str:
    html = (_untrusted_parser() if untrusted else _parser()).render(text or "")
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, link_rel="noopener noreferrer nofollow")


# Bank prompts and feedback are shown on every interview, transcript and review page: each
# text is rendered once per process (a prompt cost ~2 ms to parse and clean every time).
CACHED_TEXT_MAX = 20_000


@lru_cache(maxsize=1024)
def _rendered(text: str) -> str:
    return render_markdown(text)


@register.filter(name="markdown")
def markdown_filter(text: str) -> SafeString:
    text = text or ""
    return mark_safe(_rendered(text) if len(text) <= CACHED_TEXT_MAX else render_markdown(text))


@register.filter(name="candidate_markdown")
def candidate_markdown_filter(text: str) -> SafeString:
    """Markdown written by a candidate, for other people's eyes: formatting, never live links."""
    return mark_safe(render_markdown(text, untrusted=True))


@register.filter(name="with_evidence")
def with_evidence(answer: str, criteria: list[dict[str, object]]) -> SafeString:
    """The answer as plain text with each evidence quote the grader cited marked."""
    html = str(escape(answer))
    for quote in {str(c.get("evidence") or "") for c in criteria or []}:
        if len(quote) >= 3 and escape(quote) in html:
            html = html.replace(escape(quote), f"<mark>{escape(quote)}</mark>", 1)
    return mark_safe(html.replace("\n", "<br>"))
