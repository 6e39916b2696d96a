"""``GET /api/categories``: the categories the map can filter on, for its legend and menu."""

from __future__ import annotations

from django.db.models import F
from django.db.models.expressions import RawSQL
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_safe

from geo_civic.actors.models import Actor, Category

# Categories holding a published actor, and their ancestors (a parent whose child has one).
IN_USE_SQL = """
WITH RECURSIVE used AS (
    SELECT link.category_id AS id
    FROM {link} link JOIN {actor} actor ON actor.id = link.actor_id
    WHERE actor.status = %s
    UNION
    SELECT category.parent_id FROM {category} category JOIN used ON category.id = used.id
    WHERE category.parent_id IS NOT NULL
)
SELECT id FROM used
"""


def categories_in_use() -> list[dict]:
    """``slug, name, colour, icon, parent`` (the parent's slug or None), sorted by name."""
    sql = IN_USE_SQL.format(  # table names from the models, never from a request
        link=Actor.categories.through._meta.db_table,
        actor=Actor._meta.db_table,
        category=Category._meta.db_table,
    )
    rows = (
        Category.objects.filter(pk__in=RawSQL(sql, [Actor.Status.PUBLISHED]))
        .order_by("name", "slug")
        .values("slug", "name", "colour", "icon", parent_slug=F("parent__slug"))
    )
    return [
        {"slug": r["slug"], "name": r["name"], "colour": r["colour"], "icon": r["icon"],
         "parent": r["parent_slug"]}
        for r in rows
    ]  # fmt: skip


@require_safe
def categories(request: HttpRequest) -> JsonResponse:
    response = JsonResponse(
        {"categories": categories_in_use()}, json_dumps_params={"ensure_ascii": False}
    )
    response["Cache-Control"] = "public, max-age=60"
    return response
