from django.apps import AppConfig


class PolicyConfig(AppConfig):
    name = "socialdesk.policy"
    label = "policy"
