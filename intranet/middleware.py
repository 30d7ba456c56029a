"""The core's middleware."""

from intranet.selectors import todo_count_forget

SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")


def todo_count_refresh(get_response):
    """After a change a person makes (any POST: approving a visit, ticking a task, answering a
    survey…), the header's « À faire » count is computed afresh on their next page."""

    def middleware(request):
        response = get_response(request)
        user = getattr(request, "user", None)
        if request.method not in SAFE_METHODS and user is not None and user.is_authenticated:
            todo_count_forget(user=user)
        return response

    return middleware
