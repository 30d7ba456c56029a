"""The core's access rules, and the mixins every app's views use to apply theirs."""

from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin

from intranet.roles import Role, has_role, is_internal


def can_read_audit_log(user) -> bool:
    return has_role(user, Role.ADMIN)


def can_read_mail_outbox(user) -> bool:
    return has_role(user, Role.ADMIN)


def can_read_every_document(user) -> bool:
    """A rendered document is its requester's; administrators read them all."""
    return has_role(user, Role.ADMIN)


class RuleRequiredMixin(LoginRequiredMixin, UserPassesTestMixin):
    """Anonymous visitors go to the login page; a logged-in user the rule refuses gets 403.

    Subclasses set `rule`, a function of the user (use `staticmethod`)."""

    rule = staticmethod(is_internal)
    raise_exception = False

    def test_func(self):
        return self.rule(self.request.user)

    def handle_no_permission(self):
        if self.request.user.is_authenticated:
            self.raise_exception = True
        return super().handle_no_permission()


class InternalRequiredMixin(RuleRequiredMixin):
    """Pages for the administration's own agents, closed to external partners."""

    rule = staticmethod(is_internal)


def can_read_health(user) -> bool:
    return has_role(user, Role.ADMIN)


def can_manage_retention(user) -> bool:
    return has_role(user, Role.HR) or has_role(user, Role.ADMIN)
