import io

import pytest
from pypdf import PdfReader

from events.documents import signin_sheet_render
from tests.events.factories import RegistrationFactory, SessionFactory
from tests.factories import AgentFactory


@pytest.mark.django_db
def test_the_signin_sheet_lists_those_with_a_seat():
    session = SessionFactory(label="Réunion n° 3")
    RegistrationFactory(session=session, agent=AgentFactory(last_name="Zimmermann", first_name="Odile"))
    RegistrationFactory(session=session, agent=AgentFactory(last_name="Attente"), status="waiting")
    filename, content = signin_sheet_render(session=session.pk)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert filename.startswith("emargement-")
    assert filename.endswith(".pdf")
    assert "Feuille d'émargement" in text
    assert "Zimmermann" in text
    assert "Attente" not in text
