from allauth.account.internal.decorators import login_not_required
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView
from django.http import Http404
from django.views.decorators.http import require_POST

from identity.oidc.provider import OIDCAdapter


class OIDCCallbackView(OAuth2CallbackView):
    def _get_state(self, request, provider):
        state, response = super()._get_state(request, provider)
        self.adapter.state = state
        return state, response


def _adapter(request, provider_id):
    return OIDCAdapter(request, provider_id)


@require_POST  # a GET could start a sign-in from another site (login CSRF); the form posts its token
@login_not_required
def oidc_login(request, provider_id):
    try:
        return OAuth2LoginView.adapter_view(_adapter(request, provider_id))(request)
    except SocialApp.DoesNotExist:
        raise Http404 from None


@login_not_required
def oidc_callback(request, provider_id):
    try:
        return OIDCCallbackView.adapter_view(_adapter(request, provider_id))(request)
    except SocialApp.DoesNotExist:
        raise Http404 from None
