"""The sandbox wire format: one JSON object per post, as in a scenario file (JSONL)."""

from __future__ import annotations

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from socialdesk.channels.registry import NetworkName
from socialdesk.ingest.schema import Author, InboundMessage, MessageKind

SimulatedNetwork = NetworkName  # any network with rules of its own, as the registry lists them
PRIVATE_KINDS = {"dm", "email"}


class ScenarioAuthor(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1, max_length=200)
    handle: str = Field(default="", max_length=200)
    name: str = Field(default="", max_length=200)


class ScenarioPost(BaseModel):
    """One post of a scenario. `truth` carries the scenario author's labels, for evaluation only."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1, max_length=200)
    at: AwareDatetime
    network: SimulatedNetwork
    kind: MessageKind
    author: ScenarioAuthor
    text: str = Field(max_length=100_000)
    reply_to: str | None = Field(default=None, max_length=200)
    thread: str | None = Field(default=None, max_length=200)
    truth: dict[str, str | bool] | None = None

    def to_inbound(self) -> InboundMessage:
        return InboundMessage(
            network=self.network,
            message_id=self.id,
            kind=self.kind,
            is_private=self.kind in PRIVATE_KINDS,
            author=Author(
                network_user_id=self.author.id, handle=self.author.handle, display_name=self.author.name
            ),
            text=self.text,
            created_at=self.at,
            in_reply_to=self.reply_to,
            thread_root=self.thread,
        )
