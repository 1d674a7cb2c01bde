from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "socialdesk.reports"
    label = "reports"
