"""Who may do what with the projet d'administration. Views and services ask these rules;
templates receive their answers and never decide on their own.

- every internal agent reads the plan (external partners do not; anonymous users log in);
- a card's pilots edit that card and record its indicators' values: the agents named
  on the card, and the heads of the units named as pilots (so a card survives turnover);
- the steering committee (comité de pilotage) runs the reviews;
- HR and administrators manage the whole plan (and may edit every card).
"""

from intranet.roles import Role, has_role, is_internal, roles_of


def can_read_plan(user) -> bool:
    return is_internal(user)


def can_manage_plan(user) -> bool:
    return is_internal(user) and has_role(user, Role.HR, Role.ADMIN)


def can_review_plan(user) -> bool:
    return is_internal(user) and has_role(user, Role.COPIL, Role.ADMIN)


def is_card_pilot(user, card) -> bool:
    """Named on the card, or head of one of its pilot units. Uses the card's prefetched
    pilots when the selector loaded them."""
    if not is_internal(user):
        return False
    if any(agent.pk == user.pk for agent in card.pilot_agents.all()):
        return True
    return any(unit.head_id == user.pk for unit in card.pilot_units.all())


def can_edit_card(user, card) -> bool:
    return can_manage_plan(user) or is_card_pilot(user, card)


def can_record_measurement(user, indicator) -> bool:
    return can_edit_card(user, indicator.card)


def is_pilot(user) -> bool:
    """The derived role "pilot": pilots at least one card, directly or as a unit head."""
    from actions.models import ActionCard

    return ActionCard.objects.piloted_by(user).exists()


def can_follow_my_cards(user) -> bool:
    """The "Mes actions" page: internal agents who pilot at least one card (the derived role,
    cached with the user's roles; administrators who pilot nothing do not get the page)."""
    return is_internal(user) and Role.PILOT in roles_of(user)
