"""What was told to whom and whether it went out: delivery bookkeeping for operators (the jobs
themselves, with their attempts and retries, are under Procrastinate › jobs)."""

from django.contrib import admin

from geo_civic.notifications.models import Notification, PushSubscription


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("title", "user", "kind", "created_at", "read_at", "emailed_at", "pushed_at")
    list_filter = ("kind", ("emailed_at", admin.EmptyFieldListFilter))
    search_fields = ("key", "user__username")
    raw_id_fields = ("user",)
    readonly_fields = ("emailed_at", "pushed_at")


@admin.register(PushSubscription)
class PushSubscriptionAdmin(admin.ModelAdmin):
    list_display = ("user", "endpoint", "created_at")
    raw_id_fields = ("user",)
