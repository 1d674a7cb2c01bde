"""Reading a text file someone hands the desk (policy, scenario, CSV), refusing what is not text.

Each refusal is one line that says where (line and column), so the CLI can print it as it is: a
traceback for a stray byte tells the person nothing, and a NUL that got through would be refused
later by PostgreSQL, half-way through the work.
"""

from __future__ import annotations

import re
from pathlib import Path

# C0 controls and DEL; tab, line feed and carriage return are ordinary text.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Deeper than this is no policy or scenario anyone writes by hand (the web boundary uses the same).
MAX_DEPTH = 64


class TextFileError(ValueError):
    """The file is not text the desk can read; the message is one line and says where."""


def where(text: str, index: int) -> str:
    """'line L, column C' of the character at `index` (both counted from 1)."""
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return f"line {line}, column {column}"


def decode(data: bytes, name: str) -> str:
    """The bytes as UTF-8 text (a leading byte-order mark dropped), or TextFileError."""
    if b"\x00" in data[:8192]:
        raise TextFileError(f"{name}: a binary file, not text (NUL byte at offset {data.index(b'\x00'):,})")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        good = data[: exc.start].decode("utf-8-sig", errors="replace")
        raise TextFileError(
            f"{name}: not UTF-8 text: byte 0x{data[exc.start]:02x} at {where(good, len(good))}"
        ) from exc


def control_character(text: str, name: str) -> None:
    """TextFileError naming the first control character (NUL included) in `text`, if there is one."""
    found = CONTROL.search(text)
    if found:
        raise TextFileError(
            f"{name}: control character U+{ord(found.group()):04X} at {where(text, found.start())}"
        )


def read_text(path: Path, max_bytes: int | None = None) -> str:
    """The whole file as text, with no control characters in it; TextFileError otherwise."""
    try:
        data = path.read_bytes() if max_bytes is None else _read_at_most(path, max_bytes)
    except OSError as exc:
        raise TextFileError(f"{path}: {exc.strerror or exc}") from exc
    text = decode(data, str(path))
    control_character(text, str(path))
    return text


def _read_at_most(path: Path, max_bytes: int) -> bytes:
    with path.open("rb") as handle:
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise TextFileError(f"{path}: larger than {max_bytes:,} bytes")
    return data


def check_value(value: object) -> str | None:
    """What is wrong with a parsed JSON value, or None: nesting past MAX_DEPTH, or a control character
    in a string (JSON may carry one escaped, as "\\u0000"). Walked without recursion."""
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            return f"nested deeper than {MAX_DEPTH} levels"
        if isinstance(item, dict):
            stack += [(k, depth + 1) for k in item] + [(v, depth + 1) for v in item.values()]
        elif isinstance(item, list):
            stack += [(v, depth + 1) for v in item]
        elif isinstance(item, str):
            found = CONTROL.search(item)
            if found:
                return f"control character U+{ord(found.group()):04X} in a string"
    return None
