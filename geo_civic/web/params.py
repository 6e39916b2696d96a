"""Request parameters, parsed strictly and the same way by every endpoint.

An unknown, repeated or malformed parameter is a ``ParameterError`` naming it, which every JSON
endpoint answers as a 400 problem (``geo_civic.web.problems``): a typo never silently returns
something else than what was asked.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.http import QueryDict

TRUE, FALSE = {"1", "true", "yes", "on"}, {"", "0", "false", "no", "off"}


class ParameterError(ValueError):
    """A request parameter that cannot be understood; the message says why."""

    def __init__(self, message: str, parameter: str | None = None) -> None:
        super().__init__(message)
        self.parameter = parameter


def single_values(query: QueryDict, known: Iterable[str] | None = None) -> dict[str, str]:
    """The parameters, each given once and, when ``known`` is given, each one of those."""
    repeated = sorted(name for name, values in query.lists() if len(values) > 1)
    if repeated:
        raise ParameterError(
            f"parameter {', '.join(repeated)} given more than once: use one comma-separated list",
            repeated[0],
        )
    if known is not None:
        unknown = sorted(set(query) - set(known))
        if unknown:
            raise ParameterError(
                f"unknown parameter {', '.join(unknown)} (known: {', '.join(sorted(known))})",
                unknown[0],
            )
    return query.dict()


def whole_number(name: str, value: str, *, minimum: int, maximum: int) -> int:
    """ASCII digits only: ``'²'.isdigit()`` is true, and int() takes other scripts' digits."""
    if not (value.isascii() and value.isdigit() and len(value) <= 12) or not (
        minimum <= int(value) <= maximum
    ):
        raise ParameterError(f"{name} must be a whole number from {minimum} to {maximum}", name)
    return int(value)


def number(name: str, value: str | None, *, low: float, high: float) -> float:
    """A finite decimal number within [low, high], written in ASCII."""
    if value is None or value.strip() == "":
        raise ParameterError(f"{name} is required", name)
    try:
        parsed = float(value) if value.isascii() else None
    except ValueError:
        parsed = None
    if parsed is None:
        raise ParameterError(f"{name} must be a number, not {value[:30]!r}", name)
    if not math.isfinite(parsed) or not low <= parsed <= high:
        raise ParameterError(f"{name} must be between {low:g} and {high:g}", name)
    return parsed


def boolean(name: str, value: str) -> bool:
    """``true``/``false`` and their usual spellings (``1``, ``yes``, ``on``…); nothing else."""
    folded = value.strip().lower()
    if folded in TRUE:
        return True
    if folded in FALSE:
        return False
    raise ParameterError(f"{name} must be true or false, not {value[:30]!r}", name)


def text(name: str, value: str, *, max_length: int) -> str:
    """Free text without NUL (PostgreSQL refuses it), trimmed, at most ``max_length`` long."""
    if "\x00" in value:
        raise ParameterError(f"{name} must not contain a NUL character", name)
    value = value.strip()
    if len(value) > max_length:
        raise ParameterError(f"{name} is longer than {max_length} characters", name)
    return value


# --- parameters declared once: how each is parsed and how it is documented (OpenAPI) ----------


@dataclass(frozen=True)
class Parameter:
    """One query parameter: its parser and its OpenAPI schema, made from the same bounds."""

    name: str
    description: str
    schema: dict[str, Any]
    parse: Callable[[str, str], Any]
    required: bool = False
    default: Any = None
    extra: dict[str, Any] = field(default_factory=dict)  # OpenAPI members: style, explode…

    def read(self, given: Mapping[str, str]) -> Any:
        """The parsed value, the default when absent, or a ParameterError."""
        if self.name not in given:
            if self.required:
                raise ParameterError(f"{self.name} is required", self.name)
            return self.default
        return self.parse(self.name, given[self.name])

    def openapi(self) -> dict[str, Any]:
        """The OpenAPI 3.1 Parameter Object of this query parameter."""
        schema = dict(self.schema)
        if self.default is not None:
            schema["default"] = self.default
        return {
            "name": self.name,
            "in": "query",
            "required": self.required,
            "description": self.description,
            "schema": schema,
            **self.extra,
        }


def whole_number_parameter(
    name: str, description: str, *, minimum: int, maximum: int, **kwargs: Any
) -> Parameter:
    schema = {"type": "integer", "minimum": minimum, "maximum": maximum}
    parse = partial(whole_number, minimum=minimum, maximum=maximum)
    return Parameter(name, description, schema, parse, **kwargs)


def number_parameter(
    name: str, description: str, *, low: float, high: float, **kwargs: Any
) -> Parameter:
    schema = {"type": "number", "minimum": low, "maximum": high}
    return Parameter(name, description, schema, partial(number, low=low, high=high), **kwargs)


def text_parameter(name: str, description: str, *, max_length: int, **kwargs: Any) -> Parameter:
    schema = {"type": "string", "maxLength": max_length, "pattern": "^[^\\x00]*$"}
    parse = partial(text, max_length=max_length)
    return Parameter(name, description, schema, parse, **kwargs)


def parse_query(query: QueryDict, parameters: Iterable[Parameter]) -> dict[str, Any]:
    """Every declared parameter parsed (unknown or repeated ones refused first)."""
    parameters = tuple(parameters)
    given = single_values(query, known={p.name for p in parameters})
    return {p.name: p.read(given) for p in parameters}
