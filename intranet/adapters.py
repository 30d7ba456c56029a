from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site
from django.utils.html import strip_tags

from intranet.client_ip import client_ip
from intranet.services import audit_log_record, email_queue


class AccountAdapter(DefaultAccountAdapter):
    """Accounts come from HR or an import: nobody signs up on their own."""

    def is_open_for_signup(self, request):
        return False

    def get_client_ip(self, request):
        """The real address behind trusted proxies (TRUSTED_PROXIES): allauth keys its per-address
        rate limits on it, and the audit log records it."""
        return client_ip(request) or super().get_client_ip(request)

    def login(self, request, user):
        super().login(request, user)
        audit_log_record(actor=user, action="login", target=user, ip_address=self.get_client_ip(request))

    def send_mail(self, template_prefix, email, context):
        """Rendered now, in the request's language, by allauth's own `render_mail`; sent by a
        worker through the outbox (`email_queue`), so a reset asked while the SMTP server or
        Redis is down is sent later instead of lost or failing the page."""
        request = allauth_context.request
        ctx = {"request": request, "email": email, "current_site": get_current_site(request)}
        ctx.update(context)
        message = self.render_mail(template_prefix, email, ctx)
        html = next(
            (content for content, mimetype in getattr(message, "alternatives", []) if mimetype == "text/html"), ""
        )
        text = message.body
        if message.content_subtype == "html":  # allauth renders an HTML-only mail that way
            html, text = message.body, strip_tags(message.body)
        # "account/email/password_reset_key" -> "account.password_reset_key"
        kind = template_prefix.replace("/email/", ".").replace("/", ".")
        email_queue(to=email, subject=message.subject, text=text, html=html, kind=kind)
