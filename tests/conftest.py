"""Fixtures shared by every app's tests: one logged-in-able user per role."""

import importlib
import os

import pytest
from django.apps import apps
from django.db.models.signals import post_migrate

from tests.factories import AgentFactory, OrgUnitFactory, SiteFactory
from tests.harness import (  # noqa: F401 (fixtures)
    celery_worker_on_private_redis,
    celery_worker_process,
    celery_worker_with_beat,
    private_redis,
    smtp_server,
)

IN_CI = bool(os.environ.get("CI"))


def skip_or_fail(reason: str):
    """A test that needs a missing service skips with its reason, but fails under CI."""
    if IN_CI:
        pytest.fail(f"{reason} (CI is set: a missing service is a failure)")
    pytest.skip(reason)


# The data the migrations write (role groups, the agreement's first version), written again after
# a transactional test's flush as Django writes the content types again: a test's outcome must not
# depend on which tests ran before it in its process (pytest-xdist deals the files out).
MIGRATION_DATA = [
    ("intranet.migrations.0002_role_groups", "create_groups"),
    ("onboarding.shadowing.migrations.0002_agreement_v1", "create_v1"),
]


def _migration_data(sender, **kwargs):
    if sender.name == "intranet":  # post_migrate comes once per app: write once
        for module, function in MIGRATION_DATA:
            getattr(importlib.import_module(module), function)(apps, None)


post_migrate.connect(_migration_data, dispatch_uid="tests-migration-data")


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate limits and cached values live in the cache: each test starts with it empty."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def kept_pages(settings):
    """The pages' kept fragments on, as in production (the test settings keep none: intranet.kept)."""
    settings.KEPT_FRAGMENT_SECONDS = 60


@pytest.fixture(autouse=True)
def _french_again():
    """A request in English leaves English active in the thread (the locale middleware activates the
    request's language and nothing switches it back): each test starts and ends in the site's language."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def unit(db):
    return OrgUnitFactory(name="Service des ressources humaines")


@pytest.fixture
def site(db):
    return SiteFactory(name="Siège")


@pytest.fixture
def manager(db, unit, site):
    manager = AgentFactory(
        email="manager@test.local", first_name="Martine", last_name="Encadrante", org_unit=unit, site=site
    )
    unit.head = manager
    unit.save(update_fields=["head"])
    return manager


@pytest.fixture
def agent(db, manager, unit, site):
    return AgentFactory(
        email="agent@test.local", first_name="Hélène", last_name="Dupont", org_unit=unit, site=site, manager=manager
    )


@pytest.fixture
def rh(db):
    return AgentFactory(email="rh@test.local", roles=["rh"])


@pytest.fixture
def communication(db):
    return AgentFactory(email="communication@test.local", roles=["communication"])


@pytest.fixture
def copil(db):
    return AgentFactory(email="copil@test.local", roles=["copil"])


@pytest.fixture
def pilote(db):
    """An action pilot: the actions app makes the role real by giving them a card."""
    return AgentFactory(email="pilote@test.local")


@pytest.fixture
def partenaire(db):
    return AgentFactory(
        email="partenaire@test.local",
        is_external=True,
        organisation="Lycée Jean Zay",
        job_title="Proviseur",
        roles=["partenaire"],
    )


@pytest.fixture
def admin_user(db):
    return AgentFactory(email="admin@test.local", roles=["admin"], is_staff=True, is_superuser=True)


ROLE_FIXTURES = ["agent", "manager", "rh", "communication", "copil", "pilote", "partenaire", "admin_user"]


@pytest.fixture
def users_by_role(request):
    """Every role's user, keyed by the role's fixture name (anonymous is None)."""
    users = {name: request.getfixturevalue(name) for name in ROLE_FIXTURES}
    users["anonymous"] = None
    return users
