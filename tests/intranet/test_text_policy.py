"""Bad input is refused, once and for every form (issue 13, item 7): control and bidi characters
in any free text (newlines allowed where the text has several lines), phone numbers in French or
international formats only, a length limit on every long text — with French errors tied to the
fields. One mixin (intranet.text_policy.TextPolicyMixin) on every form of the project; the
parametrised test below walks every Form and ModelForm class the apps define."""

import importlib
import pkgutil

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.urls import reverse

from intranet.text_policy import RICH_TEXT_MAX, TextPolicyMixin, text_policy_errors
from newsletters.models import Issue
from surveys.models import Answer, Question
from tests.surveys.factories import InvitationFactory, QuestionFactory, SectionFactory, SurveyFactory

BAD = {
    "escape": "\x1b[31mrouge",
    "bell": "ding\x07",
    "right-to-left override": "fichier\u202etxt.exe",
    "zero-width space": "mot\u200bcaché",
    "nul": "a\x00b",
}


def _project_form_classes() -> list[type]:
    """Every Form and ModelForm class defined in the project's own apps."""
    local = [
        config
        for config in apps.get_app_configs()
        if str(config.path).startswith(str(settings.BASE_DIR)) and "site-packages" not in str(config.path)
    ]
    for config in local:
        package = importlib.import_module(config.name)
        for module in pkgutil.walk_packages(package.__path__, prefix=f"{config.name}."):
            if any(part in module.name for part in (".migrations", ".management", "wsgi", "asgi")):
                continue
            importlib.import_module(module.name)
    prefixes = tuple(f"{config.name}." for config in local)

    def walk(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from walk(sub)

    found = {cls for cls in walk(forms.BaseForm) if cls.__module__.startswith(prefixes)}
    return sorted(found, key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


FORM_CLASSES = _project_form_classes()


def _bare(form_class, data):
    """The form with its declared and model fields, bound to `data`, without its own __init__
    (which needs a survey, an issue, a user…): the policy reads the fields, nothing else."""
    form = form_class.__new__(form_class)
    base = forms.BaseModelForm if issubclass(form_class, forms.BaseModelForm) else forms.BaseForm
    base.__init__(form, data=data)
    return form


def test_the_project_has_forms_to_check():
    assert len(FORM_CLASSES) > 40


@pytest.mark.parametrize("form_class", FORM_CLASSES, ids=lambda cls: f"{cls.__module__}.{cls.__qualname__}")
@pytest.mark.django_db
def test_every_form_refuses_control_characters_in_every_text_field(form_class):
    assert issubclass(form_class, TextPolicyMixin), f"{form_class.__qualname__} does not apply the text policy"
    form = _bare(form_class, {})
    texts = [  # a password is never shown again: any character may be part of it
        name
        for name, field in form.fields.items()
        if isinstance(field, forms.CharField) and not isinstance(field.widget, forms.PasswordInput)
    ]
    for label, value in BAD.items():
        form = _bare(form_class, {name: value for name in texts})
        errors = text_policy_errors(form)
        assert set(errors) == set(texts), f"{label}: {sorted(set(texts) - set(errors))} accepted it"
        assert all("caractère" in message for message in errors.values())
    long = _bare(form_class, {name: "a" * (RICH_TEXT_MAX + 1) for name in texts})
    assert set(text_policy_errors(long)) == set(texts)  # every text field has a length limit


def _profile_post(client, **values):
    data = {"missions": "Accueillir le public", "show_phone": "on", "show_photo": "on"} | values
    return client.post(reverse("directory:profile-edit"), data)


@pytest.mark.django_db
@pytest.mark.parametrize("phone", [*BAD.values(), "-1", "12", "01 23 45 67 89 00 00", "appelez-moi"])
def test_a_profile_phone_must_be_a_phone_number(client, agent, phone):
    client.force_login(agent)
    response = _profile_post(client, phone=phone)
    assert response.status_code != 302
    html = response.content.decode()
    assert 'id="id_phone"' in html
    assert "numéro de téléphone" in html or "caractère" in html
    agent.refresh_from_db()
    assert agent.phone != phone


@pytest.mark.django_db
@pytest.mark.parametrize("phone", ["01 23 45 67 89", "+33 1 23 45 67 89", "06.12.34.56.78", "+44 20 7946 0958"])
def test_french_and_international_phones_are_accepted(client, agent, phone):
    client.force_login(agent)
    assert _profile_post(client, phone=phone, mobile="06 12 34 56 78").status_code == 302
    agent.refresh_from_db()
    assert agent.phone == phone


@pytest.mark.django_db
@pytest.mark.parametrize("missions", BAD.values())
def test_missions_refuse_control_and_bidi_characters(client, agent, missions):
    client.force_login(agent)
    response = _profile_post(client, missions=missions)
    assert response.status_code != 302
    assert "caractère" in response.content.decode()  # NUL: Django's own « caractères nuls » answers first
    agent.refresh_from_db()
    assert agent.missions != missions


@pytest.mark.django_db
def test_missions_keep_their_lines(client, agent):
    client.force_login(agent)
    assert _profile_post(client, missions="Accueillir le public\r\nTenir le standard\tle matin").status_code == 302
    agent.refresh_from_db()
    assert agent.missions.splitlines() == ["Accueillir le public", "Tenir le standard\tle matin"]


@pytest.mark.django_db
def test_a_one_line_field_refuses_a_new_line(client, communication):
    client.force_login(communication)
    response = client.post(
        reverse("newsletters:issue-create"), {"number": 8, "title": "Bienvenue\r\nBcc: tous@exemple.fr", "edito": ""}
    )
    assert response.status_code in (200, 400)
    assert "caractère invisible ou de contrôle" in response.content.decode()
    assert not Issue.objects.filter(number=8).exists()


@pytest.mark.django_db
def test_a_newsletter_text_block_of_one_megabyte_is_refused(client, communication):
    client.force_login(communication)
    client.post(reverse("newsletters:issue-create"), {"number": 7, "title": "Bienvenue", "edito": ""})
    issue = Issue.objects.get(number=7)
    response = client.post(
        reverse("newsletters:block-create", args=[issue.pk, "text"]),
        {"title": "Actualités", "body": "<p>" + "a" * 1_000_000 + "</p>"},  # the editor's HTML, 1 MB
    )
    assert response.status_code == 400
    assert "trop long" in response.content.decode()
    assert not issue.blocks.exists()


@pytest.mark.django_db
def test_a_survey_free_text_answer_refuses_control_characters(client):
    survey = SurveyFactory(anonymous=True)
    question = QuestionFactory(section=SectionFactory(survey=survey), kind=Question.Kind.LONG_TEXT)
    invitation = InvitationFactory(survey=survey)
    link = reverse("surveys:answer-token", args=[invitation.token()])
    response = client.post(link, {question.field_name: "Très bien\u202e !", "action": "submit"})
    assert "caractère invisible ou de contrôle" in response.content.decode()
    assert not Answer.objects.exists()
    response = client.post(link, {question.field_name: "Très bien.\r\nMerci.", "action": "submit"})
    assert response.status_code == 302
    assert Answer.objects.get().text.splitlines() == ["Très bien.", "Merci."]
