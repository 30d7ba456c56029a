"""The demo news seeded: an editor, the items of `news_data` with their illustrations (drawn in
memory), indexed for the search."""

from __future__ import annotations

import random
from datetime import timedelta
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from content.demo.common import EVERYONE
from content.demo.news_data import IN_REVIEW, NEWS, RETURNED, SCHEDULED
from content.models import Editor, News
from content.services.news import news_index
from content.text import search_vector_refresh
from intranet.audiences import audience_is_every_agent
from intranet.images import photo_reencode
from intranet.models import Agent


def _demo_image(colours: tuple, seed: int) -> SimpleUploadedFile:
    """An abstract illustration (shapes on a coloured ground), made in memory."""
    background, accent = colours
    rng = random.Random(seed)  # noqa: S311 (a drawing, not a secret)
    image = Image.new("RGB", (960, 540), background)
    draw = ImageDraw.Draw(image)
    for _ in range(7):
        x, y, size = rng.randint(-100, 900), rng.randint(-100, 480), rng.randint(80, 320)
        draw.ellipse((x, y, x + size, y + size), outline=accent, width=rng.randint(4, 14))
    draw.rectangle((0, 470, 960, 540), fill=accent)
    out = BytesIO()
    image.save(out, format="PNG")
    return SimpleUploadedFile("illustration.png", out.getvalue(), content_type="image/png")


def _news(*, title, summary, body, audience, author, status, publish_at, featured=False, image=None, note=""):
    news = News(
        title=title,
        summary=summary,
        body=body,
        audience=audience.to_json(),
        audience_everyone=audience_is_every_agent(audience),
        audience_partners=audience.partners,
        audience_named=bool(audience.agents),
        featured=featured,
        status=status,
        publish_at=publish_at,
        author=author,
        author_label=author.get_full_name() if author else "",
        published_by=author if status == News.Status.PUBLISHED else None,
        submitted_at=timezone.now() - timedelta(hours=5) if status == News.Status.REVIEW else None,
        review_note=note,
    )
    if image is not None:
        news.image.save("image.jpg", photo_reencode(image), save=False)
        news.image_alt = title.split(":")[0]
    news_index(news)
    news.save()
    if publish_at:
        News.objects.filter(pk=news.pk).update(created_at=publish_at, updated_at=publish_at)
    return news


def news_seed(*, stdout) -> None:
    if News.objects.exists():
        stdout.write("Actualités : déjà chargées.\n")
        return
    communication = Agent.objects.filter(email="communication@demo.local").first()
    editor = Agent.objects.filter(email="pilote@demo.local").first()
    if communication is None:
        stdout.write("Actualités : pas de compte communication, rien à créer.\n")
        return
    now = timezone.now()
    with transaction.atomic():
        if editor is not None:
            Editor.objects.get_or_create(agent=editor, defaults={"added_by": communication})
        for number, (days, title, summary, body, featured, audience, colours) in enumerate(NEWS):
            _news(
                title=title,
                summary=summary,
                body=body,
                audience=audience,
                author=communication,
                status=News.Status.PUBLISHED,
                publish_at=now - timedelta(days=days, hours=number % 5),
                featured=featured and days < 60,
                image=_demo_image(colours, number) if colours else None,
            )
        _news(
            title=SCHEDULED[0],
            summary=SCHEDULED[1],
            body=SCHEDULED[2],
            audience=EVERYONE,
            author=communication,
            status=News.Status.PUBLISHED,
            publish_at=now + timedelta(days=6),
        )
        if editor is not None:
            _news(
                title=IN_REVIEW[0],
                summary=IN_REVIEW[1],
                body=IN_REVIEW[2],
                audience=EVERYONE,
                author=editor,
                status=News.Status.REVIEW,
                publish_at=None,
            )
            _news(
                title=RETURNED[0],
                summary=RETURNED[1],
                body=RETURNED[2],
                audience=EVERYONE,
                author=editor,
                status=News.Status.DRAFT,
                publish_at=None,
                note=RETURNED[3],
            )
        search_vector_refresh(News, News.objects.values_list("pk", flat=True))
    stdout.write(f"Actualités : {News.objects.count()} créées.\n")
