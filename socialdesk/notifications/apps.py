from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "socialdesk.notifications"
    label = "notifications"
