"""``python manage.py backup FILE``: dump the database with pg_dump."""

from django.core.management.base import BaseCommand, CommandError

from geo_civic.operations.backups import BackupFailed, backup


class Command(BaseCommand):
    help = "Dump the whole database into FILE (pg_dump custom format)."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, **options):
        try:
            path = backup(options["file"])
        except BackupFailed as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"backup written to {path} ({path.stat().st_size:,} bytes)")
