"""Pages issue a number of SQL queries that does not grow with the data.

    assert_same_queries(client, reverse("intranet:home"), grow=lambda: add_agents(1000, org_unit=unit))

requests the page once to warm the caches, counts its queries at the current size, calls
`grow()` to add a lot of data, counts again and fails, listing both runs' queries, when the
counts differ. `grow` should use bulk_create: it runs inside the test's transaction.
"""

import re
from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext


def _shape(sql: str) -> str:
    """A query without its literal values, to spot the one that repeats."""
    return re.sub(r"\b\d+\b|'[^']*'", "?", sql)


def _count_queries(client, url: str, data, method: str) -> tuple[CaptureQueriesContext, int]:
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(url, data or {})
    return queries, response.status_code


def assert_same_queries(
    client,
    url: str,
    grow: Callable[[], object],
    *,
    data: dict | None = None,
    method: str = "get",
    status: int = 200,
    before_each: Callable[[], object] | None = None,
) -> int:
    """Fail when `url` issues more (or fewer) queries after `grow()` than before. Returns the count.
    `before_each` runs before each request: `cache.clear` for a page that keeps what it read (the
    home page), so that both counts read it all."""
    prepare = before_each or (lambda: None)
    prepare()
    _count_queries(client, url, data, method)  # warm-up: content types, translations, sessions…
    prepare()
    before, code = _count_queries(client, url, data, method)
    assert code == status, f"{url} answered {code} before growing the data"
    grow()
    prepare()
    after, code = _count_queries(client, url, data, method)
    assert code == status, f"{url} answered {code} after growing the data"
    if len(before) != len(after):
        repeated = {}
        for query in after.captured_queries:
            shape = _shape(query["sql"])
            repeated[shape] = repeated.get(shape, 0) + 1
        worst = sorted(((n, s) for s, n in repeated.items() if n > 1), reverse=True)[:5]
        pytest.fail(
            f"{url}: {len(before)} queries before growing the data, {len(after)} after.\n"
            + "Most repeated after:\n"
            + "".join(f"  {n}× {s}\n" for n, s in worst)
            + "Before:\n"
            + "".join(f"  {i}. {q['sql']}\n" for i, q in enumerate(before.captured_queries, 1))
            + "After:\n"
            + "".join(f"  {i}. {q['sql']}\n" for i, q in enumerate(after.captured_queries, 1))
        )
    return len(after)
