"""The access matrix's machinery (tests/access.py) catches what it should."""

import pytest

from tests.access import LOGIN, OK, Redirect, check_access, public, row, staff_only
from tests.test_access_matrix import PATTERNS


def _failure(key, role, wrong_row, request):
    with pytest.raises(pytest.fail.Exception) as failure:
        check_access(key=key, role=role, row=wrong_row, patterns=PATTERNS, request=request)
    return str(failure.value)


def test_a_wrong_status_is_reported(request, db):
    message = _failure("intranet:audit-log", "agent", public(), request)
    assert message == "GET /journal/ as agent: expected 200, got 403"


def test_a_wrong_redirect_is_reported(request, db):
    message = _failure("intranet:home", "anonymous", row(anonymous=Redirect("/ailleurs/")), request)
    assert message == "GET / as anonymous: expected 302 → /ailleurs/, got 302 → /comptes/login/?next=/"


def test_a_login_redirect_must_come_back_to_the_page(request, db):
    without_next = row(anonymous=Redirect("/comptes/login/"))
    check_access(
        key="account_confirm_login_code", role="anonymous", row=without_next, patterns=PATTERNS, request=request
    )
    message = _failure("account_confirm_login_code", "anonymous", row(anonymous=LOGIN), request)
    assert "expected next=/comptes/login/code/confirm/" in message


def test_missing_text_is_reported(request, db):
    message = _failure("account_signup", "anonymous", public(default=OK.containing("Créer un compte")), request)
    assert message.endswith("expected 200 containing 'Créer un compte', got 200 without 'Créer un compte'")


def test_a_row_building_the_url_of_another_pattern_is_refused(request, db):
    elsewhere = staff_only(url=lambda ctx: "/admin/intranet/")
    with pytest.raises(AssertionError, match="which is 'admin/"):
        check_access(key="admin/(?P<url>.*)$", role="admin_user", row=elsewhere, patterns=PATTERNS, request=request)


def test_a_row_for_a_url_that_no_longer_exists_fails(request, db):
    with pytest.raises(pytest.fail.Exception, match="no longer exists"):
        check_access(key="intranet:disparue", role="agent", row=public(), patterns=PATTERNS, request=request)


def test_a_row_naming_an_unknown_role_is_refused():
    with pytest.raises(TypeError, match="unknown role"):
        row(agnet=OK)
