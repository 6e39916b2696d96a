from django.contrib.gis import admin

from geo_civic.territories.map_widgets import LocalOSMWidget
from geo_civic.territories.models import Commune, Departement, Epci, PostalCode, Region


@admin.register(Commune)
class CommuneAdmin(admin.GISModelAdmin):
    gis_widget = LocalOSMWidget
    list_display = [
        "code",
        "name",
        "departement_code",
        "region_code",
        "population",
        "area_km2",
        "valid_to",
    ]
    list_filter = ["departement_code", "country", "region_code"]
    search_fields = ["code", "name"]
    readonly_fields = ["area_km2"]
    raw_id_fields = ["successor", "epci"]
    filter_horizontal = ["postal_codes"]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]


@admin.register(Departement)
class DepartementAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "region"]


@admin.register(Epci)
class EpciAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind"]
    search_fields = ["code", "name"]


@admin.register(PostalCode)
class PostalCodeAdmin(admin.ModelAdmin):
    search_fields = ["code"]
