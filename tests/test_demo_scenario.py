"""The shipped demo scenario has what the demo promises."""

import json
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

from socialdesk.demo.generate import generate


def test_shipped_scenario_is_the_generated_one(scenario_path: Path) -> None:
    shipped = [json.loads(line) for line in scenario_path.read_text(encoding="utf-8").splitlines()]
    assert shipped == generate()


def test_scenario_mix(scenario_path: Path) -> None:
    posts = [json.loads(line) for line in scenario_path.read_text(encoding="utf-8").splitlines()]
    truth = [p["truth"] for p in posts]
    assert len(posts) == 308
    assert Counter(t["lang"] for t in truth) == {"en": 183, "es": 73, "pt": 48, "fr": 4}
    assert Counter(t["intent"] for t in truth) == {
        "question": 155,
        "complaint": 102,
        "praise": 31,
        "abuse": 10,
        "spam": 10,
    }
    assert sum(1 for t in truth if t.get("incident") == "madrid-outage") == 48
    assert sum(1 for t in truth if t.get("legal") == "yes") == 2
    assert sum(1 for t in truth if t.get("pii") == "yes") == 5
    times = [p["at"] for p in posts]
    assert times == sorted(times)
    span = datetime.fromisoformat(times[-1]) - datetime.fromisoformat(times[0])
    assert timedelta(hours=17) < span < timedelta(hours=24)
