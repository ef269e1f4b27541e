"""Schemathesis against the whole API, on a registry holding the bundled Belarus list:
whatever the generated requests, no 5xx and every response as the OpenAPI says.

The app is built when the module is imported, as schemathesis reads its OpenAPI
description to make one test per operation (its lazy ``from_fixture`` loader does not
run under pytest 9); the registry it serves is filled by a fixture before the first
request, and removed at exit.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import positive_data_acceptance

from sanctio.api.routers.own import include_own_routers
from sanctio.designation.auth import Role
from sanctio.designation.workflow import Designation
from tests.api import import_belarus, make_app

#: Operations whose valid requests JSON Schema cannot describe exactly, so a request
#: the description allows may rightly be refused: a bound on two parameters together,
#: exactly one of two, and an uploaded file whose content must be a results table.
UNDESCRIBABLE = {
    "GET /search/{dataset}",  # offset + limit at most 10,000
    "GET /candidates",
    "POST /forensics/integer-test",
    "POST /forensics/report",
}

FOLDER = Path(tempfile.mkdtemp(prefix="sanctio-schemathesis-"))
atexit.register(shutil.rmtree, FOLDER, ignore_errors=True)
URL = f"sqlite:///{FOLDER / 'registry.db'}"
APP: FastAPI = make_app(URL, FOLDER / "data", require_token=False)
include_own_routers(APP)
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


#: An officer, added now: schemathesis asks for the token while collecting the tests.
OFFICER = Designation(APP.state.service.registry).add_user(None, "officer", Role.OFFICER)


@pytest.fixture(scope="module", autouse=True)
def _belarus() -> None:
    """The Belarus list in the registry, before the first request."""
    import_belarus(URL)


@schema.auth()
class OfficerToken:
    """Every request as the officer, so that changes get past the token and reach the
    workflow; schemathesis leaves it out where it tests a request without one."""

    def get(self, case: schemathesis.Case, context: schemathesis.AuthContext) -> str:
        return OFFICER

    def set(self, case: schemathesis.Case, data: str, context: schemathesis.AuthContext) -> None:
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    phases=[Phase.explicit, Phase.generate],
    derandomize=True,
)
def test_api(case: schemathesis.Case) -> None:
    excluded = [positive_data_acceptance] if case.operation.label in UNDESCRIBABLE else []
    case.call_and_validate(excluded_checks=excluded)
