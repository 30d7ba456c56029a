from django.core.management.base import BaseCommand

from actions.services.plan_loading import DEFAULT_PLAN_FILE, plan_data_read, plan_load


class Command(BaseCommand):
    help = (
        "Charge (ou met à jour) un projet d'administration depuis un fichier JSON ; "
        "par défaut celui de la Communauté de Communes Mad & Moselle. Peut être relancé sans doublon."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(DEFAULT_PLAN_FILE), help="Chemin du fichier JSON du plan.")

    def handle(self, *args, **options):
        plan = plan_load(data=plan_data_read(path=options["file"]))
        self.stdout.write(
            self.style.SUCCESS(
                f"{plan.title} : {plan.objectives.count()} objectifs, {plan.cards.count()} fiches actions."
            )
        )
