"""What an upload runs, the same in the request (small uploads, dry runs) and in a job (large
ones, ``importers.tasks``): the import, and the report the steward reads."""

from __future__ import annotations

from pathlib import Path

from importers import options, uploads
from importers.actor_formats import import_actor_file
from importers.communes import import_communes


def run_communes(folder: Path, values: dict, uploader: str) -> dict:
    """The form's options are the command's (``options.COMMUNES``)."""
    path = uploads.main_file(folder, values["layer"])
    summary = import_communes(
        path,
        **options.communes_arguments(values),
        schema=values["source"],
        source=f"upload {path.name} by {uploader}"[:200],
    )
    return {
        "summary": ("dry run: " if values["dry_run"] else "") + summary.line(),
        "dry_run": values["dry_run"],
        "created": summary.created,
        "updated": summary.updated,
        "unchanged": summary.unchanged,
        "retired": summary.retired,
        "actors_moved": summary.actors_moved,
        "schema": summary.schema,
        "warnings": summary.warnings,
    }


def run_actors(folder: Path, values: dict, uploader: str) -> dict:
    """The form's options are the command's (``options.ACTORS``); ``mapping`` is a TOML file."""
    path = uploads.main_file(folder)
    summary = import_actor_file(
        path,
        values["format"] or "gogocarto",
        **options.actors_arguments(values),
        source_key=values["source_key"] or path.stem[:100],
    )
    return {
        "summary": ("dry run: " if values["dry_run"] else "") + summary.line(),
        "dry_run": values["dry_run"],
        "created": summary.created,
        "updated": summary.updated,
        "unchanged": summary.unchanged,
        "skipped": summary.skipped,
        "warnings": summary.report(),
    }


RUNS = {
    "communes": (run_communes, options.COMMUNES),
    "actors": (run_actors, options.ACTORS),
}
