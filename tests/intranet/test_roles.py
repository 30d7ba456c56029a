from intranet.roles import Role, has_role, roles_of


def test_manager_role_is_derived_from_having_reports(agent, manager):
    assert Role.MANAGER in roles_of(manager)
    assert Role.MANAGER not in roles_of(agent)


def test_partner_is_not_an_agent(partenaire):
    assert roles_of(partenaire) == {Role.PARTNER}


def test_administrator_holds_every_role(admin_user):
    assert has_role(admin_user, Role.HR, Role.COPIL)


def test_group_roles_come_from_groups(rh, communication, copil):
    assert has_role(rh, Role.HR)
    assert not has_role(rh, Role.COMMUNICATION)
    assert has_role(communication, Role.COMMUNICATION)
    assert has_role(copil, Role.COPIL)
