"""The one OpenAI-compatible client: timeouts, bounded retries with jitter, structured
output (JSON schema, falling back to JSON mode), validation, usage and cost accounting,
and the fence that marks user text as untrusted data.

Callers give a JSON schema and a `parse` function that turns the decoded object into
their own type or raises ValueError; malformed output is re-asked a bounded number of
times, then `LLMInvalidOutput` is raised so the caller can fall back and say so."""

import json
import logging
import random
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import openai
from django.conf import settings

logger = logging.getLogger(__name__)
T = TypeVar("T")

TRANSIENT = (openai.APITimeoutError, openai.APIConnectionError, openai.RateLimitError, openai.InternalServerError)


class LLMError(Exception):
    """The LLM could not give a usable answer; callers fall back. `usage` counts the
    tokens spent on the failed attempts, which still cost money."""

    usage: "Usage | None" = None


class LLMNotConfigured(LLMError):
    pass


class LLMUnavailable(LLMError):
    """Transient errors persisted past the retry budget, or the request was refused."""


class LLMInvalidOutput(LLMError):
    pass


@dataclass
class Usage:
    model: str = ""
    tokens_in: int = 0
    tokens_out: int = 0
    calls: int = 0
    latency_ms: int = 0
    mode: str = ""  # json_schema | json_object

    @property
    def cost_usd(self) -> float:
        return (self.tokens_in * settings.LLM_PRICE_INPUT + self.tokens_out * settings.LLM_PRICE_OUTPUT) / 1e6


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
    """Wrap untrusted text in a random boundary the text cannot forge.

    Returns (fenced text, boundary tag). The system prompt tells the model that anything
    between the markers is data to evaluate, never instructions."""
    tag = f"{label.upper()}-{secrets.token_hex(6)}"
    clean = text.replace(tag, "")
    return f"<<<{tag}>>>\n{clean}\n<<<END-{tag}>>>", tag


# Servers that reject json_schema are remembered per process so later calls go straight
# to JSON mode.
_json_schema_unsupported: set[str] = set()


def _response_format(name: str, schema: dict[str, Any], mode: str) -> dict[str, Any]:
    if mode == "json_schema":
        return {"type": "json_schema", "json_schema": {"name": name, "schema": schema, "strict": True}}
    return {"type": "json_object"}


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
) -> LLMResult:
    if not is_configured():
        raise LLMNotConfigured("No LLM endpoint is configured")
    client = _client()
    usage = Usage(model=settings.LLM_MODEL)
    transient_failures = invalid_outputs = 0
    started = time.monotonic()
    while True:
        mode = "json_object" if settings.LLM_BASE_URL in _json_schema_unsupported else "json_schema"
        messages = [{"role": "system", "content": system}, {"role": "user", "content": user}]
        if mode == "json_object":
            messages[0]["content"] += "\n\nReply with one JSON object only, matching this JSON schema:\n" + json.dumps(
                schema
            )
        try:
            usage.calls += 1
            response = client.chat.completions.create(  # type: ignore[call-overload]
                model=settings.LLM_MODEL,
                messages=messages,  # type: ignore[arg-type]
                temperature=0,
                response_format=_response_format(schema_name, schema, mode),  # type: ignore[arg-type]
                logprobs=logprobs or None,
            )
        except openai.BadRequestError as exc:
            message = str(exc).lower()
            if mode == "json_schema" and ("response_format" in message or "json_schema" in message):
                logger.info("%s does not support json_schema; using JSON mode", settings.LLM_BASE_URL)
                _json_schema_unsupported.add(settings.LLM_BASE_URL)
                continue
            raise LLMUnavailable(f"The LLM refused the request: {exc}") from exc
        except TRANSIENT as exc:
            transient_failures += 1
            if transient_failures > settings.LLM_MAX_RETRIES:
                raise LLMUnavailable(f"LLM unavailable after {transient_failures} tries: {exc}") from exc
            logger.warning("Transient LLM error (%s), retry %s", type(exc).__name__, transient_failures)
            time.sleep(_backoff(transient_failures))
            continue
        except openai.APIError as exc:
            raise LLMUnavailable(f"LLM error: {exc}") from exc

        if response.usage:
            usage.tokens_in += response.usage.prompt_tokens or 0
            usage.tokens_out += response.usage.completion_tokens or 0
        usage.mode = mode
        try:
            choice = response.choices[0]
            content = choice.message.content or ""
            value = parse(json.loads(_strip_code_fence(content)))
        except (ValueError, KeyError, TypeError, IndexError, AttributeError) as exc:
            invalid_outputs += 1
            if invalid_outputs > settings.LLM_MAX_INVALID:
                usage.latency_ms = int((time.monotonic() - started) * 1000)
                error = LLMInvalidOutput(f"Invalid LLM output after {invalid_outputs} tries: {exc}")
                error.usage = usage
                raise error from exc
            logger.warning("Invalid LLM output (%s); asking again", exc)
            continue
        usage.latency_ms = int((time.monotonic() - started) * 1000)
        tokens = choice.logprobs.content if logprobs and choice.logprobs and choice.logprobs.content else []
        return LLMResult(value=value, usage=usage, logprobs=list(tokens))


def _strip_code_fence(content: str) -> str:
    """Some JSON-mode servers still wrap the object in a markdown code fence."""
    text = content.strip()
    if text.startswith("```"):
        text = text.split("\n", 1)[1] if "\n" in text else ""
        text = text.rsplit("```", 1)[0]
    return text
