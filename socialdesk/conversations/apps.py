from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ConversationsConfig(AppConfig):
    name = "socialdesk.conversations"
    label = "conversations"

    def ready(self) -> None:
        from socialdesk.conversations.search_index import restore_search_triggers

        post_migrate.connect(restore_search_triggers, sender=self)
