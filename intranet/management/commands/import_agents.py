"""`manage.py import_agents FICHIER [--dry-run] [--create-units]`: the HR import from a shell.

Prints the same preview as the web page, in French. Exit status: 0 when every row is
valid; 2 when some rows have errors (the valid rows are imported, unless --dry-run);
1 when the file cannot be read at all (nothing imported). See docs/import_agents.md.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from intranet.directory.importer import ImportFileError, Preview, import_apply, import_preview

STATUS_LABELS = {"new": "nouvel agent", "changed": "modifié", "unchanged": "inchangé", "error": "ERREUR"}


class Command(BaseCommand):
    help = "Importe les agents depuis l'export CSV ou XLSX du logiciel RH (voir docs/import_agents.md)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Fichier CSV (UTF-8 ou Windows-1252, ; ou ,) ou XLSX")
        parser.add_argument("--dry-run", action="store_true", help="Affiche l'aperçu sans rien enregistrer")
        parser.add_argument(
            "--create-units",
            action="store_true",
            help="Crée les services et sites inconnus au lieu de refuser leurs lignes",
        )
        parser.add_argument("--unchanged", action="store_true", help="Liste aussi les lignes inchangées")

    def handle(self, *args, file, dry_run, create_units, unchanged, **options):
        path = Path(file)
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Impossible de lire {path} : {error.strerror}") from error
        show_unchanged = unchanged or options["verbosity"] > 1
        if dry_run:
            preview = import_preview(content=content, filename=path.name, create_units=create_units)
            if preview.file_errors:
                raise CommandError("Fichier refusé, rien n'a été importé :\n  " + "\n  ".join(preview.file_errors))
            self._print_preview(preview, show_unchanged=show_unchanged)
            self.stdout.write("Simulation (--dry-run) : rien n'a été enregistré.")
        else:
            # The apply computes the preview itself (in its transaction): print the one applied.
            try:
                result = import_apply(content=content, filename=path.name, user=None, create_units=create_units)
            except ImportFileError as error:
                messages = "\n  ".join(error.messages)
                raise CommandError(f"Fichier refusé, rien n'a été importé :\n  {messages}") from error
            preview = result.preview
            self._print_preview(preview, show_unchanged=show_unchanged)
            self.stdout.write(
                self.style.SUCCESS(
                    f"Import terminé : {result.created} créé(s), {result.updated} modifié(s), "
                    f"{result.unchanged} inchangé(s), {result.skipped} ligne(s) en erreur ignorée(s)."
                )
            )
            for label, names in (("Services créés", result.units_created), ("Sites créés", result.sites_created)):
                if names:
                    self.stdout.write(f"{label} : {', '.join(names)}")
        if preview.has_errors:
            raise CommandError(
                f"{preview.counts['error']} ligne(s) en erreur" + (" (ignorées)." if not dry_run else "."),
                returncode=2,
            )

    def _print_preview(self, preview: Preview, *, show_unchanged: bool) -> None:
        write = self.stdout.write
        counts = preview.counts
        write(
            f"Aperçu de {preview.filename} : {counts['new']} nouvel(s) agent(s), {counts['changed']} modifié(s), "
            f"{counts['unchanged']} inchangé(s), {counts['error']} ligne(s) en erreur."
        )
        if preview.ignored_columns:
            write("Colonnes ignorées : " + ", ".join(preview.ignored_columns))
        for title, unknown in (("Services inconnus", preview.unknown_units), ("Sites inconnus", preview.unknown_sites)):
            if unknown:
                action = "seront créés" if preview.create_units else "à créer avec --create-units ou à corriger"
                write(f"{title} ({action}) :")
                for value, lines in unknown.items():
                    write(
                        f"  « {value} » (ligne{'s' if len(lines) > 1 else ''} {', '.join(map(str, lines[:20]))}"
                        f"{'…' if len(lines) > 20 else ''})"
                    )
        for row in preview.rows:
            if row.status == "unchanged" and not show_unchanged:
                continue
            write(f"Ligne {row.line} – {row.matricule or row.email} {row.name} : {STATUS_LABELS[row.status]}")
            for change in row.changes:
                write(f"    {change.label} : « {change.old} » → « {change.new} »")
            for error in row.errors:
                write(self.style.ERROR(f"    {error}"))
