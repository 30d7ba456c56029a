from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from actions.models import ActionCard
from actions.reviews.models import Decision
from actions.reviews.services.common import TEXT_MAX
from intranet.text_policy import TextPolicyMixin


class ReviewForm(TextPolicyMixin, forms.Form):
    year = forms.IntegerField(label=_("Année évaluée"), min_value=2000, max_value=2100)
    date = forms.DateField(label=_("Date de la séance du comité"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year


class SelfAssessmentForm(TextPolicyMixin, forms.Form):
    assessment = forms.CharField(
        label=_("Comment l'action s'est-elle déroulée cette année ?"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    difficulties = forms.CharField(
        label=_("Difficultés rencontrées"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    next_steps = forms.CharField(
        label=_("Prochaines étapes proposées"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class DecisionForm(TextPolicyMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Décision du comité"), choices=Decision.Choice.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Commentaire du comité"), required=False, max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 4})
    )


class ProposalForm(TextPolicyMixin, forms.Form):
    card = forms.ModelChoiceField(label=_("Fiche action"), queryset=ActionCard.objects.none())
    text = forms.CharField(label=_("Votre proposition"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        cards = ActionCard.objects.none() if plan is None else plan.cards.order_by("objective__number", "position")
        self.fields["card"].queryset = cards
        self.fields["card"].label_from_instance = lambda card: f"{card.number} – {card.title}"


class ReviewCloseForm(TextPolicyMixin, forms.Form):
    """Closing is final: the person ticks that they have read what it leaves undecided."""

    confirm = forms.BooleanField(
        label=_("Je confirme la clôture définitive de la revue"),
        error_messages={"required": _("Cochez la case pour confirmer la clôture.")},
    )

    def __init__(self, *args, undecided: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        if undecided:
            self.fields["confirm"].label = ngettext(
                "Je clôture la revue en laissant %(count)s fiche sans décision",
                "Je clôture la revue en laissant %(count)s fiches sans décision",
                undecided,
            ) % {"count": undecided}
