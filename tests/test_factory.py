"""create_app: config order (defaults, instance/config.py, environment, test_config), secret."""

from __future__ import annotations

import stat

import pytest

from disputes import create_app


@pytest.fixture
def clean_env(monkeypatch):
    """No SECRET_KEY, DATABASE_URL, UPLOAD_FOLDER or FLASK_* overrides from the caller's shell."""
    for name in ("SECRET_KEY", "DATABASE_URL", "UPLOAD_FOLDER", "FLASK_CASE_NUMBER_PREFIX"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


@pytest.fixture
def instance(tmp_path):
    path = tmp_path / "instance"
    path.mkdir()
    return path


def test_defaults_apply_without_any_override(clean_env, instance):
    app = create_app(instance_path=str(instance))
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "sqlite:///disputes.sqlite"
    assert app.config["CASE_NUMBER_PREFIX"] == "SJZ"
    assert not app.testing


def test_instance_config_overrides_defaults(clean_env, instance):
    (instance / "config.py").write_text('CASE_NUMBER_PREFIX = "INS"\nSECRET_KEY = "from-file"\n')
    app = create_app(instance_path=str(instance))
    assert app.config["CASE_NUMBER_PREFIX"] == "INS"
    assert app.config["SECRET_KEY"] == "from-file"


def test_environment_overrides_instance_config(clean_env, instance):
    (instance / "config.py").write_text('CASE_NUMBER_PREFIX = "INS"\nSECRET_KEY = "from-file"\n')
    clean_env.setenv("SECRET_KEY", "from-env")
    clean_env.setenv("DATABASE_URL", "sqlite:////tmp/from-env.sqlite")
    clean_env.setenv("FLASK_CASE_NUMBER_PREFIX", "ENV")
    app = create_app(instance_path=str(instance))
    assert app.config["SECRET_KEY"] == "from-env"
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "sqlite:////tmp/from-env.sqlite"
    assert app.config["CASE_NUMBER_PREFIX"] == "ENV"


def test_test_config_overrides_everything(clean_env, instance):
    clean_env.setenv("FLASK_CASE_NUMBER_PREFIX", "ENV")
    app = create_app({"CASE_NUMBER_PREFIX": "TST", "TESTING": True}, instance_path=str(instance))
    assert app.config["CASE_NUMBER_PREFIX"] == "TST"
    assert app.testing


def test_secret_key_is_generated_once_and_reused(clean_env, instance):
    first = create_app(instance_path=str(instance))
    secret_file = instance / "secret_key"
    assert secret_file.exists()
    assert stat.S_IMODE(secret_file.stat().st_mode) == 0o600
    assert len(first.config["SECRET_KEY"]) == 64
    second = create_app(instance_path=str(instance))
    assert second.config["SECRET_KEY"] == first.config["SECRET_KEY"]


def test_configured_secret_is_not_written_to_disk(clean_env, instance):
    create_app({"SECRET_KEY": "given"}, instance_path=str(instance))
    assert not (instance / "secret_key").exists()


def test_missing_instance_folder_is_created(clean_env, tmp_path):
    create_app({"SECRET_KEY": "x"}, instance_path=str(tmp_path / "new" / "instance"))
    assert (tmp_path / "new" / "instance").is_dir()


def test_every_blueprint_is_registered(clean_env, instance):
    app = create_app({"SECRET_KEY": "x"}, instance_path=str(instance))
    assert {"public", "auth", "cases", "experts", "staff", "api"} <= set(app.blueprints)
    assert app.url_map.bind("").match("/auth/login")[0] == "auth.login"


@pytest.mark.parametrize(("prefix", "room"), [("/account", "account"), ("/admin", "admin")])
def test_every_page_under_account_and_admin_is_that_rooms(clean_env, instance, prefix, room):
    app = create_app({"SECRET_KEY": "x"}, instance_path=str(instance))
    rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint != "static"]
    under = {rule.endpoint for rule in rules if rule.rule.startswith(f"{prefix}/")}
    owned = {rule.endpoint for rule in rules if rule.endpoint.startswith(f"{room}.")}

    assert under
    assert under == owned
