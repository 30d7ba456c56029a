"""Who runs mailings: communication, HR and administrators."""

from intranet.roles import Role, has_role


def can_run_mailings(user) -> bool:
    return has_role(user, Role.COMMUNICATION, Role.HR)  # administrators hold every role
