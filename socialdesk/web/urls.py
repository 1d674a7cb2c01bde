from django.urls import path

from socialdesk.web import views

app_name = "web"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("c/<int:pk>/", views.conversation_detail, name="conversation"),
    path("c/<int:pk>/reply/", views.reply, name="reply"),
    path("sandbox/outbox/", views.sandbox_outbox, name="sandbox_outbox"),
]
