"""Text normalisation shared by every triage model (training and inference must agree)."""

from __future__ import annotations

import re

URL = re.compile(r"(?i)\bhttps?://\S+|\bwww\.\S+|\bhttp\b")
MENTION = re.compile(r"(?<!\w)@\w+")
HASHTAG = re.compile(r"#(\w+)")
REPEAT = re.compile(r"(.)\1{3,}")
SPACE = re.compile(r"\s+")
# Format characters (zero-width, bidi overrides) change nothing a reader sees but split words.
FORMAT = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")

MAX_CHARS = 2000  # triage reads at most this much of a message; a 1 MB post costs what a long one does


def for_models(text: str) -> str:
    """The form the sentiment/intent models read: URLs -> `http`, handles -> `@user`, hashtags as
    words, long letter runs shortened, lower case."""
    text = FORMAT.sub("", text[:MAX_CHARS])
    text = URL.sub(" http ", text)
    text = MENTION.sub(" @user ", text)
    text = HASHTAG.sub(r"\1", text)
    text = REPEAT.sub(r"\1\1\1", text)
    return SPACE.sub(" ", text).strip().lower()


def for_embedding(text: str) -> str:
    """The form e5 reads: case kept (its tokenizer is cased), links and handles as the tweet datasets
    anonymise them (fewer tokens: a t.co link is ~10 of them)."""
    text = FORMAT.sub("", text[:1000])
    text = URL.sub("http", text)
    text = MENTION.sub("@user", text)
    return SPACE.sub(" ", text).strip() or " "


def for_language(text: str) -> str:
    """The form language identification reads: no URLs, handles or `#`, lower case (upper-case
    shouting confuses character n-gram models)."""
    text = FORMAT.sub("", text[:MAX_CHARS])
    text = URL.sub(" ", text)
    text = MENTION.sub(" ", text)
    text = text.replace("#", " ")
    text = re.sub(r"(?i)\brt\b", " ", text)
    return SPACE.sub(" ", text).strip().lower()


def dedupe_key(text: str) -> str:
    """Two tweets are the same training example if they differ only in handles, links, case, spacing
    or punctuation (datasets anonymise handles and links differently)."""
    text = for_models(text).replace("@user", " ").replace("http", " ")
    return re.sub(r"[\W_]+", "", text)
