from django.contrib import admin

from socialdesk.incidents.models import Incident

admin.site.register(Incident)
