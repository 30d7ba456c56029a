"""Who may do what with surveys. Views and services ask these rules; templates never decide.

- HR, communication and administrators build surveys (create, start from a template, copy);
- the authors of a survey manage it (questions, sessions, invitations, reminders, closing, results);
  administrators manage every survey;
- an invited person answers through their personal link (no login needed) or, logged in, from
  "Mes enquêtes"; nobody else reaches the questionnaire.
"""

from intranet.roles import Role, has_role, is_internal


def can_build_surveys(user) -> bool:
    return is_internal(user) and has_role(user, Role.HR, Role.COMMUNICATION, Role.ADMIN)


def can_manage_survey(user, survey) -> bool:
    if not is_internal(user):
        return False
    if has_role(user, Role.ADMIN):
        return True
    return survey.authors.filter(pk=user.pk).exists()


def can_list_my_surveys(user) -> bool:
    """ "Mes enquêtes": any logged-in person (external partners are invited to surveys too)."""
    return getattr(user, "is_authenticated", False)
