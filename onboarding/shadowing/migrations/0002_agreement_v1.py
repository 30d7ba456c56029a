"""The first version of the discretion agreement, so a visitor can sign from day one
(HR publishes new versions from the app)."""

from django.db import migrations

TEXT = """Dans le cadre de « Montre-moi ton job », je vais découvrir le travail d'un(e) collègue d'un autre service.

Je m'engage à :
- garder strictement confidentielles les informations sur les usagers, les agents et les dossiers dont je pourrais avoir connaissance pendant la visite (données personnelles, situations sociales, médicales ou financières, informations nominatives) ;
- ne prendre ni photographie, ni copie, ni note nominative ;
- ne pas intervenir auprès des usagers sans l'accord de la personne qui m'accueille ;
- respecter les consignes de sécurité et de confidentialité du service qui m'accueille.

Cet engagement vaut pendant la visite et après celle-ci, conformément à l'obligation de discrétion professionnelle des agents publics (article L121-7 du code général de la fonction publique)."""


def create_v1(apps, schema_editor):
    AgreementVersion = apps.get_model("shadowing", "AgreementVersion")
    if not AgreementVersion.objects.exists():
        AgreementVersion.objects.create(version=1, text=TEXT)


class Migration(migrations.Migration):
    dependencies = [("shadowing", "0001_initial")]
    operations = [migrations.RunPython(create_v1, migrations.RunPython.noop)]
