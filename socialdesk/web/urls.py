from django.urls import path

from socialdesk.web import (
    automation_views,
    channel_views,
    inbox_views,
    incident_views,
    policy_views,
    token_views,
    views,
)

app_name = "web"
urlpatterns = [
    path("", inbox_views.inbox_page, name="inbox"),
    path("inbox/rows/", inbox_views.inbox_rows, name="inbox_rows"),
    path("views/", inbox_views.save_inbox_view, name="save_view"),
    path("c/<int:pk>/", views.conversation_detail, name="conversation"),
    path("c/<int:pk>/reply/", views.reply, name="reply"),
    path("c/<int:pk>/check/", views.check_draft_view, name="check"),
    path("c/<int:pk>/presence/", views.presence, name="presence"),
    path("c/<int:pk>/<str:action>/", views.desk_action, name="desk_action"),
    path("c/<int:pk>/m/<int:message_id>/moderate/", views.moderate_message, name="moderate"),
    path("c/<int:pk>/m/<int:message_id>/reveal/", views.reveal, name="reveal"),
    path("c/<int:pk>/m/<int:message_id>/approve/", views.approve, name="approve"),
    path("c/<int:pk>/m/<int:message_id>/resend/", views.resend_message, name="resend"),
    path("c/<int:pk>/m/<int:message_id>/triage/", views.correct, name="correct_triage"),
    path("incidents/", incident_views.incident_list, name="incidents"),
    path("incidents/<int:pk>/", incident_views.incident_detail, name="incident"),
    path("incidents/<int:pk>/public/", incident_views.incident_publish, name="incident_publish"),
    path("incidents/<int:pk>/resolve/", incident_views.incident_resolve, name="incident_resolve"),
    path("channels/", channel_views.channels, name="channels"),
    path("channels/<int:channel_id>/toggle/", channel_views.toggle_channel, name="toggle_channel"),
    path("tokens/", token_views.tokens, name="tokens"),
    path("tokens/<int:token_id>/revoke/", token_views.revoke_token, name="revoke_token"),
    path("sandbox/outbox/", views.sandbox_outbox, name="sandbox_outbox"),
    path("automation/", automation_views.automation, name="automation"),
    path("automation/switch/", automation_views.switch_automation, name="automation_switch"),
    path("policy/", policy_views.editor, name="policy"),
    path("policy/<str:document>/", policy_views.document, name="policy_document"),
]
