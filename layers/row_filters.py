"""Filters that belong to one layer's rows (a proposal's space or status), beside the shared set.

A layer declares them in ``Layer.row_filters``; ``layers.filters.select`` parses each the same
strict way as the shared ones (unknown values are errors with the known ones named), and the OGC
API and the OpenAPI documents publish them from the same declaration.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Q

from geo_civic.web.params import ParameterError

MAX_LIST = 200  # values in one comma-separated list
IDS = rf"[1-9][0-9]{{0,17}}(,[1-9][0-9]{{0,17}}){{0,{MAX_LIST - 1}}}"


@dataclass(frozen=True)
class RowFilter:
    """A parameter of a layer: what it means, the pattern of its values, the rows it keeps."""

    description: str
    pattern: str  # a regular expression of accepted values, for the OpenAPI documents
    rows: Callable[[str, str], Q]  # (parameter name, value) → condition


def parse_list(name: str, value: str) -> list[str]:
    items = [v.strip() for v in value.split(",") if v.strip()]
    if not items:
        raise ParameterError(f"{name} needs at least one value", name)
    if len(items) > MAX_LIST:
        raise ParameterError(f"{name} takes at most {MAX_LIST} values", name)
    if any("\x00" in item or len(item) > 100 for item in items):
        raise ParameterError(f"{name} values must be short text", name)
    return items


def ids(path: str, what: str) -> RowFilter:
    """Rows whose ``path`` is one of the given ids: ``space=3,7``."""

    def rows(name: str, value: str) -> Q:
        items = parse_list(name, value)
        if not all(re.fullmatch(r"[1-9][0-9]{0,17}", item) for item in items):
            raise ParameterError(
                f"{name} takes {what} ids: whole numbers separated by commas", name
            )
        return Q(**{f"{path}__in": [int(item) for item in items]})

    return RowFilter(f"{what} ids, comma-separated", f"^{IDS}$", rows)


def choices(path: str, known: Iterable[str], what: str) -> RowFilter:
    """Rows whose ``path`` is one of the given values, each of them one of ``known``."""
    allowed = tuple(known)

    def rows(name: str, value: str) -> Q:
        items = parse_list(name, value)
        unknown = sorted(set(items) - set(allowed))
        if unknown:
            raise ParameterError(
                f"unknown {name} {', '.join(unknown)} (known: {', '.join(allowed)})", name
            )
        return Q(**{f"{path}__in": items})

    one = "|".join(allowed)
    pattern = f"^({one})(,({one})){{0,{MAX_LIST - 1}}}$"
    return RowFilter(f"{what}: {', '.join(allowed)}", pattern, rows)


def words(path: str, what: str, *, overlap: bool = False) -> RowFilter:
    """Rows whose text ``path`` is one of the values (or, ``overlap``, whose array holds one)."""

    def rows(name: str, value: str) -> Q:
        items = parse_list(name, value)
        return Q(**{f"{path}__overlap" if overlap else f"{path}__in": items})

    item = r"[^,\x00\s][^,\x00]{0,99}"
    return RowFilter(f"{what}, comma-separated", f"^{item}(,{item}){{0,{MAX_LIST - 1}}}$", rows)
