"""BENCHMARKS.md, one section per benchmark: a run replaces its own section, keyed by its title."""

from __future__ import annotations

import re
from pathlib import Path

PATH = Path(__file__).resolve().parent.parent / "BENCHMARKS.md"


def update_benchmarks(section: str) -> None:
    """Put ``section`` (starting with its ``## …`` title line) in place of the one of that title,
    or at the end when there is none yet."""
    title = section.splitlines()[0]
    text = PATH.read_text() if PATH.exists() else "# Benchmarks\n\n"
    pattern = re.compile(re.escape(title) + r"\n.*?(?=\n## |\Z)", re.S)
    if pattern.search(text):
        text = pattern.sub(lambda _m: section.rstrip() + "\n", text)
    else:
        text = text.rstrip() + "\n\n" + section
    PATH.write_text(text)
