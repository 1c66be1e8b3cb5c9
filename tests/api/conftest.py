"""The API tests use the desk's app (CSRF off), users and tokens."""

from tests.desk.conftest import app_config, demo, editor, fact_checker, make_user, token_for  # noqa: F401
