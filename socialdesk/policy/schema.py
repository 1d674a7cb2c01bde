"""The action policy file: one versioned, validated YAML document per workspace.

Every model forbids unknown keys, so a typo is an error with its line and column, not a silently
ignored rule. Cross-references (teams, categories, moderation reasons) are checked as a whole.
"""

from __future__ import annotations

import re
import string
from datetime import date, time
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from socialdesk.channels.registry import default_rules
from socialdesk.policy.networks import NetworkName, NetworkRules

Priority = Literal["low", "normal", "high", "urgent"]
PRIORITIES: tuple[Priority, ...] = ("low", "normal", "high", "urgent")
Intent = Literal["question", "complaint", "praise", "spam", "abuse", "other"]
Sentiment = Literal["negative", "neutral", "positive"]
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
Role = Literal["agent", "lead", "admin", "legal"]
Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,59}$")]
# Every template can reach a customer (a public reply, an acknowledgment under their post), so only
# values written for customers may fill one. An incident has a public text and a public link for
# that; its title is the desk's internal name ("Many negative posts about Line problem").
TEMPLATE_VARIABLES = {
    "name",
    "brand",
    "expected_response",
    "agent",
    "initials",
    "phone",
    "email",
    "incident_public",
    "incident_link",
}
INTERNAL_VARIABLES = {
    "incident": "{incident} is the incident's internal title and never goes to customers; "
    "use {incident_public} (its public text) or {incident_link} (its public link)",
}


def template_variables(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _check_template(text: str, allowed: set[str]) -> str:
    try:
        used = template_variables(text)
    except ValueError as exc:
        raise ValueError(f"template is malformed ({exc}); write literal braces as {{{{ and }}}}") from exc
    internal = sorted(used & INTERNAL_VARIABLES.keys())
    if internal:
        raise ValueError("; ".join(INTERNAL_VARIABLES[name] for name in internal))
    unknown = sorted(used - allowed)
    if unknown:
        raise ValueError(
            f"unknown template variable(s) {', '.join(unknown)}; allowed: {', '.join(sorted(allowed))}"
        )
    return text


def _check_regex(pattern: str) -> str:
    try:
        re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"{pattern!r} is not a valid regular expression: {exc}") from exc
    return pattern


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ReplyExample(Strict):
    situation: str
    good: str
    bad: str
    why: str


class Signature(Strict):
    required: bool = True
    style: str = Field(description="How agents sign, in words (shown to agents and in the public policy).")
    pattern: str = Field(description="Regular expression a signed reply must end with, e.g. '\\^[A-Z]{2}$'.")

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        return _check_regex(value)


class Identity(Strict):
    personality: str
    tone: list[str] = Field(min_length=1)
    signature: Signature
    guidelines: list[str] = Field(default_factory=list)
    examples: list[ReplyExample] = Field(default_factory=list)


class Account(Strict):
    network: NetworkName
    role: Literal["brand", "support"]
    handle: str = Field(min_length=1)
    redirect_questions_to_support: bool = Field(
        default=False,
        description="Questions reaching this brand account are answered from the support account.",
    )
    bulletins: bool = Field(
        default=False,
        description="Incident bulletins and their updates are posted on this account (where the "
        "network lets the desk publish).",
    )


class OfflineChannel(Strict):
    kind: Literal["phone", "email", "web", "store"]
    address: str
    hours: str = ""
    public: bool = Field(default=True, description="May be given to customers in public replies.")


class Channels(Strict):
    accounts: list[Account] = Field(min_length=1)
    offline: list[OfflineChannel] = Field(default_factory=list)

    @model_validator(mode="after")
    def _support_exists_for_redirects(self) -> Channels:
        for account in self.accounts:
            if account.redirect_questions_to_support and not any(
                a.network == account.network and a.role == "support" for a in self.accounts
            ):
                raise ValueError(
                    f"{account.handle} redirects questions to support, "
                    f"but {account.network} has no support account"
                )
        return self


class AckTemplate(Strict):
    language: str = Field(default="*", description="ISO 639-1 code, or * for any language.")
    network: NetworkName | Literal["*"] = "*"
    text: str

    @field_validator("text")
    @classmethod
    def _variables(cls, value: str) -> str:
        return _check_template(value, TEMPLATE_VARIABLES)


LANGUAGE_CODE = r"^[a-z]{2,3}$"


class FirstContact(Strict):
    enabled: bool = True
    within_minutes: int = Field(ge=0, le=24 * 60, description="Send the acknowledgment this soon.")
    visibility: Literal["public", "private", "same_as_message"] = "same_as_message"
    skip_intents: list[Intent] = Field(default_factory=lambda: list[Intent](["spam", "abuse"]))
    default_language: str = Field(
        default="en",
        pattern=LANGUAGE_CODE,
        description="The language the templates for any language ('*') are written in.",
    )
    templates: list[AckTemplate] = Field(min_length=1)

    @model_validator(mode="after")
    def _fallback(self) -> FirstContact:
        if not any(t.language == "*" and t.network == "*" for t in self.templates):
            raise ValueError("first_contact.templates needs a fallback with language '*' and network '*'")
        return self


TIME_RANGE = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$")


class Holidays(Strict):
    country: str | None = Field(default=None, description="ISO 3166 country code for the `holidays` package.")
    subdivision: str | None = None
    extra: list[date] = Field(default_factory=list, description="Company closing days.")

    @model_validator(mode="after")
    def _known(self) -> Holidays:
        if self.country is None:
            if self.subdivision:
                raise ValueError("a holiday subdivision needs a country")
            return self
        supported = holidays.list_supported_countries()
        if self.country not in supported:
            raise ValueError(f"holidays: unknown country {self.country!r}")
        if self.subdivision and self.subdivision not in supported[self.country]:
            raise ValueError(f"holidays: {self.country} has no subdivision {self.subdivision!r}")
        return self


class BusinessHours(Strict):
    timezone: str
    week: dict[Weekday, list[str]] = Field(description="Opening hours per day, e.g. mon: ['08:00-20:00'].")
    holidays: Holidays = Field(default_factory=Holidays)

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r} (use an IANA name like Europe/Madrid)") from exc
        return value

    @field_validator("week")
    @classmethod
    def _ranges(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        for day, ranges in value.items():
            for item in ranges:
                if not TIME_RANGE.match(item):
                    raise ValueError(f"{day}: {item!r} is not a range like '08:00-20:00'")
                start, end = (time.fromisoformat(p) if p != "24:00" else time.max for p in item.split("-"))
                if end <= start:
                    raise ValueError(f"{day}: {item!r} ends before it starts")
        if not any(value.values()):
            raise ValueError("business hours are empty: no day has opening hours")
        return value


class Targets(Strict):
    first_response_minutes: int = Field(gt=0)
    next_response_minutes: int = Field(gt=0)
    resolution_minutes: int = Field(gt=0)
    business_hours: bool = Field(
        default=True, description="Count only business hours (else the clock runs 24/7)."
    )


class SlaRule(Strict):
    priority: Priority
    networks: list[NetworkName] = Field(default_factory=list, description="Empty: every network.")
    targets: Targets


class Sla(Strict):
    rules: list[SlaRule] = Field(min_length=1)
    warn_before_minutes: int = Field(default=15, ge=0)
    still_working_after_minutes: int | None = Field(
        default=None, gt=0, description="Send a 'still working on it' update when a case runs this long."
    )
    still_working_template: str = Field(
        default="", description="The update in the first-contact default language (any language)."
    )
    still_working_translations: list[AckTemplate] = Field(
        default_factory=list, description="The update in other languages (network-specific if needed)."
    )

    @field_validator("still_working_template")
    @classmethod
    def _variables(cls, value: str) -> str:
        return _check_template(value, TEMPLATE_VARIABLES)

    def still_working_templates(self) -> list[AckTemplate]:
        general = [AckTemplate(text=self.still_working_template)] if self.still_working_template else []
        return [*self.still_working_translations, *general]

    @model_validator(mode="after")
    def _every_priority_has_a_default(self) -> Sla:
        missing = [p for p in PRIORITIES if not any(r.priority == p and not r.networks for r in self.rules)]
        if missing:
            raise ValueError(f"sla.rules needs a rule without networks for priority {', '.join(missing)}")
        if self.still_working_after_minutes and not self.still_working_template:
            raise ValueError("sla.still_working_after_minutes needs a still_working_template")
        return self


class Automation(Strict):
    """When the desk speaks on its own (acknowledgments, 'still working' updates). Every automatic
    message passes one gate (`policy.automation`): never to spam, abuse, praise that asks nothing,
    legal threats or conversations held for approval; in the customer's language or not at all."""

    catch_up_minutes: int = Field(
        default=15,
        ge=0,
        le=24 * 60,
        description="A message whose time came longer ago than this is not sent (the desk was off, "
        "replayed or imported history): a late 'we'll answer soon' is worse than none.",
    )
    max_per_conversation: int = Field(default=2, ge=0, description="Automatic messages per conversation.")
    business_hours_only: bool = Field(
        default=False, description="Send only while the team is working (outside, wait for opening)."
    )
    listening: bool = Field(
        default=False,
        description="Also acknowledge posts found only by keyword listening (they did not write to us).",
    )
    other_languages: Literal["skip", "default_language"] = Field(
        default="skip",
        description="Customers writing in a language without a template: send nothing (skip), or the "
        "template in first_contact.default_language.",
    )


class Csat(Strict):
    """Asking a customer how we did (1-5) once their conversation is resolved: once per conversation,
    only privately where the network allows a private message then, through the automation gate."""

    enabled: bool = False
    delay_minutes: int = Field(
        default=10,
        ge=0,
        le=7 * 24 * 60,
        description="Ask this long after the resolution (a customer who writes again meanwhile reopens "
        "it, and is not asked).",
    )
    answer_days: int = Field(
        default=7, ge=1, le=30, description="A rating is taken from the customer's messages this long."
    )
    questions: dict[str, str] = Field(
        default_factory=dict,
        description="The question per language (ISO 639-1 code); customers in other languages get the "
        "one in first_contact.default_language.",
    )
    thanks: dict[str, str] = Field(
        default_factory=dict, description="Optional thanks once a rating is taken, per language."
    )

    @field_validator("questions", "thanks")
    @classmethod
    def _texts(cls, value: dict[str, str]) -> dict[str, str]:
        for language, text in value.items():
            if not re.fullmatch(LANGUAGE_CODE, language):
                raise ValueError(f"{language!r} is not an ISO 639-1 language code (e.g. en, es)")
            _check_template(text, TEMPLATE_VARIABLES)
        return value


class Condition(Strict):
    """All given fields must hold; within a list any value matches."""

    intent: list[Intent] = Field(default_factory=list)
    sentiment: list[Sentiment] = Field(default_factory=list)
    category: list[str] = Field(default_factory=list)
    language: list[str] = Field(default_factory=list)
    network: list[NetworkName] = Field(default_factory=list)
    keywords: list[str] = Field(
        default_factory=list, description="Any of these words or phrases (case-insensitive)."
    )
    legal_threat: bool | None = None
    abuse: bool | None = None
    personal_data: bool | None = None
    incident: bool | None = None
    private: bool | None = None
    needs_response: bool | None = None
    min_priority_score: int | None = Field(
        default=None, ge=0, le=100, description="Triage's priority score (0-100) at least this."
    )


AssignmentMethod = Literal["manual", "round_robin", "least_loaded"]


class Team(Strict):
    slug: Slug
    name: str
    assignment: AssignmentMethod = Field(
        default="manual",
        description="How the team's new conversations reach a person: manual (leads and agents pick), "
        "round_robin (the available member assigned least recently) or least_loaded (fewest open "
        "conversations, then the longest idle). Only members who are online, have the skills and spare "
        "capacity are picked.",
    )


class KeepPerspective(Strict):
    """Rude users wear people down: spread abuse across the team, and give a break after a run of it."""

    spread_abuse: bool = Field(
        default=False,
        description="An abusive conversation goes to the member who has had the fewest abusive ones today.",
    )
    abusive_in_a_row: int | None = Field(
        default=None,
        ge=1,
        le=50,
        description="After this many abusive conversations in a row, the member's next assignment prefers "
        "a non-abusive one (abusive ones go to others while anyone else can take them), and they see "
        "the note. Unset: no break.",
    )
    note: str = Field(
        default="You've had a run of rude conversations. The next one should be calmer: take a breath "
        "before you answer.",
        max_length=300,
    )


class Assignment(Strict):
    """Automatic assignment to people (teams choose it with their `assignment` method)."""

    default_capacity: int = Field(
        default=8, ge=1, le=200, description="Open conversations a member holds at once unless set."
    )
    away_after_idle_minutes: int = Field(
        default=15,
        ge=1,
        le=24 * 60,
        description="A member who went online by activity and did nothing for this long shows as away.",
    )
    reassign_within_minutes: int = Field(
        default=10,
        ge=0,
        le=24 * 60,
        description="A conversation automatically assigned to someone away or offline whose first "
        "response is due within this many minutes (or overdue) goes to someone available.",
    )
    keep_perspective: KeepPerspective = Field(default_factory=KeepPerspective)


class Staffing(Strict):
    """What the planning page sizes the team for (Erlang C, or Erlang A with patience)."""

    interval_minutes: Literal[15, 30, 60] = 30
    service_level: float = Field(
        default=0.8,
        gt=0,
        lt=1,
        description="Share of conversations that should get their first response within the target.",
    )
    target_minutes: int | None = Field(
        default=None,
        ge=1,
        description="The wait to meet; by default the policy's normal-priority first-response target.",
    )
    handle_seconds: int | None = Field(
        default=None, ge=1, description="Work per conversation; by default measured from history."
    )
    patience_minutes: float | None = Field(
        default=None,
        gt=0,
        description="Mean time customers wait before giving up (Erlang A); unset: nobody abandons (C).",
    )
    occupancy_cap: float = Field(
        default=0.85, gt=0, le=1, description="Busiest share of time an agent may work."
    )
    shrinkage: float = Field(
        default=0.3, ge=0, lt=1, description="Share of paid time not spent answering (breaks, meetings)."
    )


class Retention(Strict):
    """How long the desk keeps what customers sent; the `retention-sweep` job applies it in batches."""

    raw_payload_days: int | None = Field(
        default=None,
        ge=1,
        le=3650,
        description="Delete a delivery's raw payload this many days after it arrived (never while it "
        "waits to be processed or sits in quarantine). Unset: kept.",
    )
    anonymise_closed_after_months: int | None = Field(
        default=None,
        ge=1,
        le=120,
        description="Anonymise conversations resolved or closed with nothing new for this many months: "
        "texts and the customer's identity go, labels, times and report numbers stay. Unset: kept.",
    )

    @model_validator(mode="after")
    def _says_something(self) -> Retention:
        if self.raw_payload_days is None and self.anonymise_closed_after_months is None:
            raise ValueError(
                "retention needs raw_payload_days and/or anonymise_closed_after_months (or leave it out)"
            )
        return self


class RoutingRule(Strict):
    name: str
    when: Condition
    team: str | None = None
    priority: Priority | None = None
    tags: list[str] = Field(default_factory=list)
    stop: bool = Field(default=False, description="Do not evaluate later rules when this one matches.")


class EscalationRule(Strict):
    name: str
    when: Condition
    team: str
    priority: Priority = "urgent"
    notify_roles: list[Role] = Field(default_factory=list)
    requires_approval: bool = Field(
        default=False, description="Replies need a lead's approval before sending."
    )


class ModerationReason(Strict):
    code: Slug
    label: str
    description: str
    actions: list[Literal["hide", "delete"]] = Field(min_length=1)


class Crisis(Strict):
    """When this many negative conversations open within the window, the desk is in a crisis: the
    `incident` condition holds for new ones (e.g. to escalate them to the leads)."""

    window_minutes: int = Field(gt=0, le=24 * 60)
    min_conversations: int = Field(ge=2)
    same_category: bool = Field(default=True, description="Count only conversations of the same category.")
    min_similar_posts: int = Field(
        default=5,
        ge=2,
        description="The fewest alike posts, above the usual rate, that open an incident by themselves "
        "(whatever their category).",
    )


class Listening(Strict):
    """Keyword listening: posts that name the brand without tagging it are taken into the desk when
    they contain a term (whole words, any case, accents ignored) and none of the exclusions."""

    terms: list[str] = Field(default_factory=list, description="Brand and product names.")
    handles: list[str] = Field(default_factory=list, description="The brand's accounts, e.g. @NimbusMobile.")
    misspellings: list[str] = Field(default_factory=list, description="Common misspellings of the terms.")
    exclude: list[str] = Field(
        default_factory=list, description="A post with any of these is not about the brand."
    )


class Moderation(Strict):
    reasons: list[ModerationReason] = Field(min_length=1)


class SavedReply(Strict):
    name: str
    text: str
    private: bool = False

    @field_validator("text")
    @classmethod
    def _variables(cls, value: str) -> str:
        return _check_template(value, TEMPLATE_VARIABLES)


class Category(Strict):
    code: Slug
    name: str
    description: str = ""
    examples: list[str] = Field(
        default_factory=list, description="Example customer messages (trains triage)."
    )
    playbook: list[str] = Field(default_factory=list, description="The steps agents follow.")
    saved_replies: list[SavedReply] = Field(default_factory=list)


class ReplyRules(Strict):
    sales_terms: list[str] = Field(
        default_factory=list, description="Promotional words not allowed in service replies."
    )
    personal_data_requests: list[str] = Field(
        default_factory=list,
        description="Regular expressions for asking for personal data (refused in public).",
    )
    condescending_phrases: list[str] = Field(default_factory=list)
    require_signature: bool = True
    send_delay_seconds: int = Field(
        default=0,
        ge=0,
        le=120,
        description="Think twice: an agent's reply waits this long before it goes out, and its author "
        "can undo or edit it meanwhile (0: sent at once; at most two minutes).",
    )

    @field_validator("personal_data_requests")
    @classmethod
    def _compile(cls, value: list[str]) -> list[str]:
        return [_check_regex(pattern) for pattern in value]


class PersonalDataPattern(Strict):
    name: Slug = Field(description="What the pattern finds, e.g. order_number; shown to agents.")
    pattern: str = Field(description="Regular expression for the brand's own identifiers.")

    @field_validator("pattern")
    @classmethod
    def _compile(cls, value: str) -> str:
        return _check_regex(value)


class TriageSettings(Strict):
    languages: list[str] = Field(
        default_factory=list,
        description="ISO 639-1 codes the brand's customers write in; language detection leans to them.",
    )
    phone_regions: list[str] = Field(
        default_factory=lambda: ["US"],
        description="ISO 3166 regions for phone numbers written without a country code.",
    )
    personal_data_patterns: list[PersonalDataPattern] = Field(default_factory=list)
    accurate: bool = Field(
        default=False,
        description="Use the accurate (embedding) path on ingest: better, ~50 posts/s per core.",
    )
    refine: bool = Field(
        default=False,
        description="Ingest triages on the fast path; a background job then re-triages each new post on "
        "the accurate path within seconds and, when the opening post's triage changed before anyone "
        "answered, routes its conversation again (team, priority, targets). Off by default until the "
        "crisis rule is tuned to it: on the Nimbus scenario day the refined categories open a crisis "
        "incident for look-alike posts.",
    )
    priority_from_score: dict[Priority, int] = Field(
        default_factory=lambda: dict[Priority, int]({"urgent": 90, "high": 65}),
        description="Start a new conversation at this priority when triage scores at least this.",
    )

    @field_validator("languages")
    @classmethod
    def _languages(cls, value: list[str]) -> list[str]:
        for code in value:
            if not re.fullmatch(r"[a-z]{2,3}", code):
                raise ValueError(f"{code!r} is not an ISO 639-1 language code (e.g. en, es)")
        return value

    @field_validator("phone_regions")
    @classmethod
    def _regions(cls, value: list[str]) -> list[str]:
        # Deferred: phonenumbers loads its region metadata on import; only policies naming regions need it.
        import phonenumbers

        for region in value:
            if region not in phonenumbers.SUPPORTED_REGIONS:
                raise ValueError(f"{region!r} is not a region phone numbers know (e.g. US, ES, GB)")
        return value


class NetworkRuleOverride(Strict):
    public_max: int | None = Field(default=None, ge=1)
    private_max: int | None = Field(default=None, ge=1)
    messaging_window_hours: int | None = Field(default=None, ge=1)
    can_hide: bool | None = None
    can_delete_others: bool | None = None


class Policy(Strict):
    schema_version: Literal[1] = 1
    version: str = Field(min_length=1, description="The brand's own version label, e.g. 2026.11-1.")
    brand: str
    identity: Identity
    channels: Channels
    teams: list[Team] = Field(min_length=1)
    first_contact: FirstContact
    business_hours: BusinessHours
    sla: Sla
    automation: Automation = Field(default_factory=Automation)
    routing: list[RoutingRule] = Field(default_factory=list)
    escalation: list[EscalationRule] = Field(default_factory=list)
    moderation: Moderation
    crisis: Crisis | None = None
    listening: Listening | None = None
    network_rules: dict[NetworkName, NetworkRuleOverride] = Field(default_factory=dict)
    categories: list[Category] = Field(min_length=1)
    reply_rules: ReplyRules = Field(default_factory=ReplyRules)
    triage: TriageSettings = Field(default_factory=TriageSettings)
    csat: Csat = Field(default_factory=Csat)
    assignment: Assignment = Field(default_factory=Assignment)
    staffing: Staffing = Field(default_factory=Staffing)
    retention: Retention | None = None

    @model_validator(mode="after")
    def _csat_in_default_language(self) -> Policy:
        # Customers in a language without a question get the default language's: it must exist.
        default = self.first_contact.default_language
        if self.csat.enabled and default not in self.csat.questions:
            raise ValueError(f"csat.questions needs the default language ({default}) when csat is enabled")
        return self

    def reference_problems(self) -> list[tuple[tuple[str | int, ...], str]]:
        """Names that point nowhere or twice: (location in the file, message). `load_policy` refuses a
        policy with any, reporting each at its line."""
        problems: list[tuple[tuple[str | int, ...], str]] = []
        teams = [t.slug for t in self.teams]
        categories = [c.code for c in self.categories]
        for section, codes, field in (
            ("teams", teams, "slug"),
            ("categories", categories, "code"),
            ("moderation", self._reasons(), "code"),
        ):
            for index, code in enumerate(codes):
                if code in codes[:index]:
                    where: tuple[str | int, ...] = (section, index, field)
                    if section == "moderation":
                        where = ("moderation", "reasons", index, "code")
                    problems.append((where, f"{code!r} is defined twice"))
        located: list[tuple[str, int, RoutingRule | EscalationRule]] = [
            *(("routing", i, r) for i, r in enumerate(self.routing)),
            *(("escalation", i, r) for i, r in enumerate(self.escalation)),
        ]
        for section, index, rule in located:
            if rule.team is not None and rule.team not in teams:
                message = f"unknown team {rule.team!r} (teams: {', '.join(teams)})"
                problems.append(((section, index, "team"), message))
            unknown = sorted(set(rule.when.category) - set(categories))
            if unknown:
                problems.append(
                    ((section, index, "when", "category"), f"unknown category {', '.join(unknown)}")
                )
        return problems

    def _reasons(self) -> list[str]:
        return [r.code for r in self.moderation.reasons]

    def rules_for(self, network: str) -> NetworkRules:
        """The network's rules with this policy's overrides applied."""
        base = default_rules(network)
        override = self.network_rules.get(network)
        if override is None:
            return base
        return base.model_copy(update=override.model_dump(exclude_none=True))

    def category(self, code: str) -> Category | None:
        return next((c for c in self.categories if c.code == code), None)

    def moderation_reason(self, code: str) -> ModerationReason | None:
        return next((r for r in self.moderation.reasons if r.code == code), None)
