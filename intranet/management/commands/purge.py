from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone, translation

from intranet import retention


class Command(BaseCommand):
    help = (
        "Supprime ce qui n'est conservé qu'un temps (courriels envoyés, documents, CV, journal, sessions…) "
        "selon les durées choisies par les RH ; --dry-run dit ce qui partirait, sans rien supprimer."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Compter sans supprimer.")

    def handle(self, *args, dry_run=False, **options):
        with translation.override(settings.LANGUAGE_CODE):  # the rules' labels, in the site's language
            self._purge(dry_run=dry_run)

    def _purge(self, *, dry_run: bool) -> None:
        results = retention.retention_purge(dry_run=dry_run)
        verb = "à supprimer" if dry_run else "supprimé(s)"
        for result in results:
            before = timezone.localtime(result["before"]).strftime("%d/%m/%Y %H:%M")
            self.stdout.write(
                f"{result['label']} — conservés {result['days']} jours (avant le {before}) : {result['count']} {verb}"
            )
        if dry_run:
            self.stdout.write("Essai : rien n'a été supprimé.")
