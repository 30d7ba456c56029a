from allauth.socialaccount.models import SocialApp, SocialToken
from django.contrib import admin

from identity.services import user_sessions_end
from intranet.admin import AgentAdmin
from intranet.models import Agent

# Identity providers come from the environment (OIDC_PROVIDERS) and their tokens are not
# stored: the admin pages for them would only mislead.
admin.site.unregister(SocialApp)
admin.site.unregister(SocialToken)


class SignOutOnDeactivationAgentAdmin(AgentAdmin):
    """The core's agent admin; an agent deactivated here is signed out everywhere at once."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data and not obj.is_active:
            user_sessions_end(user=obj)


admin.site.unregister(Agent)
admin.site.register(Agent, SignOutOnDeactivationAgentAdmin)
