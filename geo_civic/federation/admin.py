from django.contrib import admin

from geo_civic.federation.models import Delivery, Follower, RemoteActor


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """A failed delivery is seen here: its attempts and last error."""

    list_display = ["activity_id", "inbox", "attempts", "done", "last_error", "created_at"]
    list_filter = ["done"]
    readonly_fields = [f.name for f in Delivery._meta.fields]


@admin.register(RemoteActor)
class RemoteActorAdmin(admin.ModelAdmin):
    list_display = ["uri", "inbox", "shared_inbox", "fetched_at"]
    exclude = ["public_key_pem"]


@admin.register(Follower)
class FollowerAdmin(admin.ModelAdmin):
    list_display = ["remote", "local_kind", "local_key", "accepted", "created_at"]
