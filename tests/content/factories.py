from datetime import timedelta

import factory
from django.utils import timezone

from content import text
from content.models import Editor, Folder, News, Page, PageRevision
from intranet.audiences import AudienceSpec
from tests.factories import AgentFactory


class NewsFactory(factory.django.DjangoModelFactory):
    """A published item for every agent (published an hour ago) unless told otherwise."""

    class Meta:
        model = News
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Actualité {n}")
    summary = "Le restaurant administratif rouvre ses portes après les travaux."
    body = "<p>Le restaurant rouvre lundi.</p>"
    audience = factory.LazyFunction(lambda: AudienceSpec(everyone=True).to_json())
    audience_everyone = True
    status = News.Status.PUBLISHED
    publish_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))
    author = factory.SubFactory(AgentFactory)
    author_label = factory.LazyAttribute(lambda news: news.author.get_full_name())
    search_text = factory.LazyAttribute(
        lambda news: text.search_text(news.title, news.summary, text.html_to_text(news.body))
    )

    @factory.post_generation
    def search_vector(self, create, extracted, **kwargs):
        if create:
            text.search_vector_refresh(News, [self.pk])


class EditorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Editor

    agent = factory.SubFactory(AgentFactory)


class PageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Page
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Page {n}")
    slug = factory.Sequence(lambda n: f"page-{n}")
    body = "<p>Le texte de la page.</p>"
    search_text = factory.LazyAttribute(lambda page: text.search_text(page.title, text.html_to_text(page.body)))

    @factory.post_generation
    def revision(self, create, extracted, **kwargs):
        if create:
            PageRevision.objects.create(page=self, number=1, title=self.title, body=self.body, author_label="Test")
            text.search_vector_refresh(Page, [self.pk])


class FolderFactory(factory.django.DjangoModelFactory):
    """A folder open to every agent unless given an audience."""

    class Meta:
        model = Folder

    title = factory.Sequence(lambda n: f"Dossier {n}")
    slug = factory.Sequence(lambda n: f"dossier-{n}")
    audience = factory.LazyFunction(lambda: AudienceSpec(everyone=True).to_json())
