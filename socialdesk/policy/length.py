"""Message length as each network counts it."""

from __future__ import annotations

import unicodedata

import regex

URL = regex.compile(
    r"(?i)\bhttps?://[^\s]+|\b(?:[a-z0-9-]+\.)+(?:com|org|net|io|es|co|uk|de|fr|pt|example)\b(?:/[^\s]*)?"
)
GRAPHEME = regex.compile(r"\X")
# twitter-text v3: these code points weigh 1, everything else 2; a URL weighs 23; an emoji sequence 2.
X_LIGHT_RANGES = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))
X_URL_WEIGHT = 23


def _is_emoji(grapheme: str) -> bool:
    return (
        any(0x1F000 <= ord(ch) <= 0x1FAFF or 0x2600 <= ord(ch) <= 0x27BF or ch == "\ufe0f" for ch in grapheme)
        and not grapheme.isascii()
    )


def x_weighted(text: str) -> int:
    text = unicodedata.normalize("NFC", text)
    total = 0
    position = 0
    for match in URL.finditer(text):
        total += _x_plain(text[position : match.start()]) + X_URL_WEIGHT
        position = match.end()
    return total + _x_plain(text[position:])


def _x_plain(text: str) -> int:
    total = 0
    for grapheme in GRAPHEME.findall(text):
        if _is_emoji(grapheme):
            total += 2
            continue
        for ch in grapheme:
            code = ord(ch)
            total += 1 if any(lo <= code <= hi for lo, hi in X_LIGHT_RANGES) else 2
    return total


def measure(text: str, unit: str) -> int:
    if unit == "x_weighted":
        return x_weighted(text)
    if unit == "graphemes":
        return len(GRAPHEME.findall(text))
    if unit == "utf8_bytes":
        return len(text.encode("utf-8"))
    return len(text)


UNIT_EXPLANATION = {
    "x_weighted": "X counts a link as 23 and emoji or CJK characters as 2",
    "graphemes": "counted in visible characters",
    "utf8_bytes": "counted in bytes; accented letters take 2 and emoji 4",
    "chars": "counted in characters",
}
