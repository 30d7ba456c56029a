"""Anonymise the agents whose retention period after departure is over (for a beat schedule)."""

from django.core.management.base import BaseCommand

from intranet.directory.selectors.profile import retention_days
from intranet.directory.services.rgpd import agents_anonymise_departed


class Command(BaseCommand):
    help = "Anonymise les agents partis depuis plus de AGENT_RETENTION_DAYS jours."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Liste les agents concernés sans rien changer.")

    def handle(self, *args, dry_run=False, **options):
        ids = agents_anonymise_departed(dry_run=dry_run)
        verb = "à anonymiser" if dry_run else "anonymisé(s)"
        self.stdout.write(f"{len(ids)} agent(s) {verb} (conservation : {retention_days()} jours après le départ).")
        for pk in ids:
            self.stdout.write(f"  agent #{pk}")
