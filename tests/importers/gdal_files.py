"""Write real GIS files with GDAL's ogr2ogr at test time, from the shared GeoJSON files."""

from __future__ import annotations

import subprocess
from pathlib import Path


def ogr2ogr(target: Path, source: Path, *options: str) -> Path:
    """Run ogr2ogr (it must succeed) and return the target."""
    subprocess.run(
        ["ogr2ogr", *options, str(target), str(source)],
        check=True,
        capture_output=True,
        text=True,
    )
    return target
