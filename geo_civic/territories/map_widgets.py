"""Admin map widgets that load OpenLayers from our own static files (npm), never from a CDN."""

from django.contrib.gis import forms


class LocalOSMWidget(forms.OSMWidget):
    """Django's OSM widget, with the OpenLayers build that package-lock.json pins (ol 7.2.2)."""

    class Media:
        extend = False
        css = {"all": ("vendor/ol/ol.css", "gis/css/ol3.css")}
        js = ("vendor/ol/dist/ol.js", "gis/js/OLMapWidget.js")
