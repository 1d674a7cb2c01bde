"""The shipped demo scenario (written by hand) is valid and has what the demo promises."""

import json
import re
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from socialdesk.channels.sandbox.payloads import ScenarioPost
from socialdesk.channels.sandbox.receiver import read_scenario
from socialdesk.demo import customer_posts
from socialdesk.policy.loader import load_policy

TELECOM = Path(__file__).parents[1] / "socialdesk" / "policy" / "examples" / "telecom.yaml"
LABELS = {"lang", "intent", "category", "sentiment", "needs_response", "auto_ok"}
FLAGS = {"incident", "pii", "legal", "abuse"}


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_every_line_is_valid(scenario_path: Path) -> None:
    lines = _lines(scenario_path)
    assert lines[0] == {
        "scenario": {
            "brand": "Nimbus Mobile",
            "policy": "../policy/examples/telecom.yaml",
            "description": "One day of Nimbus Mobile's inbox, 20 November 2026, "
            "with a Madrid outage in the afternoon",
        }
    }
    assert (scenario_path.parent / lines[0]["scenario"]["policy"]).resolve() == TELECOM.resolve()
    categories = {c.code for c in load_policy(TELECOM.read_text(encoding="utf-8")).categories}
    seen: dict[str, datetime] = {}
    previous = None
    for line in lines[1:]:
        at = datetime.fromisoformat(line["at"])
        assert previous is None or at > previous, line["id"]
        previous = at
        assert line["id"] not in seen, line["id"]
        if "agent" in line:
            assert set(line) == {"id", "at", "agent", "reply_to", "text"}
            assert re.search(r"\^[A-Z]{2,3}\s*$", line["text"]), line["id"]
            answered = seen[line["reply_to"]]
            assert timedelta(minutes=10) <= at - answered <= timedelta(minutes=90), line["id"]
        else:
            post = ScenarioPost.model_validate(line)
            for parent in (post.reply_to, post.thread):
                assert parent is None or parent in seen, post.id
            truth = post.truth or {}
            assert LABELS <= set(truth) <= LABELS | FLAGS, post.id
            assert truth["category"] in categories, post.id
            assert all(isinstance(truth[k], bool) for k in ("needs_response", "auto_ok")), post.id
            assert all(truth[k] is True for k in ("pii", "legal", "abuse") if k in truth), post.id
            assert truth["needs_response"] or not truth["auto_ok"], post.id
            assert truth["intent"] not in {"spam", "abuse"} or not truth["auto_ok"], post.id
        seen[line["id"]] = at


def test_scenario_mix(scenario_path: Path) -> None:
    lines = _lines(scenario_path)
    posts = customer_posts(scenario_path)
    truth = [p["truth"] for p in posts]
    assert len(posts) == 304
    assert sum(1 for line in lines if "agent" in line) == 29
    assert Counter(t["lang"] for t in truth) == {
        "es": 154,
        "en": 95,
        "pt": 22,
        "fr": 14,
        "ca": 8,
        "de": 6,
        "it": 5,
    }
    assert Counter(t["intent"] for t in truth) == {
        "question": 108,
        "complaint": 95,
        "other": 44,
        "praise": 33,
        "spam": 13,
        "abuse": 11,
    }
    assert Counter(t["category"] for t in truth) == {
        "line_problem": 85,
        "billing": 76,
        "management": 73,
        "technical": 70,
    }
    assert Counter(t["auto_ok"] for t in truth) == {True: 223, False: 81}
    assert Counter(t["needs_response"] for t in truth) == {True: 238, False: 66}
    assert Counter(p["kind"] for p in posts) == {
        "mention": 167,
        "dm": 56,
        "comment": 41,
        "post": 20,
        "email": 14,
        "reply": 6,
    }
    assert sum(1 for t in truth if t.get("incident") == "madrid-outage") == 51
    assert sum(1 for t in truth if t.get("legal") is True) == 3
    assert sum(1 for t in truth if t.get("pii") is True) == 6
    assert sum(1 for t in truth if t.get("abuse") is True) == 11
    # No template copies: every text is its own (two customers only wrote "??").
    assert [text for text, n in Counter(p["text"] for p in posts).items() if n > 1] == ["??"]
    assert (posts[0]["at"], posts[-1]["at"]) == ("2026-11-20T06:01:43Z", "2026-11-20T23:28:02Z")


def test_read_scenario_skips_the_header_and_the_agent_replies(scenario_path: Path) -> None:
    posts = read_scenario(scenario_path)
    assert len(posts) == 304
    assert posts[0].id == "nimbus-0001"
    assert posts[-1].id == "nimbus-0304"
    assert all(p.truth is not None for p in posts)
