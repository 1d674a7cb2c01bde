"""The one error a desk action raises when it cannot do what was asked.

Actions raise `DeskError` (or a subclass that carries more detail, like the violations of a refused
reply); the API turns it into a JSON problem with `status`, the web desk shows `str(error)` on the
page it came from. Nothing else translates errors, so a new action needs no new handler.
"""

from __future__ import annotations


class DeskError(Exception):
    """An action that cannot be done, with the reason to show and the HTTP status that fits it."""

    code = "refused"
    status = 422

    def __init__(self, message: str, *, code: str | None = None, status: int | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status

    def details(self) -> dict[str, object]:
        """Fields the API adds next to `detail` (subclasses with more to say override this)."""
        return {}


class Forbidden(DeskError):
    """The actor may see this but has no role that allows the action."""

    code = "forbidden"
    status = 403
