"""The options of each import, declared once.

The commands' arguments (``import_communes --code-field …``), the stewards' HTTP form fields
(``code_field=…``) and the demo are all made from these declarations, so an option, its help and
its checks cannot drift apart. Values arrive as text from both doors and are parsed here.
"""

from __future__ import annotations

import argparse
import datetime
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from geo_civic.actors.models import Actor
from geo_civic.web.params import ParameterError, boolean, text
from importers.actor_formats import FORMATS
from importers.actor_mapping import FieldMapping


def _documented(parse: Callable[[str, str], Any], schema: dict) -> Callable[[str, str], Any]:
    """Attach the OpenAPI schema of what ``parse`` accepts: the form's documentation."""
    parse.schema = schema  # type: ignore[attr-defined]
    return parse


def _text(limit: int) -> Callable[[str, str], str | None]:
    def parse(name: str, value: str) -> str | None:
        return text(name, value, max_length=limit) or None

    return _documented(parse, {"type": "string", "maxLength": limit, "pattern": "^[^\\x00]*$"})


def _epsg(name: str, value: str) -> int | None:
    """An EPSG code: ASCII digits, at most six."""
    if not value:
        return None
    if not (value.isascii() and value.isdigit()) or len(value) > 6:
        raise ParameterError(f"{name}: an EPSG code (a number), not {value[:40]!r}", name)
    return int(value)


_documented(_epsg, {"type": "string", "pattern": "^[0-9]{1,6}$"})


def _date(name: str, value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        raise ParameterError(f"{name}: a date YYYY-MM-DD, not {value[:40]!r}", name) from None


_documented(_date, {"type": "string", "format": "date"})


def _choice(values: Sequence[str]) -> Callable[[str, str], str | None]:
    def parse(name: str, value: str) -> str | None:
        if value and value not in values:
            raise ParameterError(f"{name}: one of {', '.join(values)}, not {value[:40]!r}", name)
        return value or None

    return _documented(parse, {"type": "string", "enum": list(values)})


def _switch(name: str, value: str) -> bool:
    try:
        return boolean(name, value)
    except ParameterError:
        raise ParameterError(f"{name}: true or false, not {value[:40]!r}", name) from None


@dataclass(frozen=True)
class Option:
    """One option: its name (a form field; ``--name-with-dashes`` on the command line)."""

    name: str
    help: str
    parse: Callable[[str, str], Any] = _text(100)
    default: Any = None
    switch: bool = False  # ``--dry-run`` on the command line, true/false in a form
    metavar: str | None = None

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")

    @property
    def schema(self) -> dict:
        """The OpenAPI schema of the form field, from what its parser accepts."""
        if self.switch:
            return {"type": "boolean", "default": self.default, "description": self.help}
        schema = dict(getattr(self.parse, "schema", {"type": "string"}))
        if self.default is not None:
            schema["default"] = self.default
        return {**schema, "description": self.help}


COMMUNES: tuple[Option, ...] = (
    Option("source", "field layout: a source in data/communes/ or `auto` to recognise it",
           default="auto"),
    Option("code_field", "field holding the commune code"),
    Option("name_field", "field holding the commune name"),
    Option("population_field", "field holding the population"),
    Option("layer", "layer to read (GeoPackage, folder, zip)"),
    Option("srid", "EPSG code of the file's coordinates", _epsg),
    Option("encoding", "encoding of a DBF without .cpg (e.g. ISO-8859-1)", _text(40)),
    Option("country", "ISO country code (default: FR)", _text(2), default="FR"),
    Option("complete_for", "territory the file is complete for, whose absent communes are "
           "retired: a country (FR), départements (974,976) or `none` (default: its French "
           "départements)", _text(200)),
    Option("valid_from", "date (YYYY-MM-DD) the boundaries take effect; retired communes end "
           "then", _date),
    Option("force", "retire more than 20% of a territory", _switch, False, switch=True),
    Option("dry_run", "report, change nothing", _switch, False, switch=True),
)  # fmt: skip

ACTORS: tuple[Option, ...] = (
    Option("format", "gogocarto (default), or the source's", _choice(FORMATS)),
    Option("source_key", "provenance key (default: the file or source)"),
    Option("mapping", "TOML file: [fields] name = 'column' …"),
    *(Option(f"{n}_field", f"column holding the {n}") for n in ("id", "name", "lat", "lon",
                                                              "address")),
    Option("kind", "kind of every row", _choice(Actor.Kind.values), Actor.Kind.ORGANISATION),
    Option("dry_run", "report, change nothing", _switch, False, switch=True),
)  # fmt: skip


def add_arguments(parser: argparse.ArgumentParser, options: Sequence[Option]) -> None:
    """The command's ``--flags``, each taking text that ``from_command`` parses."""
    for option in options:
        escaped = option.help.replace("%", "%%")  # argparse formats help with %
        if option.switch:
            parser.add_argument(option.flag, action="store_true", help=escaped)
        else:
            parser.add_argument(option.flag, help=escaped)


def _parsed(options: Sequence[Option], given: Mapping[str, Any]) -> dict[str, Any]:
    values = {}
    for option in options:
        raw = given.get(option.name)
        if raw is None or raw == "":
            values[option.name] = option.default
        elif option.switch and isinstance(raw, bool):
            values[option.name] = raw
        else:
            values[option.name] = option.parse(option.name, str(raw))
    return values


def from_command(options: Sequence[Option], given: Mapping[str, Any]) -> dict[str, Any]:
    """The options as a command received them (argparse's namespace as a dict)."""
    try:
        return _parsed(options, given)
    except ParameterError as exc:
        raise ParameterError(str(exc).replace(exc.parameter, _flag(exc.parameter), 1)) from None


def from_form(options: Sequence[Option], fields: Mapping[str, str]) -> dict[str, Any]:
    """The options of a form: an unknown field is refused, naming the known ones."""
    known = {option.name for option in options}
    unknown = sorted(set(fields) - known)
    if unknown:
        raise ParameterError(
            f"unknown option(s): {', '.join(unknown)} (known: {', '.join(sorted(known))})",
            unknown[0],
        )
    return _parsed(options, fields)


def _flag(name: str | None) -> str:
    return "--" + (name or "").replace("_", "-")


def communes_arguments(values: Mapping[str, Any]) -> dict[str, Any]:
    """``import_communes`` keyword arguments from parsed COMMUNES options (``source`` is the
    schema there; the file itself is named apart)."""
    arguments = {k: v for k, v in values.items() if k != "source"}
    arguments["country"] = (values["country"] or "FR").upper()
    return arguments


def actors_arguments(
    values: Mapping[str, Any], base: dict[str, str] | None = None
) -> dict[str, Any]:
    """``import_actor_file`` keyword arguments from parsed ACTORS options (but the format and
    the source key, whose defaults depend on the file or the named source); ``base``: a named
    source's own field mapping, which the mapping file and the ``*_field`` options override."""
    columns = {n: values[f"{n}_field"] for n in ("id", "name", "lat", "lon", "address")}
    return {
        "kind": values["kind"],
        "mapping": FieldMapping.from_file(values["mapping"], base, **columns),
        "dry_run": values["dry_run"],
    }
