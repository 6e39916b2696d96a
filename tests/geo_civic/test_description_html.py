"""Descriptions: hostile Markdown comes out as harmless text, and the sanitised HTML is stored
with the actor when it is saved (form, edit, revert, import), so a page view renders nothing.
How fast the bombs render is measured in bench/markdown_render.py, not here."""

from __future__ import annotations

import html
import importlib
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, User
from django.db import connection

from geo_civic.actors.markdown_text import render_markdown
from geo_civic.actors.models import Actor
from importers.actors import ActorRow, upsert_actors

pytestmark = pytest.mark.django_db

BOMBS = ["[" * 20000, "[a](" * 5000, "![" * 10000]
SAINT_PAUL = "POINT(55.2700 -21.0096)"


class Elements(HTMLParser):
    """Every start tag with its attributes, and the text a reader sees."""

    def __init__(self, markup: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text = ""
        self.feed(markup)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text += data


@pytest.mark.parametrize("bomb", BOMBS, ids=["brackets", "open-links", "open-images"])
def test_markdown_bombs_come_out_as_the_text_typed(bomb):
    assert render_markdown(bomb) == f"<p>{html.escape(bomb, quote=False)}</p>\n"


def test_raw_html_scripts_and_javascript_links_are_neutralised():
    source = (
        "<script>alert(1)</script>\n\n"
        "<div onclick=alert(2)>\n\nbloc\n</div>\n\n"
        'Voir <img src=x onerror=alert(3)> et <a href="javascript:alert(4)">ici</a> '
        "[piège](javascript:alert(5)) [vb](vbscript:msgbox) [data](data:text/html;base64,PHNj)\n\n"
        '[le jardin](https://jardin.example.org "Jardin") <mailto:jardin@example.org>'
    )
    rendered = Elements(render_markdown(source))
    assert {tag for tag, _ in rendered.tags} == {"p", "a"}
    links = [attrs for tag, attrs in rendered.tags if tag == "a"]
    assert links == [
        {
            "href": "https://jardin.example.org",
            "title": "Jardin",
            "rel": "nofollow noopener noreferrer ugc",
        },
        {"href": "mailto:jardin@example.org", "rel": "nofollow noopener noreferrer ugc"},
    ]
    # What was typed as HTML is shown as the text it is, never run.
    assert "<script>alert(1)</script>" in rendered.text
    assert "<img src=x onerror=alert(3)>" in rendered.text
    assert "[piège](javascript:alert(5))" in rendered.text


def test_formatting_survives_and_headings_are_kept_small():
    rendered = render_markdown("### Horaires\n\n- **lundi**\n- *mardi*\n\n> ouvert\n\n`code`")
    assert rendered == (
        "<h3>Horaires</h3>\n<ul>\n<li><strong>lundi</strong></li>\n<li><em>mardi</em></li>\n"
        "</ul>\n<blockquote>\n<p>ouvert</p>\n</blockquote>\n<p><code>code</code></p>\n"
    )


def test_stored_html_is_filled_on_create_and_on_update(reunion_communes):
    actor = Actor.objects.create(
        kind="place", name="Jardin", point=SAINT_PAUL, description="**Bienvenue**"
    )
    actor.refresh_from_db()
    assert actor.description_html == "<p><strong>Bienvenue</strong></p>\n"
    actor.description = "<script>x</script>"
    actor.save(update_fields=["description"])
    actor.refresh_from_db()
    assert actor.description_html == "<p>&lt;script&gt;x&lt;/script&gt;</p>\n"


def test_the_page_serves_the_stored_html_without_rendering(client, reunion_communes):
    actor = Actor.objects.create(
        kind="place", name="Jardin", point=SAINT_PAUL, description="**Bienvenue**"
    )
    with connection.cursor() as cursor:  # bypasses save(): nothing re-renders the source
        cursor.execute(
            "UPDATE actors_actor SET description = %s WHERE id = %s", ["*changé*", actor.pk]
        )
    page = client.get(actor.get_absolute_url()).content.decode()
    assert '<div class="description"><p><strong>Bienvenue</strong></p>' in page
    assert "changé" not in page


def contribution(**overrides) -> dict:
    return {
        "name": "Jardin partagé de la Plaine", "summary": "Un jardin", "address": "",
        "tags_text": "jardin", "place_type": "shared_garden", "latitude": "-21.0096",
        "longitude": "55.2700", "submit": "1", **overrides,
    }  # fmt: skip


def test_contribution_flow_keeps_the_stored_html_current(client, reunion_communes):
    author = User.objects.create_user("lea", "lea@example.org", "jardin-partage-974")
    author.groups.add(Group.objects.get(name="trusted"))
    moderator = User.objects.create_user("modo", "modo@example.org", "moderation-974")
    moderator.groups.add(Group.objects.get(name="moderators"))
    client.force_login(author)
    client.post("/contribuer/place/", contribution(description="**Bienvenue**"))
    actor = Actor.objects.get()
    assert actor.description_html == "<p><strong>Bienvenue</strong></p>\n"
    client.post(f"/acteurs/{actor.pk}/modifier/", contribution(description="[spam](javascript:x)"))
    actor.refresh_from_db()
    assert actor.description_html == "<p>[spam](javascript:x)</p>\n"
    client.force_login(moderator)
    first = actor.revisions.get(action="created")
    client.post(f"/acteurs/{actor.pk}/historique/{first.pk}/retablir/")
    actor.refresh_from_db()
    assert actor.description_html == "<p><strong>Bienvenue</strong></p>\n"


def test_preview_renders_the_description_it_does_not_save(client, reunion_communes):
    client.force_login(User.objects.create_user("lea", "lea@example.org", "jardin-partage-974"))
    form = contribution(description="[" * 20000)
    form.pop("submit")
    page = client.post("/contribuer/place/", {**form, "preview": "1"}).content.decode()
    assert f'<div class="description"><p>{"[" * 20000}</p>' in page
    assert Actor.objects.count() == 0


def test_import_stores_the_rendered_description(reunion_communes):
    row = ActorRow(
        source_id="1", kind="place", name="Jardin", lon=55.27, lat=-21.0096,
        description="Un **jardin** <b>ouvert</b>",
    )  # fmt: skip
    upsert_actors([row], source_key="test")
    actor = Actor.objects.get()
    assert actor.description_html == "<p>Un <strong>jardin</strong> &lt;b&gt;ouvert&lt;/b&gt;</p>\n"
    row.description = "*changé*"
    assert upsert_actors([row], source_key="test").updated == 1
    actor.refresh_from_db()
    assert actor.description_html == "<p><em>changé</em></p>\n"


def test_migration_renders_the_rows_stored_before_it(reunion_communes):
    actor = Actor.objects.create(kind="place", name="Jardin", point=SAINT_PAUL, description="_a_")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE actors_actor SET description_html = '' WHERE id = %s", [actor.pk])
    migration = importlib.import_module("geo_civic.actors.migrations.0007_description_html")
    migration.render_existing(apps, None)
    actor.refresh_from_db()
    assert actor.description_html == "<p><em>a</em></p>\n"
