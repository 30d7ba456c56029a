from allauth.account.forms import AddEmailForm
from django import forms
from django.utils.translation import gettext_lazy as _


class ManagedEmailForm(AddEmailForm):
    """The e-mail address is the agent's login and comes from HR: agents cannot add one."""

    def clean_email(self):
        raise forms.ValidationError(
            _(
                "Votre adresse e-mail professionnelle est gérée par les ressources humaines : "
                "adressez-vous à elles pour la modifier."
            )
        )
