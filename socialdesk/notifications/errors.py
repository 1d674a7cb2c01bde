from __future__ import annotations


class SendError(Exception):
    """An email or webhook attempt that did not get through; `permanent`: trying again cannot help."""

    def __init__(self, message: str, *, status_code: int | None = None, permanent: bool = False) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.permanent = permanent
