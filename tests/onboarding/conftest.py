import pytest


@pytest.fixture(autouse=True)
def published_guides(request, monkeypatch):
    """The guide renderings asked for (arrival ids), instead of publishing them to a broker
    no worker reads in these tests; the tests render with `services.guide_render`. A test
    using the real worker (`celery_worker_process`) keeps the real publishing."""
    if "celery_worker_process" in request.fixturenames:
        return []
    from onboarding import services

    published = []
    monkeypatch.setattr(services, "_publish", lambda task, *args: published.append(args[0]))
    return published
