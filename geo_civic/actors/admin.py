from django.contrib.gis import admin

from geo_civic.actors.models import Actor, Category, Membership
from geo_civic.territories.map_widgets import LocalOSMWidget


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "parent", "colour", "icon"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(Actor)
class ActorAdmin(admin.GISModelAdmin):
    gis_widget = LocalOSMWidget
    gis_widget_kwargs = {"attrs": {"default_lon": 55.45, "default_lat": -21.1, "default_zoom": 9}}
    list_display = ["name", "kind", "commune", "status", "source_key", "updated_at"]
    list_filter = ["kind", "status", "source_key", "categories"]
    search_fields = ["name", "summary", "source_id"]
    readonly_fields = ["commune", "slug", "created_at", "updated_at"]
    list_select_related = ["commune"]
    filter_horizontal = ["categories", "co_editors"]
    raw_id_fields = ["owner", "possible_duplicate_of"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["actor", "user", "role", "state", "created_at"]
    list_filter = ["role", "state"]
    raw_id_fields = ["actor", "user"]
