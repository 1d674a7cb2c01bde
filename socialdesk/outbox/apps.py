from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "socialdesk.outbox"
    label = "outbox"
