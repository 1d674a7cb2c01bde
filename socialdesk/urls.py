from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from socialdesk.api.api import api
from socialdesk.channels.meta import receiver as meta_receiver
from socialdesk.channels.telegram import receiver as telegram_receiver
from socialdesk.channels.x import receiver as x_receiver

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    # Webhooks of the networks: signed, CSRF-exempt, one URL per channel.
    path("hooks/x/<int:channel_id>/", x_receiver.webhook, name="hook_x"),
    path("hooks/facebook/<int:channel_id>/", meta_receiver.facebook, name="hook_facebook"),
    path("hooks/instagram/<int:channel_id>/", meta_receiver.instagram, name="hook_instagram"),
    path("hooks/whatsapp/<int:channel_id>/", meta_receiver.whatsapp, name="hook_whatsapp"),
    path("hooks/telegram/<int:channel_id>/", telegram_receiver.webhook, name="hook_telegram"),
    path("login/", auth_views.LoginView.as_view(template_name="web/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("socialdesk.web.urls")),
]
