from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from socialdesk.api.api import api
from socialdesk.channels.webhooks import receive
from socialdesk.web import security_views

urlpatterns = [
    path("admin/", admin.site.urls),
    # Browsers ask for /favicon.ico on every page, the policy documents included.
    path("favicon.ico", RedirectView.as_view(url=static("web/favicon.svg"), permanent=True)),
    path("api/", api.urls),
    # Webhooks of the networks: signed, CSRF-exempt, one URL per channel, routed by the registry.
    path("hooks/<slug:network>/<int:channel_id>/", receive, name="hook"),
    path("login/", security_views.DeskLoginView.as_view(), name="login"),
    # After the password, for users with an authenticator app (web.two_factor sends them here).
    path("login/verify/", security_views.verify, name="two_factor_verify"),
    # Sign-in with an OpenID Connect provider: /oidc/authenticate/ and its /oidc/callback/.
    path("oidc/", include("mozilla_django_oidc.urls")),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("socialdesk.web.urls")),
]
