"""Hypothesis over the readers of network and file input: parse_feed (and the articles built
from its entries), extract_page, the sanitizer, the OPML and urls readers. Bounded and
derandomized here (a few seconds, never flaky); bench/bench_fuzz.py runs the same properties
for long."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis.strategies import SearchStrategy

from tests.fuzz_properties import PROPERTIES

CI_EXAMPLES = 40


@pytest.mark.parametrize(("prop", "strategy"), PROPERTIES, ids=[p.__name__ for p, _ in PROPERTIES])
def test_property(prop: Callable[[Any], None], strategy: SearchStrategy[Any]) -> None:
    run = settings(
        max_examples=CI_EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )(given(strategy)(prop))
    run()
