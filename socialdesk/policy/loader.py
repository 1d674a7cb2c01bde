"""Reading a policy file: YAML -> `Policy`, with every problem reported at its line and column."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml
from pydantic import ValidationError

from socialdesk.policy.schema import Policy

MAX_POLICY_BYTES = 1_000_000


@dataclass(frozen=True)
class PolicyIssue:
    line: int
    column: int
    path: str
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}, column {self.column}"
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class PolicyError(ValueError):
    def __init__(self, issues: list[PolicyIssue], source: str = "policy") -> None:
        self.issues = issues
        self.source = source
        super().__init__(f"{source} is invalid:\n" + "\n".join(f"  {issue}" for issue in issues))


def _locate(root: yaml.Node | None, loc: tuple[Any, ...], prefer_key: bool) -> tuple[yaml.Node | None, str]:
    """The YAML node an error location points at (or the deepest one that exists) and its dotted path."""
    node, key_node, path = root, None, ""
    for part in loc:
        if part == "[key]":
            return key_node or node, path
        if isinstance(node, yaml.MappingNode):
            match = next(((k, v) for k, v in node.value if k.value == str(part)), None)
            if match is None:
                return node, path
            key_node, node = match
            path = f"{path}.{part}" if path else str(part)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            key_node, node = None, node.value[part]
            path = f"{path}[{part}]"
        else:
            return node, path
    # An unknown key is reported where the key is written; anything else where its value is.
    return (key_node if prefer_key and key_node is not None else node), path


def _issue(node: yaml.Node | None, path: str, message: str) -> PolicyIssue:
    mark = node.start_mark if node is not None else None
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    return PolicyIssue(line, column, path, message)


def _message(error: Any) -> str:
    message = str(error["msg"])
    if error["type"] == "extra_forbidden":
        return "unknown key (check the spelling; see `socialdesk policy schema`)"
    if error["type"] == "missing":
        return f"missing required key {error['loc'][-1]!r}"
    return message.removeprefix("Value error, ")


def load_policy(text: str, source: str = "policy") -> Policy:
    if len(text.encode("utf-8")) > MAX_POLICY_BYTES:
        raise PolicyError([PolicyIssue(1, 1, "", f"file is larger than {MAX_POLICY_BYTES:,} bytes")], source)
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise PolicyError(
            [PolicyIssue(line, column, "", f"YAML syntax: {exc.problem or exc}")], source
        ) from exc
    if not isinstance(data, dict):
        raise PolicyError([PolicyIssue(1, 1, "", "a policy is a mapping of keys at the top level")], source)
    try:
        policy = Policy.model_validate(data)
    except ValidationError as exc:
        issues = []
        for error in exc.errors(include_url=False):
            loc = tuple(error["loc"])
            missing = error["type"] == "missing"
            node, path = _locate(root, loc[:-1] if missing else loc, error["type"] == "extra_forbidden")
            if missing:
                path = f"{path}.{loc[-1]}" if path else str(loc[-1])
            issues.append(_issue(node, path, _message(error)))
        raise PolicyError(sorted(issues, key=lambda i: (i.line, i.column)), source) from exc
    problems = policy.reference_problems()
    if problems:
        issues = []
        for loc, message in problems:
            node, path = _locate(root, loc, prefer_key=False)
            issues.append(_issue(node, path, message))
        raise PolicyError(issues, source)
    return policy
