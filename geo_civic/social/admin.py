"""News, their reports and the activity table in the admin (follows stay out: they are private
and nobody needs to browse them)."""

from django.contrib.gis import admin

from geo_civic.social.models import Activity, News, NewsComment, NewsReport


class CommentInline(admin.TabularInline):
    model = NewsComment
    extra = 0
    fields = ["author", "body", "hidden", "created_at"]
    readonly_fields = ["author", "created_at"]


@admin.register(News)
class NewsAdmin(admin.GISModelAdmin):
    list_display = ["title", "commune", "actor", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["title", "body"]
    raw_id_fields = ["commune", "actor", "author"]
    readonly_fields = ["body_html"]
    inlines = [CommentInline]


@admin.register(NewsReport)
class NewsReportAdmin(admin.ModelAdmin):
    list_display = ["news", "reason", "resolved", "created_at"]
    list_filter = ["resolved"]
    raw_id_fields = ["news", "reporter"]


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["verb", "title", "created_at", "commune", "actor"]
    list_filter = ["verb"]
    search_fields = ["title", "key"]
    raw_id_fields = ["commune", "actor", "user", "news"]
