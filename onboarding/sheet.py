"""The feuille d'émargement of a journée d'intégration (PDF, rendered in the request: a
few dozen rows on a simple table)."""

from django.utils import timezone

from intranet.pdf import pdf_render
from onboarding.models import IntegrationDay, Invitation


def attendance_sheet_pdf(*, session: IntegrationDay) -> bytes:
    from onboarding.services.welcome_guide import guide_settings

    invited = (
        session.invitations.filter(status=Invitation.Status.INVITED)
        .select_related("arrival__agent__org_unit")
        .order_by("arrival__agent__last_name", "arrival__agent__first_name")
    )
    return pdf_render(
        "onboarding/pdf/attendance_sheet.html",
        {
            "session": session,
            "invited": invited,
            "identity": guide_settings(),
            "printed_on": timezone.localdate(),
        },
    )
