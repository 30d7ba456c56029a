from crispy_forms.helper import FormHelper
from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from intranet.text_policy import TextPolicyMixin


class _Crispy:
    def _crispy(self):
        self.helper = FormHelper()
        self.helper.form_tag = False


class PartnerInviteForm(TextPolicyMixin, _Crispy, forms.Form):
    email = forms.EmailField(label=_("Adresse e-mail du partenaire"))
    first_name = forms.CharField(label=_("Prénom"), max_length=100)
    last_name = forms.CharField(label=_("Nom"), max_length=100)
    organisation = forms.CharField(
        label=_("Organisme"), max_length=200, help_text=_("Son établissement : « Lycée Jean-Moulin, Forbach »…")
    )
    expires_on = forms.DateField(
        label=_("Accès jusqu'au"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Au-delà, le partenaire ne peut plus se connecter. Vous confirmerez son accès chaque année."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._crispy()


class PartnerPasswordForm(TextPolicyMixin, _Crispy, forms.Form):
    password1 = forms.CharField(
        label=_("Mot de passe"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label=_("Mot de passe (à nouveau)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        self.fields["password1"].help_text = password_validation.password_validators_help_text_html()
        self._crispy()

    def clean_password2(self):
        first, second = self.cleaned_data.get("password1"), self.cleaned_data.get("password2")
        if first and second and first != second:
            raise forms.ValidationError(_("Les deux mots de passe ne sont pas identiques."))
        if second:
            password_validation.validate_password(second, self.user)
        return second


class PartnerContactForm(TextPolicyMixin, _Crispy, forms.Form):
    organisation = forms.ChoiceField(label=_("Organisme partenaire"))
    agent_email = forms.EmailField(
        label=_("Adresse e-mail de l'agent"), help_text=_("L'agent de l'administration que ce partenaire peut joindre.")
    )
    role = forms.CharField(
        label=_("À contacter pour"), max_length=200, required=False, help_text=_("« Paie des agents TOS »…")
    )

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [("", "---------"), *((name, name) for name in organisations)]
        self._crispy()
