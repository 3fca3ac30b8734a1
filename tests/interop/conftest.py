"""Fixtures for the interop tests: the app's own (a real database per test, an app context for each test)."""
import pytest

from tests.conftest import app, bpmn_dir, client, template_db  # noqa: F401  (pytest fixtures)


@pytest.fixture(autouse=True)
def _app_context(app):  # noqa: F811
    yield app
