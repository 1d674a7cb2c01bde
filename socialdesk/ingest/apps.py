from django.apps import AppConfig


class IngestConfig(AppConfig):
    name = "socialdesk.ingest"
    label = "ingest"
