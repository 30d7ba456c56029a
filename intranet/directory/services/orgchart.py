"""HR's edits of the org chart: create, rename and move units, merge one into another.

Every write is one transaction and one audit-log entry. Moving refuses cycles; merging
re-points every relation to OrgUnit in the project (found generically through
`OrgUnit._meta.related_objects`, so a new app's foreign keys and many-to-many fields to
units follow without an edit here) before deleting the merged unit.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from intranet.audiences import unit_ids_with_descendants
from intranet.directory.selectors.orgchart import orgchart_changed
from intranet.models import Agent, OrgUnit, Site
from intranet.services import audit_log_record

UNIT_FIELDS = ("name", "short_name", "kind", "parent", "site", "head")


def orgunit_descendant_ids(*, unit: OrgUnit) -> set[int]:
    """The ids of every unit below `unit` (one query: the tree is loaded whole, 500 units at most)."""
    return unit_ids_with_descendants([unit.pk]) - {unit.pk}


def _check_parent(*, unit: OrgUnit | None, parent: OrgUnit | None) -> None:
    if unit is None or unit.pk is None or parent is None:
        return
    if parent.pk == unit.pk or parent.pk in orgunit_descendant_ids(unit=unit):
        raise ValidationError(
            {
                "parent": _(
                    "« %(parent)s » est « %(unit)s » ou l'une de ses sous-unités : une unité ne peut pas "
                    "être placée sous elle-même."
                )
                % {"parent": parent, "unit": unit}
            }
        )


def _check_name(*, unit: OrgUnit | None, name: str, parent: OrgUnit | None) -> None:
    siblings = OrgUnit.objects.filter(parent=parent, name__iexact=name)
    if unit is not None and unit.pk is not None:
        siblings = siblings.exclude(pk=unit.pk)
    if siblings.exists():
        where = _("sous « %(parent)s »") % {"parent": parent} if parent else _("au premier niveau")
        raise ValidationError(
            {"name": _("Une unité « %(name)s » existe déjà %(where)s.") % {"name": name, "where": where}}
        )


@transaction.atomic
def orgunit_create(
    *,
    user,
    name: str,
    kind: str = OrgUnit.Kind.SERVICE,
    short_name: str = "",
    parent: OrgUnit | None = None,
    site: Site | None = None,
    head: Agent | None = None,
) -> OrgUnit:
    name = name.strip()
    _check_name(unit=None, name=name, parent=parent)
    unit = OrgUnit(name=name, short_name=short_name.strip(), kind=kind, parent=parent, site=site, head=head)
    unit.full_clean()
    unit.save()
    orgchart_changed()
    audit_log_record(
        actor=user, action="orgunit.create", target=unit, details={"parent": str(parent) if parent else None}
    )
    return unit


@transaction.atomic
def orgunit_update(*, user, unit: OrgUnit, data: dict) -> OrgUnit:
    """Rename, move (change of parent: cycles refused), change level, site or head."""
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    data = {key: value for key, value in data.items() if key in UNIT_FIELDS}
    if "name" in data:
        data["name"] = data["name"].strip()
    parent = data.get("parent", unit.parent)
    _check_parent(unit=unit, parent=parent)
    _check_name(unit=unit, name=data.get("name", unit.name), parent=parent)
    changes = {}
    for key, value in data.items():
        old = getattr(unit, key)
        if old != value:
            changes[key] = [str(old) if old is not None else None, str(value) if value is not None else None]
            setattr(unit, key, value)
    if changes:
        unit.full_clean()
        unit.save(update_fields=list(changes))
        orgchart_changed()
        audit_log_record(actor=user, action="orgunit.update", target=unit, details=changes)
    return unit


def _repoint(*, relation, source: OrgUnit, target: OrgUnit) -> int:
    """Point every row that refers to `source` through `relation` at `target`; returns how many."""
    if relation.many_to_many:
        through = relation.through
        source_field = relation.field.m2m_reverse_field_name()  # the through's FK to OrgUnit
        other_field = relation.field.m2m_field_name()  # the through's FK to the model declaring the M2M
        rows = through._default_manager.filter(**{source_field: source.pk})
        already = through._default_manager.filter(**{source_field: target.pk}).values(other_field)
        rows.filter(**{f"{other_field}__in": already}).delete()  # linked to both: keep one link
        return rows.update(**{source_field: target.pk})
    name = relation.field.name
    return relation.related_model._base_manager.filter(**{name: source}).update(**{name: target})


@transaction.atomic
def orgunit_merge(*, user, source: OrgUnit, target: OrgUnit) -> OrgUnit:
    """Merge `source` into `target`: its members, sub-units, and every other row of the
    project that refers to it (action cards' pilot and contributing units…) now refer to
    `target`; `target` takes `source`'s head if it has none; `source` is deleted."""
    source = OrgUnit.objects.select_for_update().get(pk=source.pk)
    target = OrgUnit.objects.select_for_update().get(pk=target.pk)
    orgchart_changed()
    if source.pk == target.pk:
        raise ValidationError({"target": _("Choisissez une autre unité que celle à fusionner.")})
    if target.pk in orgunit_descendant_ids(unit=source):
        raise ValidationError(
            {
                "target": _(
                    "« %(target)s » est une sous-unité de « %(source)s » : déplacez-la "
                    "d'abord, ou fusionnez dans l'autre sens."
                )
                % {"target": target, "source": source}
            }
        )
    clashes = sorted(
        set(source.children.values_list("name", flat=True)) & set(target.children.values_list("name", flat=True))
    )
    if clashes:
        raise ValidationError(
            {
                "target": _(
                    "« %(target)s » a déjà des sous-unités du même nom : %(names)s. "
                    "Renommez-les ou fusionnez-les d'abord."
                )
                % {"target": target, "names": ", ".join(f"« {name} »" for name in clashes)}
            }
        )
    moved: dict[str, int] = {}
    try:
        with transaction.atomic():
            for relation in OrgUnit._meta.related_objects:
                count = _repoint(relation=relation, source=source, target=target)
                if count:
                    moved[f"{relation.related_model._meta.label}.{relation.field.name}"] = count
            for m2m in OrgUnit._meta.many_to_many:  # forward many-to-many fields, if a unit ever has some
                getattr(target, m2m.name).add(*getattr(source, m2m.name).all())
            if target.head_id is None and source.head_id is not None:
                target.head_id = source.head_id
                target.save(update_fields=["head"])
                moved["head"] = 1
            label = str(source)
            source_pk = source.pk
            source.delete()
    except (IntegrityError, models.ProtectedError) as error:
        raise ValidationError(
            _(
                "La fusion est impossible : des données liées à « %(source)s » ne peuvent pas être "
                "rattachées à « %(target)s » (%(error)s)."
            )
            % {"source": source, "target": target, "error": error}
        ) from error
    audit_log_record(
        actor=user,
        action="orgunit.merge",
        target=target,
        details={"merged": label, "merged_id": source_pk, "moved": moved},
    )
    return target
