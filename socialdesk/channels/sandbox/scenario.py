"""Reading a scenario day (docs/scenarios.md): an optional header naming the policy, customer posts
with their truth labels (the sandbox's wire format), and the brand's agents' replies. The one reader:
`sandbox replay` and the demo take its posts, `scenario run|score` the whole day."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from socialdesk.channels.sandbox.payloads import ScenarioPost
from socialdesk.textfiles import TextFileError, check_value, control_character, decode

# A post's text may be 100,000 characters (payloads.ScenarioPost); a line longer than this is no post.
MAX_LINE_CHARS = 200_000


class ScenarioError(ValueError):
    """The scenario cannot be used; the message names the file and line of every problem."""


class Header(BaseModel):
    model_config = ConfigDict(extra="forbid")

    brand: str = Field(default="", max_length=200)
    policy: str = Field(default="", max_length=1000)
    description: str = Field(default="", max_length=10_000)


class AgentReply(BaseModel):
    """A reply the brand's agent wrote that day: the runner sends it through the desk as a person."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1, max_length=200)
    at: AwareDatetime
    agent: str = Field(min_length=1, max_length=60, pattern=r"^[A-Za-z][A-Za-z0-9_.-]*$")
    reply_to: str = Field(min_length=1, max_length=200)
    text: str = Field(min_length=1, max_length=10_000)
    private: bool | None = None


@dataclass
class Scenario:
    path: Path
    header: Header
    posts: list[ScenarioPost]
    replies: list[AgentReply] = field(default_factory=list)

    def policy_path(self, override: Path | None = None) -> Path | None:
        if override is not None:
            return override
        if not self.header.policy:
            return None
        return (self.path.parent / self.header.policy).resolve()

    def truth(self) -> dict[str, dict[str, str | bool]]:
        return {p.id: dict(p.truth or {}) for p in self.posts}


def read_scenario_file(path: Path) -> Scenario:
    """The whole day, posts and replies in time order; every bad line is reported with its number."""
    header = Header()
    posts: list[ScenarioPost] = []
    replies: list[AgentReply] = []
    problems: list[str] = []
    try:
        text = decode(path.read_bytes(), str(path))
        control_character(text, str(path))
    except OSError as exc:
        raise ScenarioError(f"{path}: {exc.strerror or exc}") from exc
    except TextFileError as exc:
        raise ScenarioError(str(exc)) from exc
    # Lines end as text files' lines do (not str.splitlines: JSON strings may hold U+2028 and the like),
    # each with its newline, as reading the file line by line gave them (json's positions count it).
    pieces = re.split(r"\r\n|\r|\n", text)
    for number, piece in enumerate(pieces, start=1):
        line = piece + "\n" if number < len(pieces) else piece
        if not line.strip():
            continue
        if len(line) > MAX_LINE_CHARS:
            too_long = f"a line of {len(line):,} characters (at most {MAX_LINE_CHARS:,})"
            problems.append(f"{path}:{number}: {too_long}")
            continue
        try:
            try:
                data = json.loads(line)
            except RecursionError as exc:  # the JSON parser recurses per level
                raise ValueError("nested too deep") from exc
            if not isinstance(data, dict):
                raise ValueError("a line is one JSON object")
            wrong = check_value(data)
            if wrong:
                raise ValueError(wrong)
            if "scenario" in data:
                header = Header.model_validate(data["scenario"])
            elif "agent" in data:
                replies.append(AgentReply.model_validate(data))
            else:
                posts.append(ScenarioPost.model_validate(data))
        except (ValueError, ValidationError) as exc:
            problems.append(f"{path}:{number}: {exc}")
    known = {p.id for p in posts}
    problems += [
        f"{path}: agent reply {r.id} answers {r.reply_to!r}, which is no post of the day"
        for r in replies
        if r.reply_to not in known
    ]
    if problems:
        raise ScenarioError("\n".join(problems[:20]))
    if not posts:
        raise ScenarioError(f"{path}: no posts")
    posts.sort(key=lambda p: p.at)
    replies.sort(key=lambda r: r.at)
    return Scenario(path, header, posts, replies)
