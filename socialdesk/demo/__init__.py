"""The demo desk: a fictional telecom brand (Nimbus Mobile) and its day on social media."""

import json
from pathlib import Path
from typing import Any

SCENARIO_PATH = Path(__file__).with_name("nimbus_day.jsonl")


def customer_posts(path: Path = SCENARIO_PATH) -> list[dict[str, Any]]:
    """The customers' posts of a scenario file, as written: without the header and the agent's replies."""
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [line for line in lines if "scenario" not in line and "agent" not in line]
