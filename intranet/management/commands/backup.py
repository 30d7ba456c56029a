from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from intranet import backup


class Command(BaseCommand):
    help = (
        "Sauvegarde la base de données et les fichiers envoyés (photos, documents, guides, CV) dans une "
        "archive, chiffrée si BACKUP_ENCRYPTION_KEY est définie. Voir docs/exploitation.md."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", help="Fichier de l'archive (par défaut var/backups/maison-commune-AAAAMMJJ-HHMMSS.tar[.enc])."
        )
        parser.add_argument("--generate-key", action="store_true", help="Afficher une nouvelle clé de chiffrement.")

    def handle(self, *args, output=None, generate_key=False, **options):
        if generate_key:
            self.stdout.write(backup.generate_key())
            return
        key = getattr(settings, "BACKUP_ENCRYPTION_KEY", "")
        if output is None:
            folder = settings.BASE_DIR / "var" / "backups"
            folder.mkdir(parents=True, exist_ok=True)
            suffix = ".tar.enc" if key else ".tar"
            output = folder / f"maison-commune-{timezone.localtime():%Y%m%d-%H%M%S}{suffix}"
        try:
            manifest = backup.backup_create(output=Path(output), key=key)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        figures = ", ".join(f"{name} : {count}" for name, count in manifest["counts"].items())
        state = "chiffrée" if key else "NON chiffrée (BACKUP_ENCRYPTION_KEY n'est pas définie)"
        self.stdout.write(f"Sauvegarde {state} écrite dans {output} ({figures}).")
