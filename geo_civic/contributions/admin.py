from django.contrib import admin

from geo_civic.contributions.models import ActorRevision, ModeratorScope, Report


@admin.register(ActorRevision)
class ActorRevisionAdmin(admin.ModelAdmin):
    list_display = ["actor", "action", "author", "created_at"]
    list_filter = ["action"]
    raw_id_fields = ["actor", "author"]
    readonly_fields = ["snapshot"]


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["actor", "reason", "reporter", "resolved", "created_at"]
    list_filter = ["resolved"]
    raw_id_fields = ["actor", "reporter"]


@admin.register(ModeratorScope)
class ModeratorScopeAdmin(admin.ModelAdmin):
    filter_horizontal = ["communes"]
