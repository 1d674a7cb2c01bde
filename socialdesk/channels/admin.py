from django.contrib import admin

from socialdesk.channels.models import Channel, SandboxDelivery


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin[Channel]):
    list_display = ("workspace", "network", "handle", "account_role", "is_active")
    # Credentials are write-only: never shown back.
    exclude = ("credentials",)


admin.site.register(SandboxDelivery)
