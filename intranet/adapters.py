from allauth.account.adapter import DefaultAccountAdapter

from intranet.services import audit_log_record


class AccountAdapter(DefaultAccountAdapter):
    """Accounts come from HR or an import: nobody signs up on their own."""

    def is_open_for_signup(self, request):
        return False

    def login(self, request, user):
        super().login(request, user)
        audit_log_record(actor=user, action="login", target=user, ip_address=self.get_client_ip(request))
