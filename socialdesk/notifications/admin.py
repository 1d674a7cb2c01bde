from django.contrib import admin

from socialdesk.notifications.models import Attempt, Delivery, Notification, Preference

admin.site.register(Notification)
admin.site.register(Delivery)
admin.site.register(Attempt)
admin.site.register(Preference)
