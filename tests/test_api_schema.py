"""Requests generated from the API's own OpenAPI schema (schemathesis, a bounded number per operation), sent with
an officer's key so uploads and deletes are exercised too: whatever they hold, no server error, and every response
as the schema describes it."""

from __future__ import annotations

import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance

from api.app import create_app

OFFICER = {"Authorization": "Bearer officer-key"}
EXAMPLES = 15


def test_no_generated_request_gets_a_server_error(sample_settings):
    app = create_app(sample_settings.model_copy(update={"api_keys": "officer-key:officer"}))
    with TestClient(app):  # start-up: the store and index are loaded once for every generated request
        schema = schemathesis.openapi.from_asgi("/openapi.json", app)
        operations = [result.ok() for result in schema.get_all_operations()]
        assert {operation.label for operation in operations} >= {"GET /search", "POST /ask", "POST /documents"}
        statuses: list[int] = []
        for operation in operations:
            @given(case=operation.as_strategy())
            @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
            def no_server_error(case: schemathesis.Case) -> None:
                checks = [not_a_server_error, response_schema_conformance]
                statuses.append(case.call_and_validate(headers=OFFICER, checks=checks).status_code)

            no_server_error()
    assert len(statuses) >= 5 * len(operations) and max(statuses) < 500
