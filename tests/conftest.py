from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.test import override_settings

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session", autouse=True)
def _collected_static() -> None:
    # Tests run with production's hashed, compressed static files, so a template that names a
    # missing file fails here rather than in production.
    call_command("collectstatic", interactive=False, verbosity=0)


@pytest.fixture(autouse=True)
def _empty_page_cache() -> None:
    # Each test's database starts over, version numbers included: so must the cached pages and
    # the filter form's tags.
    from catalog.filter_tags import filter_tags

    cache.clear()
    filter_tags.cache_clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:
    # The real hasher takes most of a second per password on purpose; tests make hundreds.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _plain_http(settings) -> None:
    # Production defaults redirect to HTTPS; the test client and live server speak plain HTTP.
    settings.SECURE_SSL_REDIRECT = False


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(scope="session")
def _live_server_settings() -> Iterator[None]:
    # The live server builds its handler once, when it starts, so per-test overrides come too
    # late for it: SecurityMiddleware has read SECURE_SSL_REDIRECT by then. Its static handler
    # looks files up through the finders, which know no hashed (manifest) names.
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(SECURE_SSL_REDIRECT=False, STORAGES=storages):
        yield


@pytest.fixture(scope="session")
def live_server(_live_server_settings, live_server):  # noqa: F811 — wraps pytest-django's own
    return live_server


@pytest.fixture(scope="session")
def browser() -> Iterator:
    """Debian's headless Chromium, driven by Playwright; never a downloaded browser."""
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Browser tests need Debian's chromium at {CHROMIUM}: run `sudo apt-get install chromium`"
            " (make test does it when run as root) or set CHROMIUM."
        )
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread for the rest of the session; the
    # ORM calls the tests make between browser steps are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser) -> Iterator:
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def axe_context(browser) -> Iterator:
    """A browser context for the accessibility tests (tests/axe.py), which inject axe-core."""
    # axe goes in as an inline script, which the site's Content-Security-Policy (script-src
    # 'self') rightly refuses: only these contexts bypass it, to inspect the page.
    context = browser.new_context(bypass_csp=True)
    context.set_default_timeout(10_000)
    yield context
    context.close()


ARTIFACTS_DIR = Path(
    os.environ.get("TEST_ARTIFACTS", Path(__file__).resolve().parent.parent / "test-artifacts")
)
_saved_artifacts: list[Path] = []


@pytest.fixture
def save_artifact() -> Callable[[str], Path]:
    """Where a test saves a file for people to look at (screenshots): test-artifacts/ by default."""

    def path_for(name: str) -> Path:
        ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS_DIR / name
        _saved_artifacts.append(path)
        return path

    return path_for


def pytest_terminal_summary(terminalreporter) -> None:
    if _saved_artifacts:
        terminalreporter.write_sep("-", "test artefacts")
        for path in _saved_artifacts:
            terminalreporter.write_line(str(path))
