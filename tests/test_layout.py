"""The house's layout rule (STYLE.md, README): a module past 300 lines becomes a package of one
module per subject, unless its docstring says why it stays whole (« Longer than STYLE.md's 300
lines on purpose: … »). Tests, migrations and the catalogues' generated files are not counted."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIMIT = 300
REASON = "Longer than STYLE.md's 300 lines on purpose:"
SKIPPED_PARTS = {".venv", "var", "tests", "migrations", "node_modules", ".git", "static", "media"}


def _modules():
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT)
        if SKIPPED_PARTS.isdisjoint(relative.parts):
            yield relative, path


def _says_why(path: Path) -> bool:
    docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    return REASON in " ".join(docstring.split())


def test_every_long_module_is_split_or_says_why():
    too_long = [
        f"{relative} ({lines} lines)"
        for relative, path in _modules()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > LIMIT and not _says_why(path)
    ]
    assert too_long == [], "split these into packages, or say why in their docstring: " + ", ".join(too_long)


def test_the_rule_sees_the_modules_it_should():
    """The walk finds the apps' modules (not an empty tree that would pass anything)."""
    found = {str(relative) for relative, _ in _modules()}
    assert {"intranet/models.py", "actions/models.py", "manage.py"} <= found
    assert not any(part.startswith("tests/") for part in found)
