"""Demo data for "Montre-moi ton job" (seed 004: about fifty requests, forty participants)."""


def demo_seed(*, stdout):
    return None
