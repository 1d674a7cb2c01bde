from django.apps import AppConfig


class RosterConfig(AppConfig):
    name = "socialdesk.roster"
    label = "roster"
