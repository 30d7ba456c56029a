"""Who may do what on the vacancies board (the views ask these; templates never decide).

External partners (lycée principals, intendants) have no access: the board is for the
administration's own agents, and an expression of interest is an internal HR matter."""

from intranet.roles import Role, has_role, is_internal


def can_browse_vacancies(user) -> bool:
    return is_internal(user)


def can_manage_vacancies(user) -> bool:
    """HR and administrators: create, publish, close, read expressions of interest and CVs."""
    return is_internal(user) and has_role(user, Role.HR, Role.ADMIN)


def can_express_interest(user, vacancy) -> bool:
    return is_internal(user) and vacancy.is_open()
