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


def _fresh(user):
    return type(user).objects.get(pk=user.pk)  # a new request's user object


def test_roles_are_kept_per_version_and_follow_the_services(
    settings, agent, manager, rh, unit, django_assert_num_queries
):
    from intranet.directory.services.orgchart import orgunit_update
    from intranet.directory.services.profile import agent_profile_update

    settings.ROLES_CACHE_SECONDS = 600
    assert Role.MANAGER not in roles_of(_fresh(agent))
    user = _fresh(agent)
    with django_assert_num_queries(0):  # groups and derived roles from the cache: no query
        assert Role.MANAGER not in roles_of(user)

    # Heading a unit (the org chart's edit service) makes a manager at once.
    orgunit_update(user=rh, unit=unit, data={"head": agent})
    assert Role.MANAGER in roles_of(_fresh(agent))

    # Being given a report by HR too; and losing the unit and the report takes the role away.
    orgunit_update(user=rh, unit=unit, data={"head": manager})
    assert Role.MANAGER not in roles_of(_fresh(agent))
    agent_profile_update(agent=_fresh(rh), user=rh, data={"manager": agent})
    assert Role.MANAGER in roles_of(_fresh(agent))


def test_the_facts_kept_with_the_roles_follow_their_rows(settings, agent, communication, django_assert_num_queries):
    """Being named a news editor (a content.Editor row) is read with the roles, once per version:
    naming and removing one renews it at once."""
    from content.models import Editor
    from content.permissions import can_write_news
    from content.services.news import editor_add, editor_remove

    settings.ROLES_CACHE_SECONDS = 600
    assert not can_write_news(_fresh(agent))
    user = _fresh(agent)
    with django_assert_num_queries(0):  # kept with the roles: no query
        assert not can_write_news(user)
    editor_add(agent=agent, user=communication)
    assert can_write_news(_fresh(agent))
    editor_remove(editor=Editor.objects.get(agent=agent), user=communication)
    assert not can_write_news(_fresh(agent))


def test_joining_a_group_anywhere_gives_its_role_at_once(settings, agent):
    """The admin adds people to groups without our services: the relation's change renews the roles."""
    from django.contrib.auth.models import Group

    settings.ROLES_CACHE_SECONDS = 600
    assert not has_role(_fresh(agent), Role.HR)
    agent.groups.add(Group.objects.get_or_create(name=Role.HR.value)[0])
    assert has_role(_fresh(agent), Role.HR)
    agent.groups.clear()
    assert not has_role(_fresh(agent), Role.HR)
