"""Demo data: a believable administration for `make run`, the demos and the benchmarks.

`demo_seed(agents=1350)` builds a région-like administration: sites (the Hôtel de Région,
antennes, a centre technique, a crèche and lycées in Lorraine and Alsace), an org chart
(Direction générale des services > pôles > directions > services, plus one team of TOS
agents per lycée), agents with French names, generated avatar photos, skills, and one
demo account per role. Everybody's password is `maison-commune`.

It is deterministic (a seeded `random.Random`; only the dates follow today) and
idempotent: when the demo accounts exist it builds nothing. Other apps add their own demo
data with a `DemoSeed` of the registry; it runs on every call and must therefore be
idempotent and fast when its data already exists.

What it builds is data in `intranet.demo_data`; building it, one module per subject:

- `accounts`: the demo accounts and their password;
- `orgchart`: the sites and the org chart, sized for the agents asked for;
- `agents`: the agents themselves, the lycées' partners, arrivals, departures, skills;
- `avatars`: the avatar photos;
- `seeding`: the whole build, the top-up, and `demo_seed`.
"""

from intranet.demo.accounts import DEMO_ACCOUNTS, DEMO_DOMAIN, DEMO_PASSWORD, DemoAccount
from intranet.demo.avatars import AVATAR_SIZE, avatar_jpeg
from intranet.demo.orgchart import DEFAULT_AGENTS, demo_unit_count
from intranet.demo.seeding import DemoSeedResult, demo_administration_build, demo_agents_top_up, demo_seed

__all__ = [
    "AVATAR_SIZE",
    "DEFAULT_AGENTS",
    "DEMO_ACCOUNTS",
    "DEMO_DOMAIN",
    "DEMO_PASSWORD",
    "DemoAccount",
    "DemoSeedResult",
    "avatar_jpeg",
    "demo_administration_build",
    "demo_agents_top_up",
    "demo_seed",
    "demo_unit_count",
]
