from allauth.socialaccount.adapter import get_adapter
from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def sign_in_providers(context) -> list[dict]:
    """The identity providers the sign-in page offers, in the configured order."""
    request = context["request"]
    return [
        {
            "name": provider.name,
            "url": provider.get_login_url(request),
            "proconnect": provider.app.provider_id == "proconnect",
        }
        for provider in get_adapter().list_providers(request)
        if provider.id == "openid_connect"
    ]
