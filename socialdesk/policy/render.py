"""The public and the internal policy document, rendered from the same policy file."""

from __future__ import annotations

from markdown_it import MarkdownIt

from socialdesk.channels.registry import display_name, policy_networks
from socialdesk.policy.clock import humanize_minutes
from socialdesk.policy.schema import PRIORITIES, Condition, Policy

DAY_NAMES = {
    "mon": "Monday",
    "tue": "Tuesday",
    "wed": "Wednesday",
    "thu": "Thursday",
    "fri": "Friday",
    "sat": "Saturday",
    "sun": "Sunday",
}


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _literal(text: object) -> str:
    """Policy words shown as written: `*/*` (any language, any network) is not emphasis."""
    return "".join("\\" + c if c in "\\`*_[]<>#|~!" else c for c in str(text))


def _row(*cells: object) -> str:
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


def _hours(policy: Policy) -> list[str]:
    lines = [f"Times are {policy.business_hours.timezone}.", ""]
    for day, name in DAY_NAMES.items():
        ranges = policy.business_hours.week.get(day, [])  # type: ignore[call-overload]
        lines.append(f"- {name}: {', '.join(ranges) if ranges else 'closed'}")
    spec = policy.business_hours.holidays
    if spec.country:
        region = f" ({spec.subdivision})" if spec.subdivision else ""
        lines.append(f"- Closed on public holidays in {spec.country}{region}.")
    if spec.extra:
        lines.append(f"- Also closed on {', '.join(d.isoformat() for d in spec.extra)}.")
    return lines


def _default_targets(policy: Policy) -> list[tuple[str, int, int, int, bool]]:
    rows: list[tuple[str, int, int, int, bool]] = []
    for priority in PRIORITIES:
        rule = next(r for r in policy.sla.rules if r.priority == priority and not r.networks)
        t = rule.targets
        rows.append(
            (
                priority,
                t.first_response_minutes,
                t.next_response_minutes,
                t.resolution_minutes,
                t.business_hours,
            )
        )
    return rows


def render_public(policy: Policy) -> str:
    accounts = [a for a in policy.channels.accounts]
    lines = [
        f"# {policy.brand} on social media",
        "",
        f"_Policy version {policy.version}._",
        "",
        policy.identity.personality,
        "",
        "## Where to find us",
        "",
        *[
            f"- {display_name(a.network)}: {a.handle}"
            + (" (customer support)" if a.role == "support" else "")
            + (
                " — questions here are answered from our support account"
                if a.redirect_questions_to_support
                else ""
            )
            for a in accounts
        ],
        *[
            f"- {o.kind.capitalize()}: {o.address}" + (f" ({o.hours})" if o.hours else "")
            for o in policy.channels.offline
            if o.public
        ],
        "",
        "## When we answer",
        "",
    ]
    if policy.first_contact.enabled:
        lines += [
            "We confirm we've seen your message within "
            f"{humanize_minutes(policy.first_contact.within_minutes)}.",
            "",
        ]
    if policy.csat.enabled:
        lines += [
            "Once your question is resolved we may ask you, once and only in a private message, to rate "
            "our help from 1 to 5.",
            "",
        ]
    normal = next(r for r in _default_targets(policy) if r[0] == "normal")
    lines += [
        f"A person answers within {humanize_minutes(normal[1])} during our opening hours:",
        "",
        *_hours(policy),
        "",
    ]
    lines += [
        "## Your personal data",
        "",
        "We never ask for passwords, PINs, card numbers or account details in public. When we need them, "
        "we move the conversation to a private channel"
        + (" or call you" if any(o.kind == "phone" for o in policy.channels.offline) else "")
        + ". If you post personal data publicly, we may hide that post to protect you.",
        "",
        "## What we hide or remove",
        "",
        "Everything stays visible, criticism included, except for these reasons:",
        "",
        *[f"- **{r.label}**: {r.description}" for r in policy.moderation.reasons],
        "",
    ]
    return "\n".join(lines)


def _condition(when: Condition) -> str:
    parts = []
    for field, value in when.model_dump(exclude_defaults=True).items():
        if isinstance(value, list):
            parts.append(f"{field} in {', '.join(map(str, value))}")
        else:
            parts.append(f"{field} is {str(value).lower()}")
    return "; ".join(parts) or "always"


def render_internal(policy: Policy) -> str:
    identity = policy.identity
    lines = [
        f"# {policy.brand}: social media action policy (internal)",
        "",
        f"_Version {policy.version}, schema {policy.schema_version}._",
        "",
        "## Corporate social identity",
        "",
        f"**Personality.** {identity.personality}",
        "",
        "**Tone of voice**",
        "",
        *[f"- {rule}" for rule in identity.tone],
        "",
        f"**Signature.** {identity.signature.style}"
        + (" Required on every reply." if identity.signature.required else ""),
        "",
    ]
    if identity.guidelines:
        lines += ["**Guidelines**", "", *[f"- {g}" for g in identity.guidelines], ""]
    for example in identity.examples:
        lines += [
            f"**Example: {example.situation}**",
            "",
            f"- Good: {example.good}",
            f"- Bad: {example.bad}",
            f"- Why: {example.why}",
            "",
        ]
    lines += ["## Channel architecture", "", "| network | account | role |", "|---|---|---|"]
    lines += [
        f"| {display_name(a.network)} | {_cell(a.handle)} | {a.role}"
        + (", redirects questions to support" if a.redirect_questions_to_support else "")
        + " |"
        for a in policy.channels.accounts
    ]
    lines += [
        "",
        "Offline channels:",
        "",
        *[f"- {o.kind}: {o.address} {o.hours}".rstrip() for o in policy.channels.offline],
        "",
    ]
    fc = policy.first_contact
    lines += ["## First contact", ""]
    if fc.enabled:
        lines += [
            f"Automatic acknowledgment within {humanize_minutes(fc.within_minutes)}, "
            f"sent {fc.visibility.replace('_', ' ')}; never to {', '.join(fc.skip_intents)}, never twice, "
            "never outside a network's messaging window.",
            "",
            *[f"- {_literal(t.language)}/{_literal(t.network)}: “{t.text}”" for t in fc.templates],
            "",
        ]
    else:
        lines += ["No automatic acknowledgment.", ""]
    lines += ["## Customer satisfaction", "", *_csat(policy), ""]
    lines += ["## Personal data", "", *_retention(policy), ""]
    lines += ["## Who gets what", "", *_assignment(policy), ""]
    lines += [
        "## Business hours",
        "",
        *_hours(policy),
        "",
        "## Response targets",
        "",
        "| priority | first response | next response | resolution | clock |",
        "|---|---|---|---|---|",
    ]
    for rule in policy.sla.rules:
        t = rule.targets
        scope = f"{rule.priority} ({', '.join(rule.networks)})" if rule.networks else rule.priority
        minutes = (t.first_response_minutes, t.next_response_minutes, t.resolution_minutes)
        clock = "business hours" if t.business_hours else "24/7"
        lines.append(_row(scope, *(humanize_minutes(m) for m in minutes), clock))
    lines += ["", f"Warning {policy.sla.warn_before_minutes} minutes before a breach."]
    if policy.sla.still_working_after_minutes:
        lines += [
            f"After {humanize_minutes(policy.sla.still_working_after_minutes)} unresolved: "
            f"“{policy.sla.still_working_template}”"
        ]
    teams = {t.slug: t.name for t in policy.teams}
    lines += ["", "## Routing", "", "| rule | when | team | priority | tags |", "|---|---|---|---|---|"]
    lines += [
        _row(
            r.name,
            _condition(r.when),
            teams.get(r.team or "", "—"),
            r.priority or "—",
            ", ".join(r.tags) or "—",
        )
        for r in policy.routing
    ]
    lines += [
        "",
        "## Escalation",
        "",
        "| rule | when | team | priority | notify | approval |",
        "|---|---|---|---|---|---|",
    ]
    lines += [
        _row(
            r.name,
            _condition(r.when),
            teams[r.team],
            r.priority,
            ", ".join(r.notify_roles) or "—",
            "required" if r.requires_approval else "—",
        )
        for r in policy.escalation
    ]
    if policy.crisis:
        same = " about the same category" if policy.crisis.same_category else ""
        lines += [
            "",
            f"Crisis: {policy.crisis.min_conversations} negative conversations{same} within "
            f"{humanize_minutes(policy.crisis.window_minutes)}; or at least "
            f"{policy.crisis.min_similar_posts} alike posts in half an hour, above the usual rate.",
        ]
    lines += [
        "",
        "## Moderation",
        "",
        "Hide or delete only for one of these reasons; every action is logged.",
        "",
    ]
    lines += [
        f"- **{r.code}** — {r.label} ({', '.join(r.actions)}): {r.description}"
        for r in policy.moderation.reasons
    ]
    lines += ["", "## Problem-solving protocol", ""]
    for category in policy.categories:
        lines += [f"### {category.name} (`{category.code}`)", ""]
        if category.description:
            lines += [category.description, ""]
        if category.playbook:
            lines += [*[f"{i}. {step}" for i, step in enumerate(category.playbook, 1)], ""]
        for reply in category.saved_replies:
            lines += [
                f"- Saved reply **{reply.name}**{' (private)' if reply.private else ''}: “{reply.text}”"
            ]
        lines.append("")
    rules = policy.reply_rules
    lines += [
        "## Reply rules",
        "",
        "Checked on every outgoing reply:",
        "",
        f"- No selling in service replies: {', '.join(rules.sales_terms) or '—'}.",
        "- Never ask for personal data in public.",
        f"- No condescending phrases: {', '.join(rules.condescending_phrases) or '—'}.",
        "- Within the network's length limit." + (" Signed." if rules.require_signature else ""),
        *(
            [f"- Sent {rules.send_delay_seconds} seconds after the agent sends it (time to undo)."]
            if rules.send_delay_seconds
            else []
        ),
        "",
    ]
    lines += [
        "## Network rules",
        "",
        "| network | public limit | private limit | private messages | window |",
        "|---|---|---|---|---|",
    ]
    for network in policy_networks():
        r, name = policy.rules_for(network), display_name(network)
        public = (
            f"{r.public_max} ({r.public_unit})" if r.public_reply and r.public_max else "no public replies"
        )
        window = f"{r.messaging_window_hours} h" if r.messaging_window_hours else "—"
        private = f"{r.private_max} ({r.private_unit})"
        lines.append(_row(name, public, private, r.dm_eligibility.replace("_", " "), window))
    return "\n".join(lines) + "\n"


def _retention(policy: Policy) -> list[str]:
    retention = policy.retention
    kept = "A contact's data is exported or erased on request by an admin (export: leads too), and each "
    kept += "export, erasure and retention run is in the privacy audit log."
    if retention is None:
        return ["No retention limits: raw deliveries and conversations are kept until erased.", "", kept]
    lines = []
    if retention.raw_payload_days is not None:
        lines.append(
            f"- Raw deliveries: their payload is deleted {retention.raw_payload_days} days after arrival "
            "(never while waiting to be processed or in quarantine)."
        )
    if retention.anonymise_closed_after_months is not None:
        lines.append(
            "- Conversations resolved or closed with nothing new for "
            f"{retention.anonymise_closed_after_months} months are anonymised: texts and the customer's "
            "identity go; labels, times and report numbers stay."
        )
    return [*lines, "", kept]


def _csat(policy: Policy) -> list[str]:
    csat = policy.csat
    if not csat.enabled:
        return ["Customers are not asked to rate us."]
    lines = [
        f"{humanize_minutes(csat.delay_minutes)} after a resolution the customer is asked once for a rating "
        "from 1 to 5, only in a private message the network allows then (never in public, never to spam, "
        f"abuse, legal threats or held cases); ratings are taken for {csat.answer_days} days. Customers in "
        f"another language get the {_literal(policy.first_contact.default_language)} question.",
        "",
        *[f"- {_literal(language)}: “{text}”" for language, text in csat.questions.items()],
    ]
    if csat.thanks:
        lines += [
            "",
            "Thanks for a rating:",
            "",
            *[f"- {_literal(k)}: “{v}”" for k, v in csat.thanks.items()],
        ]
    return lines


METHOD_WORDS = {
    "manual": "picked by people (nothing is assigned automatically)",
    "round_robin": "assigned in turn to the available member assigned least recently",
    "least_loaded": "assigned to the available member with the fewest open conversations, then the "
    "longest idle",
}


def _assignment(policy: Policy) -> list[str]:
    rules = policy.assignment
    perspective = rules.keep_perspective
    lines = [f"- {_cell(team.name)}: {METHOD_WORDS[team.assignment]}." for team in policy.teams]
    lines += [
        "",
        "Only members who are online, on shift (when they have shifts), have the skills and hold fewer "
        f"than their capacity (by default {rules.default_capacity} open conversations) are picked. A "
        "member who came online by working shows as away after "
        f"{humanize_minutes(rules.away_after_idle_minutes)} idle. A conversation the desk assigned to "
        "someone away goes to someone available when its first response is due within "
        f"{humanize_minutes(rules.reassign_within_minutes)}; a person's assignment is never changed.",
    ]
    if perspective.spread_abuse:
        lines += ["", "Abusive conversations go to whoever has had the fewest today."]
    if perspective.abusive_in_a_row:
        lines += [
            "",
            f"After {perspective.abusive_in_a_row} abusive conversations in a row, a member's next one "
            f"should be calmer; they see: “{perspective.note}”",
        ]
    staffing = policy.staffing
    lines += [
        "",
        f"Staffing is planned for {round(staffing.service_level * 100)}% of first responses within the "
        f"target, occupancy at most {round(staffing.occupancy_cap * 100)}%, shrinkage "
        f"{round(staffing.shrinkage * 100)}%, in {staffing.interval_minutes}-minute intervals.",
    ]
    return lines


def html_fragment(markdown: str) -> str:
    """The document as HTML to put inside a page; raw HTML inside the policy text is escaped."""
    return str(MarkdownIt("commonmark", {"html": False}).enable("table").render(markdown))


DOCUMENT_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;"
    "line-height:1.5}table{border-collapse:collapse}"
    "td,th{border:1px solid #ccd;padding:.3rem .5rem}"
)


def to_html(markdown: str, title: str, stylesheet: str | None = None) -> str:
    """A standalone HTML page; raw HTML inside the policy text is escaped, never passed through.
    Styled inline as a file of its own; served by the desk, from `stylesheet` (its Content-Security-
    Policy allows no inline style)."""
    body = html_fragment(markdown)
    safe_title = title.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    style = (
        f'<link rel="stylesheet" href="{stylesheet}">' if stylesheet else f"<style>{DOCUMENT_STYLE}</style>"
    )
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{safe_title}</title>\n{style}\n"
        f"</head>\n<body>\n{body}</body>\n</html>\n"
    )
