import pytest

from actions.services.plan_loading import plan_data_read, plan_load


@pytest.fixture
def seed_plan(db):
    """The real Mad & Moselle plan, loaded from its data file."""
    return plan_load(data=plan_data_read())
