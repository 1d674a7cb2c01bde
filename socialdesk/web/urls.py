from django.urls import path

from socialdesk.web import policy_views, views

app_name = "web"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("c/<int:pk>/", views.conversation_detail, name="conversation"),
    path("c/<int:pk>/reply/", views.reply, name="reply"),
    path("c/<int:pk>/m/<int:message_id>/moderate/", views.moderate_message, name="moderate"),
    path("c/<int:pk>/m/<int:message_id>/approve/", views.approve, name="approve"),
    path("c/<int:pk>/m/<int:message_id>/triage/", views.correct, name="correct_triage"),
    path("sandbox/outbox/", views.sandbox_outbox, name="sandbox_outbox"),
    path("policy/", policy_views.editor, name="policy"),
    path("policy/<str:document>/", policy_views.document, name="policy_document"),
]
