from django.contrib.gis import admin

from geo_civic.geocoding.models import GeocodedAddress


@admin.register(GeocodedAddress)
class GeocodedAddressAdmin(admin.ModelAdmin):
    list_display = ["query", "label", "provider", "created_at"]
    list_filter = ["provider"]
    search_fields = ["query", "label"]
