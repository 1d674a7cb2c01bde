from django.apps import AppConfig


class IngestConfig(AppConfig):
    name = "socialdesk.ingest"
    label = "ingest"

    def ready(self) -> None:
        # Imported here, not at the top: the tasks import the pipeline and its models, which Django
        # allows only once every app is loaded.
        from socialdesk.ingest.actions import event_stored
        from socialdesk.ingest.tasks import process_when_stored

        event_stored.connect(process_when_stored, dispatch_uid="socialdesk.ingest.process_when_stored")
