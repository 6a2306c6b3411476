"""The one OpenAI-compatible client: timeouts, bounded retries with jitter inside one time
budget, structured output negotiated per endpoint, validation, usage and cost accounting,
and the fence that marks user text as untrusted data.

Callers give a JSON schema and a `parse` function that turns the decoded object into
their own type or raises ValueError; malformed output is re-asked (with the reason) a
bounded number of times, then `LLMInvalidOutput` is raised so the caller can fall back
and say so. Transient errors are retried here and nowhere else."""

import hashlib
import json
import logging
import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import openai
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings

logger = logging.getLogger(__name__)
T = TypeVar("T")

TRANSIENT = (openai.APITimeoutError, openai.APIConnectionError, openai.RateLimitError, openai.InternalServerError)
# Below this much time left, a request cannot finish: give up and let the caller fall back.
MIN_REQUEST_SECONDS = 0.5


class LLMError(Exception):
    """The LLM could not give a usable answer; callers fall back. `usage` counts the
    tokens spent on the failed attempts, which still cost money."""

    usage: "Usage | None" = None


class LLMNotConfigured(LLMError):
    pass


class LLMUnavailable(LLMError):
    """Transient errors persisted past the retry budget, or the request was refused."""


class LLMOutOfTime(LLMUnavailable):
    """The caller's time budget (or the worker's soft time limit) ran out."""


class LLMInvalidOutput(LLMError):
    pass


@dataclass
class Usage:
    model: str = ""
    tokens_in: int = 0
    tokens_out: int = 0
    calls: int = 0
    latency_ms: int = 0
    mode: str = ""  # json_schema | json_object_schema | json_object

    @property
    def cost_usd(self) -> float:
        return (self.tokens_in * settings.LLM_PRICE_INPUT + self.tokens_out * settings.LLM_PRICE_OUTPUT) / 1e6

    def add(self, other: "Usage") -> "Usage":
        return Usage(
            model=self.model or other.model,
            tokens_in=self.tokens_in + other.tokens_in,
            tokens_out=self.tokens_out + other.tokens_out,
            calls=self.calls + other.calls,
            latency_ms=self.latency_ms + other.latency_ms,
            mode=self.mode or other.mode,
        )


@dataclass
class LLMResult:
    value: Any
    usage: Usage
    logprobs: list[Any] = field(default_factory=list)


def is_configured() -> bool:
    return bool(settings.LLM_BASE_URL and settings.LLM_MODEL)


def _client() -> openai.OpenAI:
    # The SDK's own retries are off: ours add jitter and count toward one budget.
    return openai.OpenAI(
        base_url=settings.LLM_BASE_URL,
        api_key=settings.LLM_API_KEY or "not-needed",
        timeout=settings.LLM_TIMEOUT_SECONDS,
        max_retries=0,
    )


def fence(label: str, text: str) -> tuple[str, str]:
    """Wrap untrusted text in a boundary the text cannot forge.

    Returns (fenced text, boundary tag). The tag is a hash of the text, so the same text
    always gives the same prompt (reproducible grades at temperature 0), and the text
    cannot contain its own tag without finding a hash fixed point; any copy of the tag is
    removed anyway. The system prompt tells the model that anything between the markers
    is data to evaluate, never instructions."""
    tag = f"{label.upper()}-{hashlib.sha256(text.encode()).hexdigest()[:12]}"
    clean = text.replace(tag, "")
    return f"<<<{tag}>>>\n{clean}\n<<<END-{tag}>>>", tag


# Structured-output forms, strongest first. Servers differ: OpenAI and vLLM take
# json_schema; llama-cpp-python's server answers it with HTTP 500 ("response_format type
# must be one of text or json_object") but constrains JSON mode to a schema given beside it.
MODES = ("json_schema", "json_object_schema", "json_object")
# The form each endpoint accepted, so later calls skip the ones it rejected.
_endpoint_modes: dict[str, str] = {}
FORMAT_REJECTED = re.compile(r"response_format|json_schema|\bschema\b|json_object", re.IGNORECASE)


def _endpoint() -> str:
    return f"{settings.LLM_BASE_URL.rstrip('/')} {settings.LLM_MODEL}"


# String length bounds are for servers that compile the schema into a grammar (llama.cpp):
# there they stop a small model's runaway strings. OpenAI's strict mode refuses them, and
# max_tokens bounds the reply there anyway.
STRICT_UNSUPPORTED = ("maxLength", "minLength")


def _strict(schema: Any) -> Any:
    if isinstance(schema, dict):
        return {k: _strict(v) for k, v in schema.items() if k not in STRICT_UNSUPPORTED}
    if isinstance(schema, list):
        return [_strict(v) for v in schema]
    return schema


def _response_format(name: str, schema: dict[str, Any], mode: str) -> dict[str, Any]:
    if mode == "json_schema":
        return {"type": "json_schema", "json_schema": {"name": name, "schema": _strict(schema), "strict": True}}
    if mode == "json_object_schema":
        return {"type": "json_object", "schema": schema}
    return {"type": "json_object"}


def _rejects_format(exc: openai.APIStatusError) -> bool:
    """Whether the server refused the structured-output form itself. Read from the error
    body whatever the status: servers say so with 400, 422 or even 500."""
    if exc.status_code == 429 or exc.status_code >= 502:
        return False  # overload and gateway errors say nothing about the request
    return bool(FORMAT_REJECTED.search(f"{exc.message} {json.dumps(exc.body, default=str)}"))


def _out_of_time(exc: BaseException) -> bool:
    """The SDK wraps whatever interrupts a request (the soft time limit's exception too)
    in APIConnectionError; look through the chain."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, SoftTimeLimitExceeded):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _backoff(attempt: int) -> float:
    """Exponential backoff with full jitter, capped."""
    return min(8.0, settings.LLM_BACKOFF_SECONDS * 2**attempt) * (0.5 + random.random())


def complete_json(
    *,
    system: str,
    user: str,
    schema_name: str,
    schema: dict[str, Any],
    parse: Callable[[dict[str, Any]], T],
    logprobs: bool = False,
    max_tokens: int | None = None,
    deadline: float | None = None,
) -> LLMResult:
    """`max_tokens` bounds each reply (runaway generations otherwise run to the context
    limit); `deadline` (time.monotonic()) bounds the whole call, retries included."""
    if not is_configured():
        raise LLMNotConfigured("No LLM endpoint is configured")
    client = _client()
    usage = Usage(model=settings.LLM_MODEL)
    transient_failures = invalid_outputs = 0
    started = time.monotonic()
    endpoint = _endpoint()
    retry_messages: list[dict[str, str]] = []

    def fail(error: LLMError) -> LLMError:
        usage.latency_ms = int((time.monotonic() - started) * 1000)
        error.usage = usage
        return error

    while True:
        mode = _endpoint_modes.get(endpoint, MODES[0])
        content = system
        if mode != "json_schema":
            content += "\n\nReply with one JSON object only, matching this JSON schema:\n" + json.dumps(schema)
        if settings.LLM_SYSTEM_ROLE:
            messages = [{"role": "system", "content": content}, {"role": "user", "content": user}]
        else:
            messages = [{"role": "user", "content": f"{content}\n\n{user}"}]
        messages += retry_messages
        timeout = float(settings.LLM_TIMEOUT_SECONDS)
        if deadline is not None:
            remaining = deadline - time.monotonic()
            if remaining < MIN_REQUEST_SECONDS:
                raise fail(LLMOutOfTime(f"The time budget ran out after {usage.calls} LLM calls"))
            timeout = min(timeout, remaining)
        try:
            usage.calls += 1
            response = client.with_options(timeout=timeout).chat.completions.create(  # type: ignore[call-overload]
                model=settings.LLM_MODEL,
                messages=messages,  # type: ignore[arg-type]
                temperature=0,
                max_tokens=max_tokens or settings.LLM_MAX_TOKENS,
                response_format=_response_format(schema_name, schema, mode),  # type: ignore[arg-type]
                logprobs=logprobs or None,
            )
        except SoftTimeLimitExceeded as exc:
            raise fail(LLMOutOfTime("The worker's time limit ran out during the LLM call")) from exc
        except openai.APIStatusError as exc:
            if mode != MODES[-1] and _rejects_format(exc):
                following = MODES[MODES.index(mode) + 1]
                logger.info(
                    "%s rejected %s (HTTP %s); using %s", settings.LLM_BASE_URL, mode, exc.status_code, following
                )
                _endpoint_modes[endpoint] = following
                continue
            if not isinstance(exc, TRANSIENT):
                raise fail(LLMUnavailable(f"The LLM refused the request: {exc}")) from exc
            transient_failures = _after_transient(exc, transient_failures, deadline, fail)
            continue
        except (openai.APITimeoutError, openai.APIConnectionError) as exc:
            if _out_of_time(exc):
                raise fail(LLMOutOfTime("The worker's time limit ran out during the LLM call")) from exc
            transient_failures = _after_transient(exc, transient_failures, deadline, fail)
            continue
        except openai.APIError as exc:
            raise fail(LLMUnavailable(f"LLM error: {exc}")) from exc

        if response.usage:
            usage.tokens_in += response.usage.prompt_tokens or 0
            usage.tokens_out += response.usage.completion_tokens or 0
        usage.mode = mode
        content = ""
        try:
            choice = response.choices[0]
            content = choice.message.content or ""
            if choice.finish_reason == "length":
                raise ValueError("the reply was cut off at the token limit; keep every text field short")
            # strict=False: a raw newline or tab inside a string (small models emit them) is not
            # a reason to throw the whole verdict away.
            value = parse(json.loads(_strip_code_fence(content), strict=False))
        except (ValueError, KeyError, TypeError, IndexError, AttributeError) as exc:
            invalid_outputs += 1
            if invalid_outputs > settings.LLM_MAX_INVALID:
                raise fail(LLMInvalidOutput(f"Invalid LLM output after {invalid_outputs} tries: {exc}")) from exc
            logger.warning("Invalid LLM output (%s); asking again", exc)
            # At temperature 0 the same prompt gives the same reply: say what was wrong.
            retry_messages = [
                {"role": "assistant", "content": content[:4000]},
                {"role": "user", "content": f"That reply was not usable ({exc}). Reply with the JSON object only."},
            ]
            continue
        usage.latency_ms = int((time.monotonic() - started) * 1000)
        tokens = choice.logprobs.content if logprobs and choice.logprobs and choice.logprobs.content else []
        return LLMResult(value=value, usage=usage, logprobs=list(tokens))


def _after_transient(
    exc: Exception, failures: int, deadline: float | None, fail: Callable[[LLMError], LLMError]
) -> int:
    """Count a transient failure; wait before the next try, or give up past the budget."""
    failures += 1
    if failures > settings.LLM_MAX_RETRIES:
        raise fail(LLMUnavailable(f"LLM unavailable after {failures} tries: {exc}")) from exc
    logger.warning("Transient LLM error (%s), retry %s", type(exc).__name__, failures)
    _sleep(_backoff(failures), deadline)
    return failures


def _sleep(seconds: float, deadline: float | None) -> None:
    if deadline is not None:
        seconds = min(seconds, max(0.0, deadline - time.monotonic()))
    time.sleep(seconds)


def _strip_code_fence(content: str) -> str:
    """Some JSON-mode servers still wrap the object in a markdown code fence."""
    text = content.strip()
    if text.startswith("```"):
        text = text.split("\n", 1)[1] if "\n" in text else ""
        text = text.rsplit("```", 1)[0]
    return text
