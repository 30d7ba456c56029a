"""Pages: a tree, revisions (who changed what and when), restoring one, the yearly review and its
reminder."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from content import selectors, services
from content.models import Page
from intranet.models import OutgoingEmail
from intranet.selectors import todo_inbox
from tests.content.factories import PageFactory


def test_every_change_is_a_revision_with_its_author_and_note(communication, manager):
    page = services.page_create(user=communication, title="Nos valeurs", body="<p>Intérêt général</p>", owner=manager)
    services.page_update(page=page, user=manager, title="Nos valeurs", body="<p>Intérêt général</p>", note="rien")
    services.page_update(
        page=page, user=manager, title="Nos valeurs", body="<p>Intérêt général</p><p>Cohésion</p>", note="Cohésion"
    )
    revisions = list(selectors.page_revisions(page))
    assert [(r.number, r.author_label, r.note) for r in revisions] == [
        (2, manager.get_full_name(), "Cohésion"),
        (1, communication.get_full_name(), "Création de la page"),
    ]
    diff = selectors.revision_diff(older=revisions[1], newer=page.revisions.get(number=2))
    assert [(line.kind, line.text) for line in diff if line.kind in ("added", "removed")] == [("added", "Cohésion")]


def test_restoring_a_revision_brings_its_text_back_as_a_new_revision(communication):
    page = services.page_create(user=communication, title="Procédure", body="<p>Ancien texte</p>")
    services.page_update(page=page, user=communication, title="Procédure", body="<p>Texte erroné</p>")
    services.page_restore(page=page, revision=page.revisions.get(number=1), user=communication)
    page.refresh_from_db()
    assert page.body == "<p>Ancien texte</p>"
    latest = page.revisions.order_by("-number").first()
    assert (latest.number, latest.restored_from) == (3, 1)


def test_the_owner_edits_their_page_but_neither_moves_it_nor_edits_others(communication, manager, agent, client):
    page = PageFactory(owner=manager)
    other = PageFactory()
    services.page_update(page=page, user=manager, title="Nouveau titre", body="<p>x</p>", parent=other)
    page.refresh_from_db()
    assert (page.title, page.parent_id) == ("Nouveau titre", None)
    with pytest.raises(PermissionDenied):
        services.page_update(page=other, user=manager, title="x", body="")
    client.force_login(agent)
    assert client.get(reverse("content:page-edit", args=[page.slug])).status_code == 403


def test_a_page_cannot_be_placed_under_its_own_sub_page(communication):
    top = PageFactory()
    child = PageFactory(parent=top)
    with pytest.raises(ValidationError):
        services.page_update(page=top, user=communication, title=top.title, body=top.body, parent=child)


def test_pages_keep_their_tables_and_lose_their_scripts(communication):
    page = services.page_create(
        user=communication,
        title="Qui fait quoi",
        body="<table><tr><th>Question</th><td>Service</td></tr></table><script>alert(1)</script>",
    )
    assert "<table>" in page.body
    assert "<script" not in page.body


def test_the_tree_lists_parents_before_their_sub_pages(communication):
    procedures = PageFactory(title="Procédures", position=2)
    PageFactory(title="Congés", parent=procedures)
    PageFactory(title="Valeurs", position=1)
    assert [(entry.page.title, entry.depth) for entry in selectors.page_tree()] == [
        ("Valeurs", 0),
        ("Procédures", 0),
        ("Congés", 1),
    ]


def test_a_page_due_for_review_reminds_its_owner_once_and_waits_in_their_todo(manager, client):
    today = timezone.localdate()
    page = PageFactory(owner=manager, reviewed_on=today - timedelta(days=366))
    PageFactory(owner=manager, reviewed_on=today - timedelta(days=100))
    assert services.page_review_reminders_send(today=today) == 1
    assert services.page_review_reminders_send(today=today) == 0
    mail = OutgoingEmail.objects.get(to=manager.email)
    assert page.title in mail.subject
    assert page.get_absolute_url() in mail.text
    items = [item for entry in todo_inbox(user=manager).entries for item in entry.group.items]
    assert [(item.title, item.late) for item in items if item.title == page.title] == [(page.title, True)]

    client.force_login(manager)
    client.post(reverse("content:page-reviewed", args=[page.slug]))
    page.refresh_from_db()
    assert page.reviewed_on == today
    assert page.review_reminded_on is None
    items = [item for entry in todo_inbox(user=manager).entries for item in entry.group.items]
    assert page.title not in [item.title for item in items]


def test_the_page_shows_when_it_was_reviewed_and_its_history(agent, communication, client):
    page = services.page_create(user=communication, title="Charte", body="<p>Nos engagements</p>", owner=communication)
    client.force_login(agent)
    html = client.get(page.get_absolute_url()).content.decode()
    assert "Page relue le" in html
    assert "Modifier la page" not in html
    html = client.get(reverse("content:page-history", args=[page.slug])).content.decode()
    assert communication.get_full_name() in html


def test_a_page_with_sub_pages_is_not_deleted(communication):
    top = PageFactory()
    PageFactory(parent=top)
    with pytest.raises(ValidationError):
        services.page_delete(page=top, user=communication)
    assert Page.objects.count() == 2


def test_the_search_finds_a_page_by_a_word_of_its_text(agent):
    PageFactory(title="Télétravail", body="<p>Jusqu'à deux jours par semaine, après accord de l'encadrant.</p>")
    assert [page.title for page in selectors.page_search(user=agent, query="encadrant", limit=5)] == ["Télétravail"]
    assert [page.title for page in selectors.page_search(user=agent, query="teletravail", limit=5)] == ["Télétravail"]
