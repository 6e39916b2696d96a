"""PostgreSQL's unaccent, so that « etang sale » finds Étang-Salé."""

from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    operations = [UnaccentExtension()]
