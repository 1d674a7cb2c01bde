from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "socialdesk.incidents"
    label = "incidents"
