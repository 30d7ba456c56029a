from django import template

from actions.models import ActionCard, Step

register = template.Library()

# Bootstrap badge classes whose colours pass WCAG AA contrast with their text.
STATUS_BADGES = {
    ActionCard.Status.TO_START: "text-bg-secondary",
    ActionCard.Status.IN_PROGRESS: "text-bg-primary",
    ActionCard.Status.LATE: "text-bg-danger",
    ActionCard.Status.DONE: "text-bg-success",
    ActionCard.Status.POSTPONED: "text-bg-warning",
    ActionCard.Status.ABANDONED: "text-bg-dark",
}
STEP_BADGES = {
    Step.State.TODO: "text-bg-light border",
    Step.State.IN_PROGRESS: "text-bg-primary",
    Step.State.DONE: "text-bg-success",
    Step.State.CANCELLED: "text-bg-dark",
}


@register.filter
def status_badge(status: str) -> str:
    return STATUS_BADGES.get(status, "text-bg-secondary")


@register.filter
def step_badge(state: str) -> str:
    return STEP_BADGES.get(state, "text-bg-light border")
