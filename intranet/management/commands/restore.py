from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from intranet import backup


class Command(BaseCommand):
    help = (
        "Restaure une archive de `manage.py backup` dans une base de données VIDE et dans MEDIA_ROOT, puis "
        "applique les migrations (une sauvegarde d'une version antérieure revient à la version actuelle)."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="Le fichier écrit par manage.py backup.")

    def handle(self, *args, archive, **options):
        try:
            result = backup.backup_restore(archive=Path(archive), key=getattr(settings, "BACKUP_ENCRYPTION_KEY", ""))
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        before, after = result["manifest"]["counts"], result["counts"]
        for name, count in before.items():
            mark = "" if after.get(name) == count else "  <-- différent"
            self.stdout.write(f"{name} : {count} sauvegardés, {after.get(name)} restaurés{mark}")
        self.stdout.write(f"Restauration terminée (sauvegarde du {result['manifest']['created_at']}).")
