"""A private field planted on an actor appears in no output, whatever the layer or format."""

import io
import zipfile

import mapbox_vector_tile
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo_civic.actors.models import Actor
from layers.exports import FORMATS
from layers.registry import LAYERS

pytestmark = pytest.mark.django_db

SECRET = "PRIVATE-7f3a9c"


def readable(content: bytes) -> bytes:
    """The bytes, and for a zip (the Shapefile export) the bytes of every file in it."""
    if content[:2] != b"PK":
        return content
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return b"".join(archive.read(name) for name in archive.namelist())


def test_private_fields_never_leave_the_database(client, reunion_communes, settings):
    settings.GEO_CIVIC_EXPORTS_PER_MINUTE = 0
    Actor.objects.create(
        kind="event",
        name="Fête",
        point="POINT(55.4481 -20.8789)",
        address=f"{SECRET} address",
        source_id=f"{SECRET}-id",
        status=Actor.Status.PUBLISHED,
    )
    Actor.objects.create(
        kind="event", name=f"{SECRET} draft", point="POINT(55.4481 -20.8789)", status="draft"
    )
    checked = 0
    for name in LAYERS:
        for fmt in FORMATS:
            response = client.get(f"/api/layers/{name}.{fmt}?commune=97411")
            assert response.status_code == 200, (name, fmt, response.content[:200])
            body = b"".join(response.streaming_content)
            assert SECRET.encode() not in readable(body), (name, fmt)
            checked += 1
        tile = client.get(f"/tiles/{name}/14/10715/9163.pbf")  # the actor's tile
        if name not in ("organisations", "projects", "places", "proposals", "proposal-results"):
            # the layers holding the actor
            assert tile.status_code == 200, name
            assert SECRET.encode() not in tile.content
            assert mapbox_vector_tile.decode(tile.content)
        items = client.get(f"/ogc/collections/{name}/items?limit=100")
        assert SECRET.encode() not in b"".join(items.streaming_content)
    assert checked == len(LAYERS) * len(FORMATS)


coordinate = st.one_of(
    st.integers(min_value=-5, max_value=2**40).map(str),
    st.text(alphabet="0123456789-+.e²٣ ", min_size=1, max_size=8),
)


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(z=coordinate, x=coordinate, y=coordinate)
def test_any_tile_address_gets_a_tile_or_a_4xx_never_a_500(client, z, x, y):
    response = client.get(f"/tiles/communes/{z}/{x}/{y}.pbf")
    assert response.status_code in (200, 204, 400, 404), (z, x, y)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    name=st.sampled_from(["bbox", "limit", "offset", "datetime", "f", "q", "kind", "zz"]),
    value=st.text(max_size=30),
    fid=st.text(max_size=12),
)
def test_any_ogc_request_gets_an_answer_never_a_500(client, name, value, fid):
    items = client.get("/ogc/collections/actors/items", {name: value})
    assert items.status_code in (200, 400), (name, value)
    one = client.get("/ogc/collections/actors/items/" + fid.replace("/", "").replace("?", ""))
    # A NUL in the path is refused at the door (geo_civic/web/malformed_requests.py).
    assert one.status_code in ((400,) if "\x00" in fid else (200, 301, 404)), fid


PRIVATE = {"email", "phone", "address", "owner", "co_editors", "moderation_note", "name_key",
           "possible_duplicate_of", "point", "source_id"}  # fmt: skip


def test_actor_layers_publish_only_public_fields(client, reunion_communes):
    """The round-2 properties (url, categories, colour, event dates) come from public fields."""
    from geo_civic.actors.models import PUBLIC_FIELDS, Category

    for layer in LAYERS.values():
        if layer.model is not Actor:
            continue
        assert layer.geometry == "public_point"
        assert not set(layer.properties) & PRIVATE, layer.name
        roots = {path.lstrip("_").split("__")[0] for path in layer.properties.values()}
        assert roots <= {*PUBLIC_FIELDS, "url", "colour"}, layer.name
    category = Category.objects.create(name="Couture", slug="couture")
    actor = Actor.objects.create(
        kind="event",
        name="Atelier",
        point="POINT(55.448123 -20.878912)",
        location_is_private=True,
        email=f"{SECRET}@example.org",
        phone="0692 12 34 56",
        moderation_note=SECRET,
        starts_at="2030-05-01T14:00:00+04:00",
    )
    actor.categories.set([category])
    body = b"".join(client.get("/api/layers/events.geojson?category=couture").streaming_content)
    assert b"couture" in body and b"/acteurs/" in body
    assert SECRET.encode() not in body and b"0692" not in body and b"55.448123" not in body
