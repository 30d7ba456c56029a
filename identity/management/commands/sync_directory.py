from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from identity import ldap


class Command(BaseCommand):
    help = "Synchronise les agents avec l'annuaire (Active Directory / LDAP) ; --dry-run n'écrit rien."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Affiche le rapport sans rien écrire.")

    def handle(self, *args, dry_run=False, **options):
        if not ldap.configured():
            raise CommandError(_("LDAP_SERVER_URI et LDAP_USER_BASE ne sont pas définis."))
        report = ldap.directory_sync(dry_run=dry_run)
        self.stdout.write("\n".join(report.lines()))
