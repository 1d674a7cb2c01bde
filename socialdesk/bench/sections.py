"""docs/benchmarks.md holds one section per benchmark; a run replaces its own section (it describes the
code as it is now) and leaves the others alone."""

from __future__ import annotations

from pathlib import Path


def write_section(heading: str, markdown: str, output: Path) -> None:
    """Replace the section that starts with `heading` (up to the next `## `) by `markdown`, or append it."""
    text = output.read_text(encoding="utf-8") if output.exists() else "# Benchmarks\n"
    start = text.find(heading)
    if start == -1:
        text = text.rstrip("\n") + "\n\n" + markdown
    else:
        following = text.find("\n## ", start + len(heading))
        text = text[:start] + markdown + ("" if following == -1 else text[following:])
    output.write_text(text, encoding="utf-8")
