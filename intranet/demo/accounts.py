"""The demo's accounts: one per role, all with the same public password."""

from dataclasses import dataclass

from intranet.roles import LABELS, Role

DEMO_PASSWORD = "maison-commune"  # noqa: S105 (a public demo password, printed by `make run`)
DEMO_DOMAIN = "demo.local"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    role: Role
    note: str = ""

    @property
    def label(self) -> str:
        label = str(LABELS[self.role])
        return f"{label} ({self.note})" if self.note else label


DEMO_ACCOUNTS = (
    DemoAccount(f"agent@{DEMO_DOMAIN}", Role.AGENT, "service Comptabilité"),
    DemoAccount(f"manager@{DEMO_DOMAIN}", Role.MANAGER, f"responsable d'agent@{DEMO_DOMAIN}"),
    DemoAccount(f"rh@{DEMO_DOMAIN}", Role.HR),
    DemoAccount(f"communication@{DEMO_DOMAIN}", Role.COMMUNICATION),
    DemoAccount(f"copil@{DEMO_DOMAIN}", Role.COPIL),
    DemoAccount(f"pilote@{DEMO_DOMAIN}", Role.PILOT),
    DemoAccount(f"partenaire@{DEMO_DOMAIN}", Role.PARTNER, "proviseur du lycée Jean Zay"),
    DemoAccount(f"admin@{DEMO_DOMAIN}", Role.ADMIN),
)
