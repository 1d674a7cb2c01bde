"""The policy file: examples load, errors point at line and column, the schema exports."""

import json
from pathlib import Path

import pytest

from socialdesk.policy.loader import PolicyError, load_policy
from socialdesk.policy.schema import Policy

EXAMPLES = Path(__file__).parents[1] / "socialdesk" / "policy" / "examples"
TELECOM = (EXAMPLES / "telecom.yaml").read_text(encoding="utf-8")
BANK = (EXAMPLES / "bank.yaml").read_text(encoding="utf-8")
DELIVERY = (EXAMPLES / "delivery.yaml").read_text(encoding="utf-8")
PRONTO_DAY = Path(__file__).parents[1] / "socialdesk" / "demo" / "scenarios" / "pronto_day.jsonl"


def test_example_policies_load() -> None:
    telecom = load_policy(TELECOM)
    bank = load_policy(BANK)
    assert (telecom.brand, telecom.version, len(telecom.categories)) == ("Nimbus Mobile", "2026.11-1", 4)
    assert (bank.brand, bank.version) == ("Lumen Bank", "2026.10-3")
    assert [(a.handle, a.role) for a in bank.channels.accounts if a.network == "x"] == [
        ("@LumenBank", "brand"),
        ("@LumenHelp", "support"),
    ]
    assert telecom.rules_for("mastodon").public_max == 500
    assert telecom.rules_for("x").public_max == 280


def test_delivery_example_loads_with_its_languages_and_listening() -> None:
    pronto = load_policy(DELIVERY, source="delivery.yaml")
    assert (pronto.brand, pronto.version) == ("Pronto", "2026.11-2")
    assert pronto.triage.languages == ["es", "pt", "fr", "it", "de", "nl", "en"]
    # Dutch has no template on purpose: Dutch customers get the English one, as the policy declares.
    assert [t.language for t in pronto.first_contact.templates] == ["*", "es", "pt", "fr", "it", "de"]
    assert (pronto.first_contact.default_language, pronto.automation.other_languages) == (
        "en",
        "default_language",
    )
    assert pronto.sla.still_working_after_minutes == 90
    assert pronto.crisis is not None and (pronto.crisis.window_minutes, pronto.crisis.min_conversations) == (
        30,
        8,
    )
    assert {a.network for a in pronto.channels.accounts} == {
        "x",
        "facebook",
        "instagram",
        "whatsapp",
        "telegram",
        "email",
        "bluesky",
        "mastodon",
        "reddit",
    }
    assert pronto.listening is not None and "pronto soccorso" in pronto.listening.exclude
    for category in pronto.categories:
        assert 6 <= len(category.examples) <= 10, category.code
        assert all(r.text.rstrip().endswith("^{initials}") for r in category.saved_replies), category.code


def test_pronto_day_labels_use_the_delivery_categories() -> None:
    codes = {c.code for c in load_policy(DELIVERY).categories}
    lines = [json.loads(line) for line in PRONTO_DAY.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert lines[0]["scenario"]["policy"] == "../../policy/examples/delivery.yaml"
    truths = [line["truth"] for line in lines[1:] if "truth" in line]
    assert len(truths) >= 420
    assert {t["category"] for t in truths} <= codes


def _issues(text: str) -> list[str]:
    with pytest.raises(PolicyError) as caught:
        load_policy(text, source="telecom.yaml")
    return [str(issue) for issue in caught.value.issues]


def test_errors_have_line_column_and_explanation() -> None:
    broken = (
        TELECOM.replace("timezone: Europe/Madrid", "timezone: Europe/Madird")
        .replace("  within_minutes: 10", "  within_minute: 10")
        .replace('mon: ["08:00-22:00"]', 'mon: ["22:00-08:00"]')
    )
    assert _issues(broken) == [
        "line 49, column 3: first_contact.within_minutes: missing required key 'within_minutes'",
        "line 50, column 3: first_contact.within_minute: unknown key (check the spelling; see "
        "`socialdesk policy schema`)",
        "line 68, column 13: business_hours.timezone: unknown time zone 'Europe/Madird' "
        "(use an IANA name like Europe/Madrid)",
        "line 70, column 5: business_hours.week: mon: '22:00-08:00' ends before it starts",
    ]


def test_cross_references_are_checked() -> None:
    broken = TELECOM.replace("    team: billing\n", "    team: bill1ng\n", 1).replace(
        "when: {category: [line_problem]}", "when: {category: [line_problems]}"
    )
    assert _issues(broken) == [
        "line 113, column 22: routing[0].when.category: unknown category line_problems",
        "line 118, column 11: routing[1].team: unknown team 'bill1ng' "
        "(teams: care, network, billing, legal, leads)",
    ]


def test_template_variables_and_regexes_are_checked() -> None:
    broken = TELECOM.replace("answer {expected_response}.", "answer {expected_reply}.", 1).replace(
        r"pattern: '\^[A-Z]{2,3}\s*$'", "pattern: '^[A-Z'"
    )
    issues = _issues(broken)
    assert len(issues) == 2
    assert issues[0] == (
        "line 16, column 14: identity.signature.pattern: '^[A-Z' is not a valid regular expression: "
        "unterminated character set at position 1"
    )
    assert issues[1] == (
        "line 56, column 13: first_contact.templates[0].text: unknown template variable(s) expected_reply; "
        "allowed: agent, brand, email, expected_response, incident_link, incident_public, initials, name, "
        "phone"
    )


def test_an_internal_placeholder_in_a_customer_facing_template_is_refused_where_it_is_written() -> None:
    """The incident's title is the desk's internal name ("Many negative posts about Line problem"):
    a saved reply, an acknowledgment or an update may say only what was written for customers."""
    leaky = TELECOM.replace("posting updates here: {incident_public} {incident_link}", "updates: {incident}")
    leaky = leaky.replace("Next update soon.", "Next update soon. {incident}")
    assert _issues(leaky) == [
        "line 85, column 27: sla.still_working_template: {incident} is the incident's internal title and "
        "never goes to customers; use {incident_public} (its public text) or {incident_link} (its public "
        "link)",
        "line 190, column 15: categories[0].saved_replies[0].text: {incident} is the incident's internal "
        "title and never goes to customers; use {incident_public} (its public text) or {incident_link} "
        "(its public link)",
    ]


def test_yaml_syntax_error_and_wrong_top_level() -> None:
    assert _issues("brand: [Nimbus\nversion: 1\n") == [
        "line 2, column 8: YAML syntax: expected ',' or ']', but got ':'"
    ]
    assert _issues("- just\n- a list\n") == [
        "line 1, column 1: a policy is a mapping of keys at the top level"
    ]


def test_every_priority_needs_a_default_sla() -> None:
    broken = TELECOM.replace(
        "    - priority: low\n      targets: {first_response_minutes: 240, next_response_minutes: 480, "
        "resolution_minutes: 2880}\n",
        "",
    )
    assert _issues(broken) == [
        "line 83, column 3: sla: sla.rules needs a rule without networks for priority low"
    ]


def test_json_schema_exports_every_section() -> None:
    schema = Policy.model_json_schema()
    assert sorted(schema["properties"]) == sorted(Policy.model_fields)
    assert schema["additionalProperties"] is False
    assert "identity" in schema["required"]
