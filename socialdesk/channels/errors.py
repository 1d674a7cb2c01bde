"""The errors every network package raises in the same way, so ingest and the outbox handle them once."""

from __future__ import annotations


class PayloadError(ValueError):
    """The payload is not what the network documents; the raw event is kept and marked failed."""


class DeliveryError(RuntimeError):
    """Sending failed. `permanent` errors are not retried; the agent is told why. `retry_after` is
    what the network asked for (rate limits: Retry-After, x-rate-limit-reset), in seconds."""

    def __init__(self, message: str, *, permanent: bool, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.permanent = permanent
        self.retry_after = retry_after


class CannotReconcile(RuntimeError):
    """The network offers no way to ask whether something we may have sent arrived."""
