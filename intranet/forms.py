from allauth.account import forms as allauth_forms
from allauth.account.forms import AddEmailForm
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout
from django import forms
from django.utils.translation import gettext_lazy as _

from intranet import retention
from intranet.text_policy import TextPolicyMixin


class InlineFormMixin:
    """A small form on one line of a list (a step's state, a refusal's reason, a filter): crispy
    renders each field as a column of the template's `row`, whose last column holds the button;
    `inline_columns` gives a field a column class other than `col-auto`. Several such forms on
    one page keep their ids apart through `auto_id` (« etape-12-%s »)."""

    inline_columns: dict[str, str] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.wrapper_class = "inline-field"
        self.helper.layout = Layout(
            *(Column(name, css_class=self.inline_columns.get(name, "col-auto")) for name in self.fields)
        )


class ManagedEmailForm(TextPolicyMixin, AddEmailForm):
    """The e-mail address is the agent's login and comes from HR: agents cannot add one."""

    def clean_email(self):
        raise forms.ValidationError(
            _(
                "Votre adresse e-mail professionnelle est gérée par les ressources humaines : "
                "adressez-vous à elles pour la modifier."
            )
        )


class LoginForm(TextPolicyMixin, allauth_forms.LoginForm):
    """allauth's sign-in form, with its form-wide errors (« adresse ou mot de passe incorrect »,
    too many attempts) tied to the e-mail field, as GOV.UK's sign-in pattern does: the error
    summary links to the field and the field's `aria-describedby` names the message."""

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError as error:
            self.add_error("login", error)
            return self.cleaned_data


class TodoDigestForm(TextPolicyMixin, forms.ModelForm):
    """The weekly « À faire » e-mail: on or off (the « À faire » page)."""

    class Meta:
        from intranet.models import Agent

        model = Agent
        fields = ["todo_digest"]


class RetentionForm(TextPolicyMixin, forms.Form):
    """One period (in days) per retention rule, for HR (intranet.retention)."""

    def __init__(self, *args, rules, periods, **kwargs):
        super().__init__(*args, **kwargs)
        self.rules = rules
        for rule in rules:
            self.fields[rule.key] = forms.IntegerField(
                label=rule.label,
                min_value=0,
                max_value=retention.MAX_DAYS,
                initial=periods[rule.key],
                help_text=_("En jours. Par défaut : %(days)s. %(basis)s")
                % {"days": rule.default_days, "basis": rule.basis},
            )


class SearchForm(TextPolicyMixin, InlineFormMixin, forms.Form):
    """The search page's words and kind of result (the kinds the person may search)."""

    q = forms.CharField(
        label=_("Rechercher un agent, une page, un document"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    type = forms.ChoiceField(label=_("Type de résultat"), required=False)
    inline_columns = {"q": "col-sm-7 col-lg-5", "type": "col-sm-5 col-lg-3"}

    def __init__(self, *args, kinds=(), **kwargs):
        kwargs.setdefault("auto_id", "recherche-%s")
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = [("", _("Tous les types")), *((kind.key, kind.label) for kind in kinds)]
