from datetime import datetime

from allauth.usersessions.models import UserSession
from django.db import transaction

from identity.models import MFAGrace


@transaction.atomic
def mfa_grace_start(*, user) -> datetime:
    """The start of `user`'s grace period for enrolling a second factor (recorded the first time)."""
    grace, _ = MFAGrace.objects.get_or_create(user=user)
    return grace.started_at


@transaction.atomic
def user_sessions_end(*, user) -> int:
    """End every open session of `user` at once (deactivation, expired partner access)."""
    sessions = list(UserSession.objects.filter(user=user))
    for session in sessions:
        session.end()
    return len(sessions)


@transaction.atomic
def user_session_end(*, user, pk: int) -> bool:
    """End one open session of `user` (False when `pk` is not one of theirs)."""
    session = UserSession.objects.filter(user=user, pk=pk).first()
    if session is None:
        return False
    session.end()
    return True
