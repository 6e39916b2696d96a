"""``python manage.py restore FILE --yes``: replace the database by a backup."""

from django.core.management.base import BaseCommand, CommandError

from geo_civic.operations.backups import BackupFailed, restore


class Command(BaseCommand):
    help = "Replace the whole database by a backup made with `backup` (all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--yes", action="store_true", help="confirm: current data is replaced")

    def handle(self, *args, **options):
        if not options["yes"]:
            raise CommandError("restore replaces every table: run again with --yes to confirm")
        try:
            restore(options["file"])
        except BackupFailed as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"restored {options['file']}")
