"""`manage.py seed_demo`: the demo administration, once; always prints the demo accounts."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from intranet.demo import DEFAULT_AGENTS, DEMO_ACCOUNTS, DEMO_PASSWORD, demo_seed


class Command(BaseCommand):
    help = (
        "Peuple une base vide avec une administration de démonstration : organigramme (pôles, "
        "directions, services), sites dont des lycées, agents aux noms français avec photos, et un "
        f"compte de démonstration par rôle, tous avec le mot de passe « {DEMO_PASSWORD} ». "
        "Sans effet si la démonstration est déjà en place (la commande est lancée à chaque make run) ; "
        "avec --agents N sur une base déjà peuplée qui en compte moins, ajoute seulement les agents "
        "manquants dans l'organigramme existant. Affiche toujours les comptes de démonstration."
    )

    # `make run` calls it right after `migrate`, which has just run the checks: skipping
    # them here keeps the second and later runs fast.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--agents",
            type=int,
            default=None,
            help=f"nombre d'agents internes (par défaut {DEFAULT_AGENTS} ; 10000 pour les mesures de bench/). "
            "Le nombre de lycées suit : 15 pour 1350 agents.",
        )

    def handle(self, *args, agents, **options):
        with translation.override("fr"):
            try:
                result = demo_seed(agents=agents or DEFAULT_AGENTS, top_up=agents is not None, stdout=self.stdout)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from error
            if result.built:
                seconds = f"{result.seconds:.1f}".replace(".", ",")
                self.stdout.write(
                    self.style.SUCCESS(f"Démonstration créée : {result.internal_agents} agents en {seconds} s.")
                )
            elif result.agents_added:
                self.stdout.write(
                    self.style.SUCCESS(
                        f"{result.agents_added} agents ajoutés : {result.internal_agents} agents en tout."
                    )
                )
            else:
                self.stdout.write(f"Démonstration déjà en place ({result.internal_agents} agents) : rien à faire.")
            self.stdout.write(self.accounts_table())

    @staticmethod
    def accounts_table() -> str:
        rows = [("Adresse e-mail", "Rôle", "Mot de passe")]
        rows += [(account.email, account.label, DEMO_PASSWORD) for account in DEMO_ACCOUNTS]
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        lines = ["", "Comptes de démonstration :", ""]
        for n, row in enumerate(rows):
            lines.append("  " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
            if n == 0:
                lines.append("  " + "  ".join("-" * width for width in widths))
        return "\n".join(lines) + "\n"
