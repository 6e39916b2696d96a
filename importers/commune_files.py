"""Read communes from any vector file GDAL reads, reprojected to WGS 84 by GDAL.

Shapefiles (bare or zipped, read in place through ``/vsizip/``), GeoPackage, FlatGeobuf, KML,
GeoJSON, TopoJSON or a folder: the fields are mapped through a schema (``commune_schemas``),
and every error names the file and the feature, so the person who ran the import can fix it.
"""

from __future__ import annotations

import codecs
import math
import zipfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path, PurePosixPath

from django.contrib.gis.gdal import (
    CoordTransform,
    DataSource,
    GDALException,
    SpatialReference,
    SRSException,
)
from django.contrib.gis.gdal.libgdal import lgdal
from django.utils.encoding import DjangoUnicodeDecodeError

from importers.commune_schemas import REQUIRED, ROLES, Schema, recognise, schema_named
from importers.errors import ImportFailed, option
from importers.gdal_messages import collect_gdal_messages
from importers.gdal_open import COMMUNE_DRIVERS, SUFFIXES, open_vector

WGS84 = SpatialReference(4326)
VECTOR_SUFFIXES = tuple(s for s in SUFFIXES if s != ".csv")
AREAL = ("Polygon", "MultiPolygon", "GeometryCollection")
# Formats whose coordinates are longitude/latitude by convention, though GDAL reports no CRS.
WGS84_BY_DEFINITION = ("TopoJSON",)


@dataclass
class FieldChoice:
    """What the reader was told about the file's layout (flags win over the schema)."""

    schema: str = "auto"
    code_field: str | None = None
    name_field: str | None = None
    population_field: str | None = None
    layer: str | None = None
    srid: int | None = None
    encoding: str | None = None


@dataclass
class CommuneRow:
    feature: int
    code: str
    name: str
    wkb: bytes | None
    population: int | None = None
    departement: str | None = None
    region: str | None = None
    country: str | None = None

    def label(self) -> str:
        return f"feature {self.feature} (commune {self.code}, {self.name})"


@dataclass
class CommuneFile:
    """An open file: its layout, and its communes read one at a time (``rows``)."""

    path: Path
    schema: str
    crs: str
    rows: Iterator[CommuneRow] = field(default_factory=lambda: iter(()), repr=False)
    warnings: list[str] = field(default_factory=list)


Progress = Callable[[int, int], None]
PROGRESS_EVERY = 200


@contextmanager
def open_commune_file(
    path: Path, choice: FieldChoice | None = None, progress: Progress | None = None
) -> Iterator[CommuneFile]:
    """The file's layer, mapped and checked; its rows stream in WGS 84 while the block runs.

    Streaming keeps a national file (ADMIN EXPRESS: 35,000 communes at full resolution) out of
    memory. Iterating ``rows`` raises ImportFailed, saying what and where, on any bad feature.
    """
    choice = choice or FieldChoice()
    path = Path(path)
    if not path.exists():
        raise ImportFailed(f"{path}: no such file")
    if files := _files_of_folder(path):
        with _open_files(path, files, choice) as opened:
            yield opened
        return
    forced_srs = _srs_of(choice.srid) if choice.srid else None
    if choice.encoding:
        try:
            codecs.lookup(choice.encoding)
        except LookupError:
            unknown = f"{option('encoding')} {choice.encoding}: unknown encoding"
            raise ImportFailed(unknown) from None
    member = _zip_member(path, choice.layer)
    with (
        collect_gdal_messages() as gdal_said,
        _shape_encoding(choice.encoding),
        open_vector(path, COMMUNE_DRIVERS, member=member) as source,
    ):
        try:
            opened = _open(path, source, choice, forced_srs, progress, gdal_said)
        except GDALException as exc:
            raise ImportFailed(f"{path}: GDAL cannot read it ({_reason(gdal_said, exc)})") from exc
        yield opened


def _files_of_folder(path: Path) -> list[Path]:
    """A folder's vector files read one after the other (one GeoJSON per département, say);
    none for a folder of Shapefiles, which GDAL opens as one source with a layer per file."""
    if not path.is_dir() or any(p.suffix.lower() == ".shp" for p in path.iterdir()):
        return []
    files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES)
    if not files:
        raise ImportFailed(f"{path}: the folder holds no file GeoCivic reads")
    return files


@contextmanager
def _open_files(folder: Path, files: list[Path], choice: FieldChoice) -> Iterator[CommuneFile]:
    """Every file of the folder opened, checked, and its rows chained: one import, one
    transaction. Each file is mapped by the schema it fits; the first names the import's."""
    with ExitStack() as stack:
        opened = [stack.enter_context(open_commune_file(f, choice)) for f in files]
        combined = CommuneFile(folder, opened[0].schema, opened[0].crs)
        for each in opened:
            each.warnings = combined.warnings  # the rows report into the one list
        combined.rows = chain.from_iterable(each.rows for each in opened)
        yield combined


def _reason(gdal_said: list[str], exc: Exception | None = None) -> str:
    return "; ".join(gdal_said[:3]) or str(exc)


def _zip_member(path: Path, layer: str | None) -> str | None:
    """The member GDAL reads in place (``/vsizip/``) when ``path`` is a zip, after checking them."""
    if path.suffix.lower() == ".shp":
        _require_shapefile_parts(str(path), [str(p) for p in path.parent.iterdir()])
    if path.suffix.lower() != ".zip":
        return None
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.namelist()
    except zipfile.BadZipFile as exc:
        raise ImportFailed(f"{path}: not a readable zip archive ({exc})") from None
    for member in members:
        pure = PurePosixPath(member.replace("\\", "/"))
        if pure.is_absolute() or ".." in pure.parts or ":" in member:
            raise ImportFailed(f"{path}: member {member!r} points outside the archive; refused")
    vectors = [m for m in members if m.lower().endswith(VECTOR_SUFFIXES)]
    if layer:
        vectors = [m for m in vectors if PurePosixPath(m).stem == layer] or vectors
    if not vectors:
        raise ImportFailed(f"{path}: the archive holds no vector file ({', '.join(members)})")
    if len(vectors) > 1:
        raise ImportFailed(
            f"{path}: the archive holds several vector files, name one with {option('layer')}: "
            + ", ".join(PurePosixPath(m).stem for m in vectors)
        )
    if vectors[0].lower().endswith(".shp"):
        _require_shapefile_parts(vectors[0], members)
    return vectors[0]


def _require_shapefile_parts(shp: str, siblings: list[str]) -> None:
    """GDAL opens a Shapefile without its .dbf as a layer without fields: say what is missing."""
    present = {name.lower() for name in siblings}
    for part in (".dbf", ".shx"):
        if shp[:-4].lower() + part not in present:
            raise ImportFailed(f"{shp}: the {part} file that goes with it is missing")


@contextmanager
def _shape_encoding(encoding: str | None) -> Iterator[None]:
    """Tell GDAL the DBF encoding when the file has no .cpg (GDAL then recodes to UTF-8)."""
    if not encoding:
        yield
        return
    lgdal.CPLSetThreadLocalConfigOption(b"SHAPE_ENCODING", encoding.encode())
    try:
        yield
    finally:
        lgdal.CPLSetThreadLocalConfigOption(b"SHAPE_ENCODING", None)


def _pick_layer(path: Path, source: DataSource, wanted: str | None):
    names = [layer.name for layer in source]
    if not names:
        raise ImportFailed(f"{path}: the file holds no layer")
    if wanted and wanted in names:
        return source[wanted]
    if wanted:
        raise ImportFailed(f"{path}: no layer {wanted!r}; the file has: {', '.join(names)}")
    if len(names) > 1:
        raise ImportFailed(
            f"{path}: several layers, name one with {option('layer')}: {', '.join(names)}"
        )
    return source[0]


def _mapping(path: Path, available: list[str], choice: FieldChoice) -> tuple[Schema, dict]:
    """The field of each role, checked against the file's fields."""
    if choice.schema == "auto":
        schema = recognise(available)
    else:
        schema = schema_named(choice.schema)
    flags = {
        "code": (choice.code_field, option("code_field")),
        "name": (choice.name_field, option("name_field")),
        "population": (choice.population_field, option("population_field")),
    }
    has = ", ".join(available) or "no field at all"
    if schema is None and not (choice.code_field and choice.name_field):
        raise ImportFailed(
            f"{path}: no known commune schema fits this file (use {option('source')}, or "
            f"{option('code_field')} and {option('name_field')}); the file has: {has}"
        )
    schema = schema or Schema("generic")
    mapping: dict[str, str] = {}
    for role in [r for r in ROLES if r in schema.fields or r in flags]:
        flag_value, flag = flags.get(role, (None, ""))
        if flag_value:
            if flag_value not in available:
                raise ImportFailed(f"{path}: no field {flag_value!r} ({flag}); the file has: {has}")
            mapping[role] = flag_value
            continue
        found = schema.field_for(role, available)
        if found:
            mapping[role] = found
        elif role in REQUIRED:
            wanted = " or ".join(repr(n) for n in schema.fields.get(role, (role,)))
            raise ImportFailed(
                f"{path}: no field {wanted} for the commune {role} of source {schema.name!r} "
                f"(use {flag}); the file has: {has}"
            )
    return schema, mapping


def _srs_of(srid: int) -> SpatialReference:
    with collect_gdal_messages():
        try:
            return SpatialReference(srid)
        except (SRSException, GDALException):
            raise ImportFailed(f"{option('srid')} {srid}: not an EPSG code PROJ knows") from None


def _open(
    path: Path,
    source: DataSource,
    choice: FieldChoice,
    forced_srs: SpatialReference | None,
    progress: Progress | None,
    gdal_said: list[str],
) -> CommuneFile:
    layer = _pick_layer(path, source, choice.layer)
    features = layer.num_feat
    if features < 0:
        reason = "; ".join(gdal_said[:3]) or "it cannot count the features"
        raise ImportFailed(f"{path}: GDAL cannot read it ({reason})")
    if features == 0:
        raise ImportFailed(f"{path}: this {source.driver} file holds no feature")
    available = list(layer.fields)
    schema, mapping = _mapping(path, available, choice)
    if forced_srs is not None:
        srs = forced_srs
    elif layer.srs is not None:
        srs = layer.srs
    elif str(source.driver) in WGS84_BY_DEFINITION:
        srs = WGS84
    else:
        raise ImportFailed(
            f"{path}: the file declares no CRS; give its EPSG code with {option('srid')}"
        )
    opened = CommuneFile(path, schema.name, srs.name or f"EPSG:{srs.srid}")
    opened.rows = _rows(path, layer, schema, mapping, srs, choice, progress, gdal_said, opened)
    return opened


def _rows(path, layer, schema, mapping, srs, choice, progress, gdal_said, opened):
    """Each commune of the layer in WGS 84; GDAL's complaints about any feature abort."""
    to_wgs84 = None if _is_wgs84(srs) else CoordTransform(srs, WGS84)
    filters = {f: v for f, v in schema.filter.items() if f in layer.fields}
    total, count = len(layer), 0
    try:
        for index, feature in enumerate(layer, start=1):
            try:
                values = {role: _text(feature.get(name)) for role, name in mapping.items()}
                if any(_text(feature.get(f)) != v for f, v in filters.items()):
                    continue
            except DjangoUnicodeDecodeError:
                wanted = choice.encoding or "UTF-8"
                hint = (
                    ""
                    if choice.encoding
                    else f"; give the file's encoding with {option('encoding')} (e.g. ISO-8859-1)"
                )
                raise ImportFailed(
                    f"{path}: feature {index} has text that is not {wanted}{hint}"
                ) from None
            row = _row(path, index, values)
            row.wkb = _wkb(path, row, feature, to_wgs84, opened.warnings)
            count += 1
            yield row
            if progress and (index % PROGRESS_EVERY == 0 or index == total):
                progress(index, total)
    except GDALException as exc:
        raise ImportFailed(f"{path}: GDAL cannot read it ({_reason(gdal_said, exc)})") from exc
    # GDAL reports a damaged feature (e.g. a truncated .shp) and goes on: we do not.
    if gdal_said:
        raise ImportFailed(f"{path}: GDAL cannot read it ({_reason(gdal_said)})")
    if not count:
        raise ImportFailed(f"{path}: the file holds no commune")


def _is_wgs84(srs: SpatialReference) -> bool:
    return srs.srid == 4326 and srs.geographic


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _row(path: Path, index: int, values: dict[str, str]) -> CommuneRow:
    code = values["code"]
    if not code:
        raise ImportFailed(f"{path}: feature {index} has no commune code")
    population = None
    if values.get("population"):
        try:
            population = int(float(values["population"]))
        except ValueError:
            raise ImportFailed(
                f"{path}: feature {index} (commune {code}) has population "
                f"{values['population']!r}, not a number"
            ) from None
    return CommuneRow(
        feature=index,
        code=code,
        name=values["name"] or code,
        wkb=None,
        population=population,
        departement=values.get("departement") or None,
        region=values.get("region") or None,
        country=(values.get("country") or "").upper() or None,
    )


def _wkb(path, row: CommuneRow, feature, to_wgs84, warnings: list[str]) -> bytes | None:
    """The feature's geometry as WGS 84 WKB; None (with a warning) when it has none."""
    try:
        geom = feature.geom
    except GDALException:
        geom = None
    if geom is None or geom.empty:
        warnings.append(f"{row.label()}: empty geometry, skipped")
        return None
    if geom.is_3d:  # KML and others carry a Z; communes are flat
        geom.set_3d(False)
    if geom.geom_type.name not in AREAL:
        raise ImportFailed(f"{path}: {row.label()} is a {geom.geom_type.name}, not a polygon")
    if to_wgs84 is not None:
        geom.transform(to_wgs84)
    min_x, min_y, max_x, max_y = geom.extent
    if not all(math.isfinite(v) for v in geom.extent) or not (
        -180.5 <= min_x <= max_x <= 180.5 and -90 <= min_y <= max_y <= 90
    ):
        raise ImportFailed(
            f"{path}: {row.label()} lies outside longitude/latitude once reprojected: the "
            f"file's CRS is wrong or missing; give the right EPSG code with {option('srid')}"
        )
    return bytes(geom.wkb)
