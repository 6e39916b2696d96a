from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.views.decorators.http import require_safe

from layers.filters import FilterError, apply_filters
from layers.geojson import feature_collection
from layers.registry import LAYERS, get_layer


@require_safe
def layer_geojson(request: HttpRequest, name: str) -> HttpResponse:
    layer = get_layer(name)
    if layer is None:
        return JsonResponse(
            {"error": f"unknown layer {name!r}", "layers": sorted(LAYERS)}, status=404
        )
    try:
        queryset = apply_filters(layer, request.GET.dict())
    except FilterError as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    return StreamingHttpResponse(
        feature_collection(layer, queryset), content_type="application/geo+json"
    )
