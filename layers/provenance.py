"""Where a layer's rows come from and under which licence, so every export can say it.

Each row names its source (``Commune.source`` like ``france-geojson/974``, ``Actor.source_key``);
the source definitions in ``data/<kind>/*.toml`` give its title, licence and attribution.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from functools import lru_cache

from geo_civic.sources.catalogue import SourceError, load_source
from layers.filters import Selection

NOT_STATED = "not stated"


@dataclass(frozen=True)
class SourceInfo:
    name: str
    title: str
    licence: str
    attribution: str
    homepage: str = ""

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


@lru_cache(maxsize=256)
def describe(kind: str, raw: str) -> SourceInfo:
    """The source definition behind a row's source value; unknown ones say so.

    Cached: source definitions are files of the release, read once per process.
    """
    name = (raw or "").split("/", 1)[0]
    if name:
        try:
            source = load_source(kind, name)
        except SourceError:
            pass
        else:
            homepage = getattr(source, "homepage", "") or ""
            return SourceInfo(name, source.title, source.licence, source.attribution, homepage)
    return SourceInfo(
        raw or "geocivic",
        raw or "Contributions GeoCivic",
        NOT_STATED,
        raw or "Contributeurs GeoCivic",
    )


def sources_of(selection: Selection) -> list[SourceInfo]:
    """The distinct sources of the selected rows, each described once."""
    field = selection.layer.source_field
    raws = selection.page_rows().order_by().values_list(field, flat=True).distinct()
    described = {describe(selection.layer.source_kind, raw) for raw in raws}
    return sorted(described, key=lambda s: s.name)


def licence_by_source(kind: str, raws: list[str]) -> dict[str, str]:
    """Row source value → ``licence (attribution)``, for a per-feature column."""
    return {raw: summary(describe(kind, raw)) for raw in raws}


def summary(source: SourceInfo) -> str:
    return f"{source.licence} — {source.attribution}"


def notice(layer_title: str, sources: list[SourceInfo]) -> str:
    """One paragraph naming every source and licence, for sidecars and format fields."""
    lines = [f"{layer_title} — GeoCivic."]
    if not sources:
        lines.append("Aucune donnée.")
    for source in sources:
        lines.append(
            f"Source : {source.title}. Licence : {source.licence}. © {source.attribution}."
        )
    return "\n".join(lines)
