from django.contrib.gis import admin

from geo_civic.actors.models import Actor
from geo_civic.map_widgets import LocalOSMWidget


@admin.register(Actor)
class ActorAdmin(admin.GISModelAdmin):
    gis_widget = LocalOSMWidget
    gis_widget_kwargs = {"attrs": {"default_lon": 55.45, "default_lat": -21.1, "default_zoom": 9}}
    list_display = ["name", "kind", "commune", "status", "source_key", "updated_at"]
    list_filter = ["kind", "status", "source_key"]
    search_fields = ["name", "summary", "source_id"]
    readonly_fields = ["commune", "created_at", "updated_at"]
    list_select_related = ["commune"]
