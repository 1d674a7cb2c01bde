from django.contrib import admin

from socialdesk.workspaces.models import Membership, Team, Workspace

admin.site.register(Workspace)
admin.site.register(Membership)
admin.site.register(Team)
