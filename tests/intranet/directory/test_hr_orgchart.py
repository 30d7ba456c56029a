"""HR's edits of the org chart: create, rename, move (no cycles), merge (every relation follows)."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from intranet.directory.services.orgchart import orgunit_create, orgunit_merge, orgunit_update
from intranet.models import AuditLogEntry, OrgUnit
from tests.actions.factories import ActionCardFactory
from tests.factories import AgentFactory, OrgUnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(db):
    pole = OrgUnitFactory(name="Pôle ressources", kind=OrgUnit.Kind.POLE)
    direction = OrgUnitFactory(name="Direction des finances", kind=OrgUnit.Kind.DIRECTION, parent=pole)
    service = OrgUnitFactory(name="Comptabilité", parent=direction)
    return pole, direction, service


def test_create_and_rename_are_audited(rh, tree):
    pole = tree[0]
    unit = orgunit_create(user=rh, name=" Paie ", parent=pole)
    assert unit.name == "Paie"
    assert unit.parent == pole
    orgunit_update(user=rh, unit=unit, data={"name": "Paie et carrières"})
    unit.refresh_from_db()
    assert unit.name == "Paie et carrières"
    assert list(AuditLogEntry.objects.order_by("pk").values_list("action", flat=True)) == [
        "orgunit.create",
        "orgunit.update",
    ]


def test_a_duplicate_name_under_the_same_parent_is_refused(rh, tree):
    with pytest.raises(ValidationError, match="existe déjà sous « Direction des finances »"):
        orgunit_create(user=rh, name="comptabilité", parent=tree[1])


def test_move_refuses_a_cycle(rh, tree):
    pole, direction, service = tree
    with pytest.raises(ValidationError, match="ne peut pas être placée sous elle-même"):
        orgunit_update(user=rh, unit=pole, data={"parent": service})
    with pytest.raises(ValidationError):
        orgunit_update(user=rh, unit=pole, data={"parent": pole})
    pole.refresh_from_db()
    assert pole.parent is None


def test_move_changes_the_parent(rh, tree):
    pole, direction, service = tree
    orgunit_update(user=rh, unit=service, data={"parent": pole})
    service.refresh_from_db()
    assert service.parent == pole


def test_merge_repoints_members_sub_units_head_and_other_apps_relations(rh, tree):
    pole, direction, service = tree
    target = OrgUnitFactory(name="Direction des ressources", parent=pole)
    head = AgentFactory(org_unit=direction)
    direction.head = head
    direction.save(update_fields=["head"])
    member = AgentFactory(org_unit=direction)
    card = ActionCardFactory()
    card.pilot_units.add(direction)
    card.contributing_units.add(direction, target)  # linked to both: one link is kept
    other_card = ActionCardFactory()
    other_card.contributing_units.add(direction)

    orgunit_merge(user=rh, source=direction, target=target)

    assert not OrgUnit.objects.filter(pk=direction.pk).exists()
    member.refresh_from_db()
    service.refresh_from_db()
    target.refresh_from_db()
    assert member.org_unit == target
    assert service.parent == target
    assert target.head == head
    assert list(card.pilot_units.all()) == [target]
    assert list(card.contributing_units.all()) == [target]
    assert list(other_card.contributing_units.all()) == [target]
    entry = AuditLogEntry.objects.get(action="orgunit.merge")
    assert entry.details["merged"] == "Direction des finances"


def test_merge_into_its_own_sub_unit_or_itself_is_refused(rh, tree):
    pole, direction, service = tree
    with pytest.raises(ValidationError, match="est une sous-unité de"):
        orgunit_merge(user=rh, source=pole, target=service)
    with pytest.raises(ValidationError, match="une autre unité"):
        orgunit_merge(user=rh, source=pole, target=pole)


def test_merge_refuses_sub_units_with_the_same_name(rh, tree):
    pole, direction, service = tree
    target = OrgUnitFactory(name="Direction bis", parent=pole)
    OrgUnitFactory(name="Comptabilité", parent=target)
    with pytest.raises(ValidationError, match="sous-unités du même nom : « Comptabilité »"):
        orgunit_merge(user=rh, source=direction, target=target)
    assert OrgUnit.objects.filter(pk=direction.pk).exists()


def test_the_edit_page_shows_the_cycle_error_in_french(client, rh, tree):
    pole, direction, service = tree
    client.force_login(rh)
    url = reverse("directory:hr-unit-edit", kwargs={"pk": direction.pk})
    page = client.get(url).content.decode()
    assert f'value="{service.pk}"' not in page  # its own sub-units are not offered as parents
    response = client.post(url, {"name": "Direction des finances", "kind": "direction", "parent": service.pk})
    assert response.status_code == 200
    assert "ne peut pas être rattachée à elle-même ni à l&#x27;une de ses sous-unités" in response.content.decode()


def test_the_pages_create_edit_and_merge(client, rh, tree):
    pole, direction, service = tree
    client.force_login(rh)
    response = client.post(
        reverse("directory:hr-unit-create"), {"name": "Marchés", "kind": "service", "parent": direction.pk}
    )
    assert response.status_code == 302
    marches = OrgUnit.objects.get(name="Marchés")
    assert marches.parent == direction
    response = client.post(
        reverse("directory:hr-unit-edit", kwargs={"pk": marches.pk}),
        {"name": "Marchés publics", "kind": "service", "parent": pole.pk},
    )
    assert response.status_code == 302
    marches.refresh_from_db()
    assert (marches.name, marches.parent) == ("Marchés publics", pole)
    response = client.post(reverse("directory:hr-unit-merge", kwargs={"pk": marches.pk}), {"target": service.pk})
    assert response.status_code == 302
    assert not OrgUnit.objects.filter(pk=marches.pk).exists()


def test_the_head_is_searched_among_everyone_but_must_be_a_member(client, rh, tree):
    pole, direction, service = tree
    member, outsider = AgentFactory(org_unit=service, last_name="Membre"), AgentFactory(org_unit=pole)
    client.force_login(rh)
    url = reverse("directory:hr-unit-edit", kwargs={"pk": service.pk})
    page = client.get(url).text
    assert f'data-picker="{reverse("intranet:picker-agents")}"' in page  # searched as one types, not listed
    head_select = re.search(r'<select name="head".*?</select>', page, re.S)
    assert head_select is not None
    assert f'value="{member.pk}"' not in head_select.group()  # no <option> per member (a unit may share the id)
    data = {"name": "Comptabilité", "kind": service.kind, "parent": direction.pk}
    response = client.post(url, {**data, "head": outsider.pk})
    assert "Cet agent n&#x27;est pas membre du service" in response.text
    service.refresh_from_db()
    assert service.head is None
    client.post(url, {**data, "head": member.pk})
    service.refresh_from_db()
    assert service.head == member
