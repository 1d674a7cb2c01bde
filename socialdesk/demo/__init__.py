"""The demo desk: a fictional telecom brand (Nimbus Mobile) and its day on social media."""

from pathlib import Path

SCENARIO_PATH = Path(__file__).with_name("nimbus_day.jsonl")
