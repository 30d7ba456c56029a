"""Audiences: who a newsletter, a survey or a mailing is addressed to, shared by every app.

An audience is a small JSON-able spec (`AudienceSpec`), stored by the app that uses it and
resolved to agents with `audience_agents(spec=...)` at the moment it matters (the send, the
invitation), so the app can freeze the result as its own rows.

The rule, said once:
- the internal part starts from every active internal agent when `everyone` is set or any filter
  is given; each filter (units with their sub-units, sites, categories, roles) then restricts it,
  several values of one filter meaning "any of them": "site Lycée Fabert AND category C";
- `except_sites` then leaves out of that internal part the agents of those sites (« the audience,
  except the sites that have their own invitation »);
- the agents listed by hand are added, and external partners too when `partners` is set.

One module per subject, their names re-exported here (every app uses them):

- `spec`: the spec, the agents it resolves to, its description;
- `form`: the form that chooses an audience;
- `members`: whether one agent is in an audience (the same rule, read the other way).
"""

from intranet.audiences.form import AudienceForm
from intranet.audiences.members import AudienceMember, audience_includes, audience_member
from intranet.audiences.spec import (
    AUDIENCE_ROLES,
    ROLE_LABELS,
    AudienceSpec,
    audience_agents,
    audience_describe,
    audience_is_every_agent,
    unit_ids_with_descendants,
)

__all__ = [
    "AUDIENCE_ROLES",
    "ROLE_LABELS",
    "AudienceForm",
    "AudienceMember",
    "AudienceSpec",
    "audience_agents",
    "audience_describe",
    "audience_includes",
    "audience_is_every_agent",
    "audience_member",
    "unit_ids_with_descendants",
]
