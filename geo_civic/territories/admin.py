from django.contrib.gis import admin

from geo_civic.map_widgets import LocalOSMWidget
from geo_civic.territories.models import Commune


@admin.register(Commune)
class CommuneAdmin(admin.GISModelAdmin):
    gis_widget = LocalOSMWidget
    list_display = ["code", "name", "departement_code", "population", "area_km2", "valid_to"]
    list_filter = ["departement_code", "country"]
    search_fields = ["code", "name"]
    readonly_fields = ["area_km2"]
