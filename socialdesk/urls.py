from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from socialdesk.api.api import api
from socialdesk.channels.webhooks import receive

urlpatterns = [
    path("admin/", admin.site.urls),
    # Browsers ask for /favicon.ico on every page, the policy documents included.
    path("favicon.ico", RedirectView.as_view(url=static("web/favicon.svg"), permanent=True)),
    path("api/", api.urls),
    # Webhooks of the networks: signed, CSRF-exempt, one URL per channel, routed by the registry.
    path("hooks/<slug:network>/<int:channel_id>/", receive, name="hook"),
    path("login/", auth_views.LoginView.as_view(template_name="web/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("socialdesk.web.urls")),
]
