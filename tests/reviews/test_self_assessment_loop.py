"""« Auto-évaluations à rédiger »: one rule for the pilot's home page, their « À faire » page and
« Mes auto-évaluations » — the three agree while the review collects them, and once its session
opens none of them asks any more (seen on main: home « 2 à rédiger », the page « Aucune »)."""

import re

from django.urls import reverse

from actions.reviews.services.committee import review_open, review_session_start
from intranet.selectors import todo_count_forget
from tests.actions.factories import ActionCardFactory
from tests.html import text_of


def _pages(client, pilote):
    client.force_login(pilote)
    return (
        text_of(client.get(reverse("intranet:home"))),
        text_of(client.get(reverse("intranet:todo"))),
        text_of(client.get(reverse("reviews:my-self-assessments"))),
    )


def _asked(text):
    match = re.search(r"Auto-évaluations à rédiger (\d+)", text)
    return int(match.group(1)) if match else 0


def test_home_inbox_and_self_assessment_page_agree_from_opening_to_session(client, copil, pilote, review, cards):
    second = ActionCardFactory(objective=cards[0].objective, position=3, title="Une deuxième fiche du pilote")
    second.pilot_agents.add(pilote)
    review_open(review=review, user=copil)

    home, todo, page = _pages(client, pilote)
    assert _asked(home) == _asked(todo) == page.count("à rédiger") == 2

    client.post(
        reverse("reviews:self-assessment-edit", args=[review.pk, cards[0].pk]), {"assessment": "Une bonne année"}
    )
    home, todo, page = _pages(client, pilote)
    assert _asked(home) == _asked(todo) == page.count("à rédiger") == 1

    review_session_start(review=review, user=copil)
    # Another person's change reaches the pilot's home page when the inbox it keeps expires (a
    # minute: intranet.selectors.TODO_COUNT_SECONDS); here, that minute has passed.
    todo_count_forget(user=pilote)
    home, todo, page = _pages(client, pilote)
    assert _asked(home) == _asked(todo) == 0
    assert "Aucune auto-évaluation n'est attendue" in page
