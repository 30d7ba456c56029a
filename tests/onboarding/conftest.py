import pytest


@pytest.fixture(autouse=True)
def published_guides(request, monkeypatch):
    """The guide renderings asked for (arrival ids; "pending" for a task rendering every pending
    guide), instead of publishing them to a broker no worker reads in these tests; the tests
    render with `services.guide_render`. A test using the real worker (`celery_worker_process`)
    keeps the real publishing."""
    if "celery_worker_process" in request.fixturenames:
        return []
    from intranet import workqueue

    published = []

    def publish(task, *args):
        if task.name == "onboarding.tasks.render_guide_task":
            published.append(args[0])
        elif task.name == "onboarding.tasks.render_pending_guides_task":
            published.append("pending")
        return True

    monkeypatch.setattr(workqueue, "publish", publish)
    return published
