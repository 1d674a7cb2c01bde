from django.contrib import admin

from socialdesk.outbox.models import OutboxItem

admin.site.register(OutboxItem)
