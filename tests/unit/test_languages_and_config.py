import pytest

from portal.config import DEVELOPMENT_SECRET, ConfigurationError, Settings
from portal.domain.languages import Language, best_match, describe


def test_languages_are_named_in_themselves_with_direction() -> None:
    assert describe("ar") == Language("ar", "العربية", "rtl")
    assert describe("ti").native_name == "ትግርኛ"
    assert describe("en_GB").native_name == "English"
    assert describe("fa_AF").tag == "fa-AF"
    assert describe("fa_AF").direction == "rtl"


def test_browser_languages_match_what_is_offered() -> None:
    offered = {code: describe(code) for code in ("en_GB", "ar", "ti")}
    assert best_match(["ar-EG", "en"], offered) == "ar"
    assert best_match(["en-US"], offered) == "en_GB"
    assert best_match(["fr", "ti-ER"], offered) == "ti"
    assert best_match(["fr"], offered) is None


def test_production_needs_a_real_secret_key() -> None:
    with pytest.raises(ConfigurationError):
        Settings.from_environment({"PORTAL_ENV": "production"})
    with pytest.raises(ConfigurationError):
        Settings.from_environment({"PORTAL_ENV": "production", "SECRET_KEY": "short"})
    with pytest.raises(ConfigurationError):
        Settings.from_environment({"PORTAL_ENV": "production", "SECRET_KEY": DEVELOPMENT_SECRET})
    ok = Settings.from_environment({"PORTAL_ENV": "production", "SECRET_KEY": "s" * 40})
    assert ok.secure_cookies


def test_database_url_defaults_to_sqlite_and_accepts_postgres() -> None:
    assert Settings.from_environment({"PORTAL_ENV": "development"}).database_url.startswith(
        "sqlite:///"
    )
    pg = Settings.from_environment(
        {"PORTAL_ENV": "test", "DATABASE_URL": "postgresql://postgres@127.0.0.1/test"}
    )
    assert pg.database_url == "postgresql+psycopg://postgres@127.0.0.1/test"
