"""Who may do what with the newsletter. Views and services ask these rules; templates receive
their answers.

- communication, HR and administrators write, send and read every issue (drafts included), and
  see the audience reports;
- everybody else (agents, external partners) reads a sent issue only when they were among its
  recipients: the mailing froze them as one delivery row each (`mailing.selectors.mailing_reached`).
  A partner therefore sees only the issues addressed to partners or to them by name.
"""

from django.utils import timezone

from intranet.roles import Role, has_role, is_internal


def can_edit_newsletter(user) -> bool:
    return is_internal(user) and has_role(user, Role.COMMUNICATION, Role.HR)


def can_read_archive(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.is_active


def can_read_issue(user, issue) -> bool:
    if can_edit_newsletter(user):
        return True
    if not can_read_archive(user) or issue.is_draft or issue.sent_at is None or issue.sent_at > timezone.now():
        return False
    reached = getattr(issue, "reached", None)  # read with the issue (selectors.issue_get_readable)
    if reached is not None:
        return reached
    from mailing.selectors import source_reached

    return source_reached(issue, agent=user)
