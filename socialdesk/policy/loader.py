"""Reading a policy file: YAML -> `Policy`, with every problem reported at its line and column."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml
from pydantic import ValidationError

from socialdesk.policy.schema import Policy
from socialdesk.textfiles import CONTROL, MAX_DEPTH

MAX_POLICY_BYTES = 1_000_000
# The longest value in a policy (a document section, a template): far past any a brand writes.
MAX_VALUE_CHARS = 100_000


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


def _at(text: str, index: int, message: str) -> PolicyIssue:
    line = text.count("\n", 0, index) + 1
    return PolicyIssue(line, index - (text.rfind("\n", 0, index) + 1) + 1, "", message)


def _node_problems(root: yaml.Node | None) -> list[PolicyIssue]:
    """What YAML itself lets through but a policy must not hold: a key written twice (YAML keeps the
    last one silently, so half of what the author meant is lost), nesting past MAX_DEPTH, a control
    character written as an escape ("\\0"), a value past MAX_VALUE_CHARS. Walked without recursion."""
    issues: list[PolicyIssue] = []
    stack: list[tuple[yaml.Node, int]] = [(root, 1)] if root is not None else []
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            issues.append(_issue(node, "", f"nested deeper than {MAX_DEPTH} levels"))
            continue
        if isinstance(node, yaml.MappingNode):
            first: dict[str, yaml.Node] = {}
            for key, value in node.value:
                name = str(key.value)
                if isinstance(key, yaml.ScalarNode) and name in first:
                    issues.append(
                        _issue(
                            key,
                            "",
                            f"duplicate key {name!r}: first at line {first[name].start_mark.line + 1}, "
                            f"again at line {key.start_mark.line + 1}",
                        )
                    )
                first.setdefault(name, key)
                stack += [(key, depth + 1), (value, depth + 1)]
        elif isinstance(node, yaml.SequenceNode):
            stack += [(item, depth + 1) for item in node.value]
        elif isinstance(node, yaml.ScalarNode) and isinstance(node.value, str):
            found = CONTROL.search(node.value)
            if found:
                code = f"U+{ord(found.group()):04X}"
                issues.append(_issue(node, "", f"control character {code} in a value"))
            elif len(node.value) > MAX_VALUE_CHARS:
                issues.append(
                    _issue(
                        node, "", f"a value of {len(node.value):,} characters (at most {MAX_VALUE_CHARS:,})"
                    )
                )
    return sorted(issues, key=lambda i: (i.line, i.column))


def _compose(text: str, source: str) -> yaml.Node | None:
    """The YAML node tree, or PolicyError saying where the text stops being YAML a policy may be."""
    found = CONTROL.search(text)
    if found:
        raise PolicyError([_at(text, found.start(), f"control character U+{ord(found.group()):04X}")], source)
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise PolicyError(
            [PolicyIssue(line, column, "", f"YAML syntax: {exc.problem or exc}")], source
        ) from exc
    except yaml.reader.ReaderError as exc:  # a character YAML refuses (a control character, say)
        raise PolicyError(
            [_at(text, exc.position, f"character U+{exc.character:04X} is not allowed in YAML")], source
        ) from exc
    except RecursionError as exc:  # the parser recurses per level: nesting deep enough stops it
        raise PolicyError([PolicyIssue(1, 1, "", f"nested deeper than {MAX_DEPTH} levels")], source) from exc
    problems = _node_problems(root)
    if problems:
        raise PolicyError(problems, source)
    return root


def load_policy(text: str, source: str = "policy") -> Policy:
    if len(text.encode("utf-8", errors="surrogatepass")) > MAX_POLICY_BYTES:
        raise PolicyError([PolicyIssue(1, 1, "", f"file is larger than {MAX_POLICY_BYTES:,} bytes")], source)
    root = _compose(text, source)
    try:
        # Anchors and aliases expand here; the checked tree above had them once.
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise PolicyError([PolicyIssue(1, 1, "", f"YAML: {exc}")], source) from exc
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
