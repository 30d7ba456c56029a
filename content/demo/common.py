"""What the content demo's subjects share: paragraphs of text and the audiences."""

from __future__ import annotations

from intranet.audiences import AudienceSpec
from intranet.roles import Role

DEMO_MARK = "demo-content"


def _p(*paragraphs: str) -> str:
    return "".join(f"<p>{text}</p>" for text in paragraphs)


EVERYONE = AudienceSpec(everyone=True)
MANAGERS = AudienceSpec(roles=(Role.MANAGER.value,))
WITH_PARTNERS = AudienceSpec(everyone=True, partners=True)
