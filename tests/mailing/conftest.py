import pytest

from tests.harness import celery_broker


@pytest.fixture(autouse=True)
def _no_real_broker():
    """A send publishes its next batch itself: outside the worker tests (whose fixture points the
    app at its own Redis database, inside this one) that goes to memory://, never to a broker a
    developer's worker reads."""
    with celery_broker("memory://"):
        yield
