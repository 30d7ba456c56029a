import pytest
from django.contrib.contenttypes.models import ContentType
from kombu import Connection

from tests.harness import celery_broker


@pytest.fixture(autouse=True)
def _no_real_broker():
    """A send publishes its next batch itself: outside the worker tests (whose fixture points the
    app at its own Redis database, inside this one) that goes to memory://, never to a broker a
    developer's worker reads."""
    with celery_broker("memory://"):
        yield
    # kombu's memory:// queues live as long as the process: leave none of our tasks to a later
    # test that counts what it published there.
    with Connection("memory://") as connection, connection.SimpleQueue("celery") as queue:
        queue.clear()


@pytest.fixture(autouse=True)
def _fresh_content_types():
    """The transactional (worker) tests flush the database, and the content types come back with
    new ids: the audit log and Mailing.source must not use ids cached before that."""
    ContentType.objects.clear_cache()
    yield
    ContentType.objects.clear_cache()
