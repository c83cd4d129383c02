"""schemathesis over the live server's OpenAPI schema: no server error, answers as documented.

Requests generated from the schema (schema-valid ones and, separately, schema-violating
ones) go to the real uvicorn server with a valid key. Checks: no 5xx, status codes, content
types and headers the schema documents, bodies that match the response schemas, and invalid
requests rejected. ``positive_data_acceptance`` is left out on purpose: a schema-valid ticker
or bioguide id that the universe does not hold is rightly a 404. schemathesis' own pytest
plugin is not used (its ``from_fixture`` trips on this pytest version); each operation runs as
a hypothesis test on ``APIOperation.as_strategy``. Examples per operation and mode are kept
small for CI time (``MAX_EXAMPLES``); the run is derandomized (reproducible).
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = pytest.mark.xdist_group("api")

MAX_EXAMPLES = 25
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_headers_conformance, response_schema_conformance]
OPERATIONS = [("GET", "/predictions/{ticker}"), ("POST", "/anomaly-detection"),
              ("GET", "/politicians/{bioguide_id}/performance"), ("GET", "/health")]
CASES = [(m, p, mode) for m, p in OPERATIONS
         for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
         if not (p == "/health" and mode is GenerationMode.NEGATIVE)]   # no inputs to break


@pytest.fixture(scope="session")
def api_schema(live):
    # The first anomaly and performance requests compute their tables (seconds): do it
    # before the generated requests, which use a per-request timeout.
    live.post("/anomaly-detection", json={"start": "2020-01-01", "end": "2020-01-31"})
    bioguide = next(iter(live.app.state.holder.state.bioguide))
    live.get(f"/politicians/{bioguide}/performance")
    return schemathesis.openapi.from_url(f"{live.url}/openapi.json")


@pytest.mark.parametrize("method, path, mode", CASES,
                         ids=[f"{p}-{'valid' if m is GenerationMode.POSITIVE else 'invalid'}"
                              for _, p, m in CASES])
def test_openapi_contract(live, api_schema, method, path, mode):
    operation = api_schema[path][method]
    checks = CHECKS + ([negative_data_rejection] if mode is GenerationMode.NEGATIVE else [])
    calls = []

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def run(case):
        response = case.call_and_validate(base_url=live.url,
                                          headers={"X-API-Key": live.key}, checks=checks,
                                          timeout=120)
        calls.append(response.status_code)

    run()
    assert calls and max(calls) < 500
