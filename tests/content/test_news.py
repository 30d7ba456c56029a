"""News: drafting, review, publication (scheduled), audiences, expiry, the home page, the archive,
the image, the feed."""

from datetime import timedelta
from io import BytesIO
from xml.etree import ElementTree

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from content import selectors, services
from content.models import Editor, News
from intranet.audiences import AudienceSpec
from intranet.models import OutgoingEmail
from intranet.roles import Role
from intranet.selectors import todo_inbox
from tests.content.factories import EditorFactory, NewsFactory
from tests.factories import AgentFactory
from tests.intranet.directory.images import image_bytes, upload
from tests.querycount import assert_same_queries

EVERYONE = AudienceSpec(everyone=True)


def _data(**overrides):
    return {
        "title": "Le restaurant rouvre",
        "summary": "Après trois mois de travaux.",
        "body": "<p>Rendez-vous <strong>lundi</strong>.</p>",
        "image_alt": "",
        "featured": False,
        "expires_at": None,
        **overrides,
    }


@pytest.fixture
def editor(db):
    return EditorFactory(agent=AgentFactory(email="redacteur@test.local")).agent


def test_an_editors_draft_is_published_after_review_and_read_on_the_home_page(
    editor, communication, agent, client, django_capture_on_commit_callbacks
):
    news = services.news_create(user=editor, data=_data(), audience=EVERYONE)
    assert news.status == News.Status.DRAFT
    client.force_login(agent)
    assert client.get(reverse("content:news-detail", args=[news.pk])).status_code == 404

    services.news_submit(news=news, user=editor)
    with pytest.raises(PermissionDenied):
        services.news_publish(news=news, user=editor)
    review = todo_inbox(user=communication).entries
    assert [item.title for entry in review for item in entry.group.items] == ["Le restaurant rouvre"]

    with django_capture_on_commit_callbacks(execute=True):
        services.news_publish(news=news, user=communication)
    assert OutgoingEmail.objects.get(to=editor.email).subject.startswith("Votre actualité est publiée")

    page = client.get(reverse("intranet:home")).content.decode()
    assert "Le restaurant rouvre" in page
    detail = client.get(reverse("content:news-detail", args=[news.pk])).content.decode()
    assert "<strong>lundi</strong>" in detail


def test_an_agent_who_is_no_editor_cannot_draft(agent):
    with pytest.raises(PermissionDenied):
        services.news_create(user=agent, data=_data(), audience=EVERYONE)


def test_hr_drafts_but_does_not_publish(rh):
    news = services.news_create(user=rh, data=_data(), audience=EVERYONE)
    with pytest.raises(PermissionDenied):
        services.news_publish(news=news, user=rh)


def test_review_sends_the_draft_back_with_a_note(editor, communication):
    news = services.news_create(user=editor, data=_data(), audience=EVERYONE)
    services.news_submit(news=news, user=editor)
    with pytest.raises(ValidationError):
        services.news_return(news=news, user=communication, note="  ")
    services.news_return(news=news, user=communication, note="Ajoutez les horaires.")
    news.refresh_from_db()
    assert news.status == News.Status.DRAFT
    assert "Ajoutez les horaires." in OutgoingEmail.objects.get(to=editor.email).text
    todo = todo_inbox(user=editor).entries
    assert [item.title for entry in todo for item in entry.group.items] == ["Le restaurant rouvre"]


def test_the_body_is_sanitised_on_save(communication):
    news = services.news_create(
        user=communication,
        data=_data(body='<p onclick="x()">Bonjour<script>alert(1)</script></p><iframe src="//x"></iframe>'),
        audience=EVERYONE,
    )
    assert news.body == "<p>Bonjour</p>"


def test_a_scheduled_item_is_read_from_its_date_on(communication, agent):
    news = services.news_create(user=communication, data=_data(), audience=EVERYONE)
    services.news_publish(news=news, user=communication, publish_at=timezone.now() + timedelta(days=2))
    assert news not in selectors.news_list_visible(user=agent)
    assert news in selectors.news_list_visible(user=agent, now=timezone.now() + timedelta(days=3))


def test_expiry_takes_the_item_off_the_home_page_not_out_of_the_archive(agent):
    news = NewsFactory(expires_at=timezone.now() - timedelta(minutes=1))
    assert news not in selectors.news_home(user=agent)
    assert news in selectors.news_archive(user=agent)


def test_featured_items_come_first_on_the_home_page(agent):
    NewsFactory(title="Récente")
    NewsFactory(title="À la une", featured=True, publish_at=timezone.now() - timedelta(days=20))
    assert [news.title for news in selectors.news_home(user=agent)] == ["À la une", "Récente"]


def test_audiences_decide_who_reads(agent, manager, partenaire, client):
    everyone = NewsFactory(title="Pour tous")
    managers = NewsFactory(
        title="Pour les encadrants",
        audience=AudienceSpec(roles=(Role.MANAGER.value,)).to_json(),
        audience_everyone=False,
    )
    partners = NewsFactory(
        title="Pour les lycées", audience=AudienceSpec(everyone=True, partners=True).to_json(), audience_partners=True
    )
    named = NewsFactory(
        title="Pour Hélène",
        audience=AudienceSpec(agents=(agent.pk,)).to_json(),
        audience_everyone=False,
        audience_named=True,
    )
    assert set(selectors.news_list_visible(user=agent)) == {everyone, partners, named}
    assert set(selectors.news_list_visible(user=manager)) == {everyone, managers, partners}
    assert set(selectors.news_list_visible(user=partenaire)) == {partners}
    client.force_login(partenaire)
    assert client.get(reverse("content:news-detail", args=[managers.pk])).status_code == 404
    assert client.get(reverse("content:news-detail", args=[partners.pk])).status_code == 200


def test_the_image_is_reencoded_without_its_metadata_and_needs_its_alternative(
    communication, agent, partenaire, client
):
    photo = upload(image_bytes(fmt="JPEG", gps=True), name="photo.jpg", content_type="image/jpeg")
    with pytest.raises(ValidationError) as error:
        services.news_create(user=communication, data=_data(), audience=EVERYONE, image=photo)
    assert "image_alt" in error.value.error_dict
    photo.seek(0)
    news = services.news_create(
        user=communication, data=_data(image_alt="La salle rénovée"), audience=EVERYONE, image=photo
    )
    services.news_publish(news=news, user=communication)
    client.force_login(agent)
    response = client.get(reverse("content:news-image", args=[news.pk]))
    assert response["Content-Type"] == "image/jpeg"
    served = Image.open(BytesIO(b"".join(response.streaming_content)))
    assert not served.getexif()
    assert news.image.name.startswith("private/")
    client.force_login(partenaire)
    assert client.get(reverse("content:news-image", args=[news.pk])).status_code == 404


def test_the_archive_filters_by_words_year_and_featured(agent, client):
    NewsFactory(title="Journée d'intégration", featured=True)
    NewsFactory(title="Don du sang", publish_at=timezone.now() - timedelta(days=400))
    client.force_login(agent)
    page = client.get(reverse("content:news-list"), {"q": "integration"}).content.decode()
    assert "Journée d&#x27;intégration" in page
    assert "Don du sang" not in page
    page = client.get(reverse("content:news-list"), {"featured": "on"}).content.decode()
    assert "Don du sang" not in page
    year = (timezone.now() - timedelta(days=400)).year
    page = client.get(reverse("content:news-list"), {"year": year}).content.decode()
    assert "Don du sang" in page


def test_the_archive_and_home_page_queries_do_not_grow(agent, client):
    client.force_login(agent)
    NewsFactory()

    def grow():
        for number in range(30):
            NewsFactory(
                title=f"Ciblée {number}",
                audience=AudienceSpec(units=(agent.org_unit_id,)).to_json(),
                audience_everyone=False,
            )
            NewsFactory(title=f"Pour tous {number}")

    assert_same_queries(client, reverse("content:news-list"), grow=grow)
    assert_same_queries(client, reverse("intranet:home"), grow=grow, before_each=cache.clear)  # nothing kept


def test_the_feed_lists_the_persons_news_behind_a_secret_that_can_be_replaced(agent, client):
    NewsFactory(title="Pour tous")
    NewsFactory(
        title="Pour les encadrants",
        audience=AudienceSpec(roles=(Role.MANAGER.value,)).to_json(),
        audience_everyone=False,
    )
    token = services.feed_token_get(agent=agent).token
    response = client.get(reverse("content:news-feed", args=[token]))
    assert response["Content-Type"].startswith("application/atom+xml")
    titles = [
        entry.findtext("{http://www.w3.org/2005/Atom}title")
        for entry in ElementTree.fromstring(response.content).iter(  # noqa: S314 (our own feed)
            "{http://www.w3.org/2005/Atom}entry"
        )
    ]
    assert titles == ["Pour tous"]
    services.feed_token_reset(agent=agent)
    assert client.get(reverse("content:news-feed", args=[token])).status_code == 404
    agent.is_active = False
    agent.save()
    new = services.feed_token_get(agent=agent).token
    assert client.get(reverse("content:news-feed", args=[new])).status_code == 404


def test_communication_names_and_removes_editors(communication, agent, client):
    client.force_login(communication)
    response = client.post(reverse("content:editor-list"), {"agent": agent.pk})
    assert response.status_code == 302
    assert Editor.objects.filter(agent=agent).exists()
    response = client.post(reverse("content:editor-list"), {"agent": agent.pk})
    assert "rédige déjà" in response.content.decode()
    services.editor_remove(editor=Editor.objects.get(agent=agent), user=communication)
    assert not Editor.objects.exists()


def test_the_writing_form_keeps_its_errors_on_its_fields(communication, client):
    client.force_login(communication)
    response = client.post(reverse("content:news-create"), {"title": "", "summary": "x", "public-everyone": "on"})
    assert response.status_code == 400
    assert "Titre" in response.content.decode()
    response = client.post(
        reverse("content:news-create"),
        {"title": "Titre", "summary": "Chapeau", "body": "<p>Texte</p>", "public-everyone": "on"},
    )
    news = News.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("content:news-preview", args=[news.pk])
    assert AudienceSpec.from_json(news.audience) == EVERYONE
    assert mail.outbox == []
