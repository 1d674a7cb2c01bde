from typing import Any

from django.apps import AppConfig


class RosterConfig(AppConfig):
    name = "socialdesk.roster"
    label = "roster"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        user_logged_in.connect(_signed_in, dispatch_uid="roster-signed-in")


def _signed_in(sender: Any, request: Any, user: Any, **_: Any) -> None:
    from socialdesk.roster.availability import signed_in

    signed_in(user)
