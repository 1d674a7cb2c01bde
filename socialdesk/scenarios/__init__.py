"""Scenario days: a brand's day of posts with truth labels, played on a simulated clock and scored
(docs/scenarios.md)."""
