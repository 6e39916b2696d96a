"""The rendered description is stored with the actor; existing rows are rendered once here."""

from django.db import migrations, models

from geo_civic.actors.markdown_text import render_markdown

BATCH = 500


def render_existing(apps, schema_editor):
    Actor = apps.get_model("actors", "Actor")
    batch = []
    for actor in Actor.objects.exclude(description="").only("id", "description").iterator():
        actor.description_html = render_markdown(actor.description)
        batch.append(actor)
        if len(batch) == BATCH:
            Actor.objects.bulk_update(batch, ["description_html"])
            batch = []
    Actor.objects.bulk_update(batch, ["description_html"])


class Migration(migrations.Migration):
    dependencies = [("actors", "0006_translatable_labels")]

    operations = [
        migrations.AddField(
            model_name="actor",
            name="description_html",
            field=models.TextField(blank=True, db_default="", default="", editable=False),
        ),
        migrations.RunPython(render_existing, migrations.RunPython.noop),
    ]
