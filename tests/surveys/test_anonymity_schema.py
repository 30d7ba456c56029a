"""Anonymity that holds, read from the database's own catalogue: nothing in the tables of WHAT was
answered (Response, Answer) joins them to WHO was invited (Invitation, Agent, a token), and no
column there or on the invitation holds the time of an answer."""

import pytest
from django.db import connection

from intranet.models import Agent
from surveys.models import Answer, Invitation, Question, Response, ResponseIdentity
from surveys.services.answers import survey_answer_submit
from tests.conftest import skip_or_fail
from tests.surveys.factories import InvitationFactory, survey_with_every_kind

pytestmark = pytest.mark.django_db

ANSWER_TABLES = (Response._meta.db_table, Answer._meta.db_table)
FORBIDDEN_TABLES = {
    Agent._meta.db_table,
    Invitation._meta.db_table,
    ResponseIdentity._meta.db_table,
    "auth_user",
    "django_session",
}
FORBIDDEN_WORDS = ("token", "agent", "user", "ip", "invit", "email", "hash", "salt", "session_key")


def _columns(table: str) -> dict[str, str]:
    """{column: PostgreSQL data type}"""
    if connection.vendor != "postgresql":
        skip_or_fail("the schema test reads PostgreSQL's information_schema: set DATABASE_URL")
    with connection.cursor() as cursor:
        cursor.execute("SELECT column_name, data_type FROM information_schema.columns WHERE table_name = %s", [table])
        return dict(cursor.fetchall())


def _foreign_tables(table: str) -> set[str]:
    with connection.cursor() as cursor:
        return {
            ref_table
            for _column, (_ref_column, ref_table) in connection.introspection.get_relations(cursor, table).items()
        }


@pytest.mark.parametrize("table", ANSWER_TABLES)
def test_answer_tables_have_no_key_to_the_invitation_the_agent_or_a_token(table):
    columns = _columns(table)
    assert columns, f"table {table} not found"
    referenced = _foreign_tables(table)
    assert not referenced & FORBIDDEN_TABLES, referenced
    assert referenced <= {
        "surveys_survey",
        "surveys_surveysession",
        "surveys_question",
        "surveys_choice",
        Response._meta.db_table,
    }
    for column in columns:
        if column == "session_id":  # the survey's session (a meeting): a group, shown only from 5 answers
            continue
        assert not any(word in column for word in FORBIDDEN_WORDS), column


@pytest.mark.parametrize("table", ANSWER_TABLES)
def test_answer_tables_hold_no_time_and_use_random_keys(table):
    columns = _columns(table)
    assert not [name for name, kind in columns.items() if kind.startswith(("timestamp", "time", "interval"))]
    assert columns["id"] == "uuid"  # a sequence would give the order of insertion


def test_the_invitation_keeps_no_time_of_answer():
    columns = _columns(Invitation._meta.db_table)
    assert columns["answered"] == "boolean"
    timed = {name for name, kind in columns.items() if kind.startswith(("timestamp", "date", "time"))}
    assert timed == {"invited_at", "mailed_at", "reminded_at"}  # when we wrote to them, never when they answered


def test_an_anonymous_answer_stores_nothing_of_its_invitation():
    survey = survey_with_every_kind(anonymous=True)
    invitation = InvitationFactory(survey=survey)
    raw = {
        survey.q[Question.Kind.SCALE].field_name: ["5"],
        survey.q[Question.Kind.SHORT_TEXT].field_name: ["Très bien"],
    }
    response = survey_answer_submit(invitation=invitation, raw=raw)
    assert not ResponseIdentity.objects.exists()
    stored = " ".join(
        str(value)
        for value in [
            *Response.objects.filter(pk=response.pk).values().get().values(),
            *(value for row in Answer.objects.filter(response=response).values() for value in row.values()),
        ]
    )
    for secret in (invitation.token(), invitation.token_hash, invitation.token_salt, invitation.agent.email):
        assert secret not in stored
    invitation.refresh_from_db()
    assert invitation.answered
    assert invitation.draft is None


def test_an_anonymous_response_keeps_no_date_an_identified_one_keeps_the_day():
    anonymous = survey_with_every_kind(anonymous=True)
    identified = survey_with_every_kind(anonymous=False)
    dates = []
    for survey in (anonymous, identified):
        response = survey_answer_submit(
            invitation=InvitationFactory(survey=survey), raw={survey.q[Question.Kind.SCALE].field_name: ["4"]}
        )
        dates.append(Response.objects.get(pk=response.pk).submitted_on)
    assert dates[0] is None
    assert dates[1] is not None


def test_publication_by_batches_stores_a_flag_not_an_order():
    """Issue 13: the publication watermark is a yes/no per response — no batch number, no time of
    publication —, so the published responses keep no order among themselves in the data."""
    columns = _columns(Response._meta.db_table)
    assert set(columns) == {"id", "survey_id", "session_id", "submitted_on", "published"}
    assert columns["published"] == "boolean"
    tables = set(connection.introspection.table_names())
    assert not [table for table in tables if table.startswith("surveys_") and "publi" in table]


def test_the_admin_shows_no_invitation_nor_response():
    """What an administrator can read in Django's admin: the questionnaires, never who was invited,
    who answered, nor what (surveys/README.md, « who can infer what »)."""
    from django.contrib import admin

    from surveys.models import Survey

    registered = set(admin.site._registry)
    assert Survey in registered
    assert not registered & {Invitation, Response, ResponseIdentity, Answer}
