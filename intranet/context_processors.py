from django.conf import settings

from intranet.registry import registry


def site(request):
    """The administration's name and the navigation the current user may see."""
    user = getattr(request, "user", None)
    return {
        "SITE_NAME": settings.SITE_NAME,
        "CONTACT_EMAIL": settings.CONTACT_EMAIL,
        "DPO_EMAIL": settings.DPO_EMAIL,
        "nav_items": registry.nav_for(user) if user is not None and user.is_authenticated else [],
    }
