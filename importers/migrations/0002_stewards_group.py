"""The stewards group: its members import communes and actors over HTTP (importers.views)."""

from django.db import migrations


def create_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name="stewards")


def delete_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="stewards").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("importers", "0001_import_run"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_group, delete_group)]
