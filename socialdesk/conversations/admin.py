from django.contrib import admin

from socialdesk.conversations.models import Contact, ContactHandle, Conversation, Message, Tag


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin[Conversation]):
    list_display = ("pk", "workspace", "channel", "contact", "status", "priority", "last_message_at")
    list_filter = ("status", "priority", "workspace")


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin[Message]):
    list_display = ("pk", "conversation", "direction", "kind", "author_handle", "sent_at")
    list_filter = ("direction", "kind")


admin.site.register(Contact)
admin.site.register(ContactHandle)
admin.site.register(Tag)
