from django.contrib import admin

from socialdesk.policy.models import PolicyVersion


@admin.register(PolicyVersion)
class PolicyVersionAdmin(admin.ModelAdmin[PolicyVersion]):
    list_display = ("workspace", "number", "label", "is_active", "created_by", "created_at")
    readonly_fields = ("source",)
