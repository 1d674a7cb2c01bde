from django.apps import AppConfig


class WorkspacesConfig(AppConfig):
    name = "socialdesk.workspaces"
    label = "workspaces"
