"""Demo data for the projet d'administration: the real Mad & Moselle plan (seed 001), with
pilots taken among the demo agents and a believable history of progress — steps done,
a few late cards, a few left without follow-up for months, and five years of indicator
values. Deterministic (a fixed random seed), and a no-op when the demo data is there."""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from actions.models import ActionCard, CardChange, Indicator, Measurement, Step
from actions.services.cards import card_pilots_set, card_update
from actions.services.indicators import measurement_record
from actions.services.plan_loading import plan_data_read, plan_load
from actions.services.steps import card_step_set_state
from intranet.models import Agent, OrgUnit

SEED = 1
PILOT_EMAIL = "pilote@demo.local"
PILOT_CARDS = ("1.1", "5.1", "5.2")
YEARS_OF_MEASUREMENTS = 5

# Demo units by the words of the plan's "ressources" and "pilote" texts.
UNIT_KEYWORDS = (
    ("ressources humaines", ("ressources humaines",)),
    ("responsable rh", ("ressources humaines",)),
    ("communication", ("communication",)),
    ("numérique", ("numérique",)),
    ("dga", ("pôle ressources",)),
    ("dgs", ("direction générale",)),
)

# Indicators the plan words as a count, a volume or a rate: their unit, baseline, target,
# direction, whether they accumulate, and how often they are measured (months).
QUANTIFIED = {
    "Nombre d'actions réalisées": ("actions", 0, 12, "higher", True, 1),
    "Fréquentation des agents": ("% des agents", 35, 70, "higher", False, 3),
    "Questionnaire de satisfaction pour évaluer la qualité du lien CC / communes": (
        "% satisfaits",
        52,
        80,
        "higher",
        False,
        12,
    ),
    "Nombre d'élus formés": ("élus", 0, 30, "higher", True, 1),
    "Nombres de jours de formation": ("jours", 0, 600, "higher", True, 1),
    "Volume des mails": ("mails par agent et par jour", 48, 30, "lower", False, 1),
    "Nombre de doléances/ délai de réponse": ("jours de délai moyen", 21, 10, "lower", False, 1),
    "Nombre de personnes formées": ("agents", 0, 120, "higher", True, 1),
    "Nombre de jours de formations": ("jours", 0, 200, "higher", True, 1),
    "Nombre d'initiative relevées, d'expérimentation": ("initiatives", 0, 40, "higher", True, 1),
    "Nombre de projets collaboratifs": ("projets", 0, 25, "higher", True, 1),
    "Grille de satisfaction des agents/ retour": ("% satisfaits", 60, 85, "higher", False, 6),
    "Nombre de « vis ma vie » organisés": ("immersions", 0, 60, "higher", True, 1),
    "Grille de satisfaction (retour des agents)": ("% satisfaits", 62, 88, "higher", False, 6),
}

# The story of the demo plan: cards late, postponed, abandoned, not followed up for months.
LATE = ("1.3", "3.2", "4.2")
POSTPONED = ("2.1",)
ABANDONED = ("3.4",)
TO_START = ("4.6",)
DONE = ("1.1", "2.2", "2.4", "4.1", "5.2", "5.4", "1.4")
STALE = ("1.3", "2.6", "4.4", "4.6")
BY_INDICATOR = {
    "4.3": "Nombre de personnes formées",
    "5.3": "Nombre de « vis ma vie » organisés",
    "4.7": "Nombre de projets collaboratifs",
}


def demo_seed(*, stdout) -> None:
    data = plan_data_read()
    if Measurement.objects.filter(indicator__card__plan__slug=data["slug"]).exists():
        stdout.write("Projet d'administration : déjà chargé.\n")
        return
    with transaction.atomic():
        plan = plan_load(data=data)
        rng = random.Random(SEED)  # noqa: S311 (demo data, reproducible on purpose)
        today = timezone.localdate()
        cards = list(plan.cards.select_related("objective").prefetch_related("steps", "indicators"))
        hr = Agent.objects.filter(email="rh@demo.local").first()
        follow_up = {
            card.number: rng.randint(100, 300) if card.number in STALE else rng.randint(1, 60) for card in cards
        }
        _pilots_assign(cards=cards, rng=rng)
        for card in cards:
            _card_story(card=card, rng=rng, today=today, editor=hr)
        measurements = sum(
            _measurements_add(card=card, rng=rng, until=today - timedelta(days=follow_up[card.number]), author=hr)
            for card in cards
        )
        _follow_up_dates(cards=cards, follow_up=follow_up, rng=rng)
    stdout.write(f"Projet d'administration : {len(cards)} fiches actions, {measurements} mesures d'indicateurs.\n")


# Indicators of the plan fed by another module in the demo: (card, indicator) → (source key, the
# label of the source's argument: a survey's, a campaign's or an event's title, from the other apps'
# demos).
DEMO_SOURCES = {
    # Seed 000's information meetings: the share of the agents invited who came (their check-ins).
    ("1.2", "Fréquentation des agents"): (
        "events.participation",
        "Réunions d'information des personnels TOS",
    ),
    ("5.1", "Grille de satisfaction des agents/ retour"): (
        "surveys.satisfaction",
        "Réunions d'information des personnels TOS : votre avis",
    ),
    ("5.2", "Grille de satisfaction des agents/ retour"): (
        "surveys.satisfaction",
        "Votre intranet Maison commune : premier avis",
    ),
    ("5.3", "Grille de satisfaction des agents/ retour"): (
        "shadowing.satisfaction",
        "Montre-moi ton job – saison passée",
    ),
}


def demo_sources_seed(*, stdout) -> None:
    """Point the demo's indicators at the modules that feed them and record today's values (after
    the other apps' demos: the surveys' answers and the job-shadowing campaign's evaluations).
    Idempotent: only indicators still entered by hand are pointed; today's values once a day."""
    from actions.indicator_sources import indicator_source_get
    from actions.services.indicators import indicator_refresh_from_sources

    slug = plan_data_read()["slug"]
    fed, missing = [], []
    for (number, definition), (key, label) in DEMO_SOURCES.items():
        indicator = Indicator.objects.filter(card__plan__slug=slug, card__number=number, definition=definition).first()
        source = indicator_source_get(key)
        if indicator is None or source is None:
            continue
        if not indicator.source:
            argument = next((arg for arg, text in (source.choices or list)() if text == label), None)
            if argument is None:
                missing.append(label)
                continue
            Indicator.objects.filter(pk=indicator.pk).update(source=f"{key}:{argument}")
        fed.append(indicator.pk)
    if not fed:
        return
    counts = indicator_refresh_from_sources(indicators=Indicator.objects.filter(pk__in=fed))
    stdout.write(
        f"Projet d'administration : {len(fed)} indicateurs alimentés par les enquêtes, les événements "
        "et « Montre-moi ton job », "
        f"{counts['recorded']} valeur(s) relevée(s) aujourd'hui, {counts['unchanged']} inchangée(s).\n"
    )
    if missing or counts["unknown"] or counts["failed"]:
        stdout.write(
            f"Projet d'administration : sans valeur pour {counts['unknown'] + counts['failed'] + len(missing)} "
            "indicateur(s) alimenté(s).\n"
        )


def _units_for(text: str, units: list[OrgUnit]) -> list[OrgUnit]:
    text = text.lower()
    found = []
    for keyword, names in UNIT_KEYWORDS:
        if keyword in text:
            for unit in units:
                if any(unit.name.lower().startswith(name) for name in names) and unit not in found:
                    found.append(unit)
    return found


def _pilots_assign(*, cards, rng) -> None:
    units = list(OrgUnit.objects.select_related("head"))
    pilot = Agent.objects.filter(email=PILOT_EMAIL).first()
    for card in cards:
        named = _units_for(card.pilot_label, units) or _units_for(card.resources, units)
        pilot_units = named[:1]
        contributing = [u for u in _units_for(card.resources, units) if u not in pilot_units]
        agents = [pilot] if pilot and card.number in PILOT_CARDS else []
        card_pilots_set(card=card, user=None, agents=agents, units=pilot_units)
        card.contributing_units.set(contributing)


def _card_story(*, card: ActionCard, rng, today: date, editor) -> None:
    Status = ActionCard.Status
    start = today - timedelta(days=rng.randint(900, 1700))
    end = start + timedelta(days=rng.randint(400, 1100))
    steps = list(card.steps.all())
    if card.number in DONE:
        status, done = Status.DONE, len(steps)
        end = min(end, today - timedelta(days=rng.randint(30, 400)))
    elif card.number in LATE:
        status, done = Status.LATE, max(0, len(steps) // 2 - 1)
        end = today - timedelta(days=rng.randint(40, 200))
    elif card.number in POSTPONED:
        status, done = Status.POSTPONED, 1
        end = today + timedelta(days=rng.randint(200, 400))
    elif card.number in ABANDONED:
        status, done = Status.ABANDONED, 2
    elif card.number in TO_START:
        status, done = Status.TO_START, 0
        start, end = today + timedelta(days=60), today + timedelta(days=500)
    else:
        status, done = Status.IN_PROGRESS, rng.randint(min(1, len(steps) - 1), max(0, len(steps) - 1))
        end = max(end, today + timedelta(days=rng.randint(60, 400)))
    end = max(end, start)
    for step in steps:
        due = start + (end - start) * step.position // max(1, len(steps))
        if step.position <= done:
            state = Step.State.DONE
        elif step.position == done + 1 and status in (Status.IN_PROGRESS, Status.LATE):
            state = Step.State.IN_PROGRESS
        else:
            state = Step.State.TODO
        card_step_set_state(step=step, user=editor, state=state, due_date=due)
    changes = {"status": status, "start_date": start, "end_date": end}
    indicator_name = BY_INDICATOR.get(card.number)
    if indicator_name:
        indicator = next((i for i in card.indicators.all() if i.definition == indicator_name), None)
        if indicator:
            _indicator_quantify(indicator)
            changes.update(progress_mode=ActionCard.ProgressMode.INDICATOR, progress_indicator=indicator)
    card_update(card=card, user=editor, data=changes)


def _indicator_quantify(indicator: Indicator) -> tuple | None:
    spec = QUANTIFIED.get(indicator.definition)
    if spec is None:
        return None
    unit, baseline, target, direction, _cumulative, _every = spec
    if indicator.target is None:
        indicator.unit, indicator.direction = unit, direction
        indicator.baseline, indicator.target = Decimal(baseline), Decimal(target)
        indicator.save(update_fields=["unit", "direction", "baseline", "target"])
    return spec


def _measurements_add(*, card: ActionCard, rng, until: date, author) -> int:
    """Five years of values, monthly (or quarterly, half-yearly, yearly for surveys):
    old values in bulk, the last three through `measurement_record` so they show in the
    card's history."""
    count = 0
    reach = 1.0 if card.status == ActionCard.Status.DONE else rng.uniform(0.35, 0.9)
    if card.status == ActionCard.Status.TO_START:
        return 0
    for indicator in card.indicators.all():
        spec = _indicator_quantify(indicator)
        if spec is None:
            continue
        _unit, baseline, target, _direction, cumulative, every = spec
        months = YEARS_OF_MEASUREMENTS * 12
        points = []
        for month in range(months, -1, -every):
            when = _months_before(until, month)
            t = 1 - month / months
            level = baseline + (target - baseline) * reach * (t if cumulative else t**0.7)
            noise = 0 if cumulative else rng.uniform(-0.06, 0.06) * abs(target - baseline)
            value = max(0, level + noise)
            points.append((when, Decimal(str(round(value, 0 if cumulative else 1)))))
        old, recent = points[:-3], points[-3:]
        Measurement.objects.bulk_create(
            [Measurement(indicator=indicator, date=when, value=value, author=author) for when, value in old],
            ignore_conflicts=True,
        )
        for when, value in recent:
            measurement_record(
                indicator=indicator,
                user=author,
                date=when,
                value=value,
                comment="Relevé du tableau de bord" if rng.random() < 0.5 else "",
            )
        count += len(points)
    return count


def _months_before(today: date, months: int) -> date:
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    return date(year, month + 1, 1)


def _follow_up_dates(*, cards, follow_up: dict[str, int], rng) -> None:
    """Spread the history over time: most cards were followed up in the last weeks; the
    stale ones last moved four to ten months ago (as did their history)."""
    now = timezone.now()
    for card in cards:
        at = now - timedelta(days=follow_up[card.number], hours=rng.randint(0, 8))
        ActionCard.objects.filter(pk=card.pk).update(updated_at=at)
        CardChange.objects.filter(card=card, at__gt=at).update(at=at)
