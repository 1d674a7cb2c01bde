"""What the desk knows about one network, in one value each network package exports as `SPEC`:
its names, its adapter, how events come in (webhook or poller), how an account is connected, its
rules (defaults a policy may override), its published sending limits and what it can do."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from functools import cache
from typing import TYPE_CHECKING, Any, Literal, Protocol, cast

from django.utils.module_loading import import_string
from pydantic import BaseModel, ConfigDict, Field

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse

    from socialdesk.channels.models import Channel
    from socialdesk.conversations.models import Message
    from socialdesk.ingest.schema import InboundMessage

# How a network measures length: X weights URLs and wide characters; Mastodon and Bluesky count
# graphemes; Instagram DMs are limited in UTF-8 bytes.
LengthUnit = Literal["x_weighted", "graphemes", "chars", "utf8_bytes"]
# Who may be messaged privately.
DmEligibility = Literal[
    "anyone", "follows_or_open_dms", "user_wrote_first", "allow_incoming", "user_consent", "none"
]


class NetworkRules(BaseModel):
    """A network's rules as data (2026). A policy may override any field per network."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    public_reply: bool = Field(description="The desk can answer in public on this network.")
    public_max: int | None = Field(default=None, ge=1, description="Length limit of a public reply.")
    public_unit: LengthUnit = "chars"
    private_max: int | None = Field(default=None, ge=1, description="Length limit of a private message.")
    private_unit: LengthUnit = "chars"
    dm_eligibility: DmEligibility = "none"
    messaging_window_hours: int | None = Field(
        default=None, ge=1, description="Free-form private messages only this long after the user's last one."
    )
    human_agent_tag_days: int | None = Field(
        default=None, ge=1, description="With the HUMAN_AGENT tag, private replies allowed this many days."
    )
    private_reply_to_comment_days: int | None = Field(
        default=None, ge=1, description="A comment may get one private reply within this many days."
    )
    can_hide: bool = False
    can_delete_others: bool = False
    delete_max_age_hours: int | None = None

    def limit(self, private: bool) -> tuple[int | None, LengthUnit]:
        """(length limit, how it is counted) for a private message or a public reply."""
        return (self.private_max, self.private_unit) if private else (self.public_max, self.public_unit)


class Capability(StrEnum):
    """What the desk can do on the network through the adapter (room for like, poll later)."""

    REPLY = "reply"
    PRIVATE_MESSAGE = "private_message"
    HIDE = "hide"
    DELETE = "delete"
    # The brand posts on its own account (a bulletin) and continues its own post's thread (an update);
    # the adapter is then also a `Publisher`.
    PUBLISH = "publish"


@dataclass(frozen=True)
class SetupField:
    name: str
    label: str
    secret: bool = False
    config: bool = False  # a setting (kept in the clear), not a credential
    # A setting the account works without (where bulletins are posted, say): left blank on connect,
    # changed later without the credentials.
    optional: bool = False
    # Returns the value as stored (normalized) or raises ValueError saying what is wrong with it.
    check: Callable[[str], str] | None = None


@dataclass(frozen=True)
class SendLimit:
    """A sending limit the network publishes for one account: `count` of `kind` per `per`."""

    kind: str  # an outbox kind: reply, private, hide, delete
    count: int
    per: timedelta


class NetworkAdapter(Protocol):
    @property
    def name(self) -> str: ...

    def normalize(self, payload: Mapping[str, Any], channel: Channel) -> list[InboundMessage] | None:
        """Messages in this event; None for an event type the desk does not handle (acknowledged, ignored)."""
        ...

    def deliver(self, message: Message, idempotency_key: str, rules: NetworkRules) -> str:
        """Send an outbound message by the effective `rules`; returns the network's id for it."""
        ...

    def moderate(self, message: Message, action: str, idempotency_key: str) -> None:
        """Hide or delete a customer's message on the network."""
        ...

    def reconcile(self, message: Message, kind: str, idempotency_key: str) -> str | None:
        """After a crash mid-send: the network's id if it has what we sent, None if it surely does not;
        raises CannotReconcile when the network cannot tell."""
        ...


class Publisher(Protocol):
    """A network adapter whose spec has Capability.PUBLISH."""

    def publish(self, channel: Channel, text: str, idempotency_key: str, continues: str) -> str:
        """Post `text` on the brand's own account; `continues` is the network id of the brand's own
        earlier post this one answers ("" to start a thread). Returns the network's id for the post."""
        ...

    def find_post(self, channel: Channel, text: str, idempotency_key: str, continues: str) -> str | None:
        """After a crash mid-send: like `reconcile`, for a post."""
        ...


WebhookView = Callable[["HttpRequest", int], "HttpResponse"]
# A poller stores what is new for one channel and returns how many events; None: this channel does
# not poll (an X account with a registered webhook).
Poller = Callable[["Channel"], "int | None"]
# A credential check returns (the account's handle, settings learnt from the network) or raises
# DeliveryError; it may leave a session on the probe channel's credentials.
CredentialCheck = Callable[["Channel"], tuple[str, dict[str, str]]]


@cache
def _imported(dotted_path: str) -> Any:
    """The object at the path, imported once (the pipeline asks for an adapter per event)."""
    return import_string(dotted_path)


@dataclass(frozen=True)
class NetworkSpec:
    """One network. Its adapter, receiver, poller and credential check sit at fixed places in its
    package and are imported when first used, so the registry (read by the models for their choices)
    never pulls in a network's client library or views."""

    package: str  # the network's package (its `__name__`); the parts below are found by convention
    name: str
    display_name: str
    # None: the network stands in for others and has no rules of its own (the sandbox).
    rules: NetworkRules | None
    capabilities: frozenset[Capability]
    webhook: bool = False  # events are pushed to `<package>.receiver.webhook`
    poller: str = ""  # events are fetched by this function of `<package>.poller`
    # The connect form's fields; a network with any has `<package>.client.check_account`.
    setup_fields: tuple[SetupField, ...] = ()
    send_limits: tuple[SendLimit, ...] = ()

    def load_adapter(self) -> NetworkAdapter:
        return cast("NetworkAdapter", _imported(f"{self.package}.adapter.ADAPTER"))

    def load_publisher(self) -> Publisher:
        if Capability.PUBLISH not in self.capabilities:
            raise LookupError(f"{self.display_name} does not let the desk publish posts")
        return cast("Publisher", _imported(f"{self.package}.adapter.ADAPTER"))

    def webhook_view(self) -> WebhookView | None:
        return cast("WebhookView", _imported(f"{self.package}.receiver.webhook")) if self.webhook else None

    def poll_function(self) -> Poller | None:
        return cast("Poller", _imported(f"{self.package}.poller.{self.poller}")) if self.poller else None

    def check_credentials(self) -> CredentialCheck | None:
        if not self.setup_fields:
            return None
        return cast("CredentialCheck", _imported(f"{self.package}.client.check_account"))

    def send_limit(self, kind: str) -> SendLimit | None:
        return next((limit for limit in self.send_limits if limit.kind == kind), None)
