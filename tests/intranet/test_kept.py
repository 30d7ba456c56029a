"""A fragment kept for everyone (intranet.kept): drawn once, renewed when its data changes, never
kept with a reader's own form token, apart for readers who see it differently."""

import pytest
from django.core.cache import cache
from django.utils import translation

from intranet.kept import KeptFragment, model_version_name, renew, version
from intranet.models import OrgUnit
from tests.factories import AgentFactory

pytestmark = pytest.mark.usefixtures("kept_pages")

FRAGMENT = KeptFragment("test-units", changes_with=("intranet.OrgUnit",))


def units_html() -> str:
    return ", ".join(OrgUnit.objects.order_by("name").values_list("name", flat=True))


@pytest.mark.django_db
def test_a_fragment_is_drawn_once_then_read_as_kept(unit, django_assert_num_queries):
    assert FRAGMENT.html("all", render=units_html) == unit.name
    with django_assert_num_queries(0):
        assert FRAGMENT.html("all", render=units_html) == unit.name


@pytest.mark.django_db
def test_a_save_or_a_deletion_renews_it(unit):
    FRAGMENT.html("all", render=units_html)
    unit.name = "Direction des mobilités"
    unit.save()
    assert FRAGMENT.html("all", render=units_html) == "Direction des mobilités"
    unit.delete()
    assert FRAGMENT.html("all", render=units_html) == ""


@pytest.mark.django_db
def test_what_bypasses_the_signals_shows_once_renewed_or_once_its_time_is_up(unit):
    FRAGMENT.html("all", render=units_html)
    OrgUnit.objects.filter(pk=unit.pk).update(name="Pôle ressources")  # no signal
    assert FRAGMENT.html("all", render=units_html) == unit.name  # as kept
    renew(model_version_name("intranet.OrgUnit"))  # what a bulk writer calls
    assert FRAGMENT.html("all", render=units_html) == "Pôle ressources"
    OrgUnit.objects.filter(pk=unit.pk).update(name="Pôle accueil")
    cache.clear()  # its minute is up
    assert FRAGMENT.html("all", render=units_html) == "Pôle accueil"


@pytest.mark.django_db
def test_readers_who_see_it_differently_get_their_own(unit):
    assert FRAGMENT.html("reader", render=lambda: "sans bouton") == "sans bouton"
    assert FRAGMENT.html("editor", render=lambda: "avec bouton") == "avec bouton"
    assert FRAGMENT.html("reader", render=lambda: "jamais lu") == "sans bouton"


@pytest.mark.django_db
def test_a_fragment_holding_a_form_token_is_never_kept():
    form = '<form method="post"><input type="hidden" name="csrfmiddlewaretoken" value="abc"></form>'
    assert FRAGMENT.html("form", render=lambda: form) == form
    assert FRAGMENT.html("form", render=lambda: "redessiné") == "redessiné"


@pytest.mark.django_db
def test_each_language_and_each_day_has_its_own():
    FRAGMENT.html("lang", render=lambda: "Bonjour")
    with translation.override("en"):
        assert FRAGMENT.html("lang", render=lambda: "Hello") == "Hello"
    assert FRAGMENT.html("lang", render=lambda: "jamais lu") == "Bonjour"


@pytest.mark.django_db
def test_nothing_is_kept_when_the_settings_say_so(settings):
    settings.KEPT_FRAGMENT_SECONDS = 0
    FRAGMENT.html("off", render=lambda: "un")
    assert FRAGMENT.html("off", render=lambda: "deux") == "deux"


@pytest.mark.django_db
def test_signing_in_and_the_digests_pass_renew_nothing():
    agent = AgentFactory()
    watched = KeptFragment("test-agents", changes_with=("intranet.Agent",))
    watched.html(render=lambda: "x")
    before = version(model_version_name("intranet.Agent"))
    agent.save(update_fields=["last_login"])
    agent.save(update_fields=["todo_digest_checked_at"])  # the digest's daily pass
    assert version(model_version_name("intranet.Agent")) == before
    agent.save()
    assert version(model_version_name("intranet.Agent")) != before
