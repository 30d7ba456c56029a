"""The feuille d'émargement of a journée d'intégration (PDF, rendered in the request: a
few dozen rows on a simple table)."""

from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML

from onboarding.models import IntegrationDay, Invitation


def attendance_sheet_pdf(*, session: IntegrationDay) -> bytes:
    from onboarding.services import guide_settings

    invited = (
        session.invitations.filter(status=Invitation.Status.INVITED)
        .select_related("arrival__agent__org_unit")
        .order_by("arrival__agent__last_name", "arrival__agent__first_name")
    )
    html = render_to_string(
        "onboarding/pdf/attendance_sheet.html",
        {
            "session": session,
            "invited": invited,
            "identity": guide_settings(),
            "printed_on": timezone.localdate(),
        },
    )
    return HTML(string=html).write_pdf()
