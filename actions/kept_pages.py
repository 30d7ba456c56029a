"""The plan's pages kept a minute for everyone who reads them the same way (intranet.kept), with the
models each one shows: a save or a deletion of one of them renews it. Imported when the app is
ready, so that a worker saving a measurement renews them too without ever drawing one."""

from intranet.kept import KeptFragment

# A card's progress is read from its steps, or from its progress indicator's latest measurement.
PLAN_MODELS = (
    "actions.Plan",
    "actions.Objective",
    "actions.ActionCard",
    "actions.Step",
    "actions.Indicator",
    "actions.Measurement",
)

PLAN_OVERVIEW = KeptFragment("actions:plan-overview", changes_with=PLAN_MODELS)
PLAN_CALENDAR = KeptFragment("actions:plan-calendar", changes_with=PLAN_MODELS)
# The card's page below its breadcrumb: its texts, steps, indicators and their authors, pilots
# (agents, units and their heads), history, and the committee's decisions.
CARD_PAGE = KeptFragment(
    "actions:card",
    changes_with=(
        *PLAN_MODELS,
        "actions.SubObjective",
        "actions.CardChange",
        "reviews.Review",
        "reviews.Decision",
        "intranet.Agent",
        "intranet.OrgUnit",
    ),
)
