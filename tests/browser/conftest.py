"""Browser tests: Debian's headless Chromium driven by Playwright against pytest-django's live server.

No browser is ever downloaded: Playwright launches the system /usr/bin/chromium (the chromium
package, installed by .ci/run together with fonts-noto-cjk). Where it is missing the tests skip
locally but fail under CI, so a CI machine without the browser can never pass silently.

One browser serves the whole package; every test gets a fresh context (cookies, storage, viewport).
Screenshots land in artifacts/screenshots/<width>/<name>.png at the repository root, which CI
leaves in place after the run.
"""

import os

import pytest

from tests.browser.chromium import CHROMIUM, DESKTOP, PHONE, launch_chromium


def _unavailable(reason):
    """Skip on a developer's machine; fail under CI, where the browser must be there."""
    message = f"{reason}: the browser tests need Debian's chromium and fonts-noto-cjk (see .ci/run)"
    if os.environ.get("CI"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="package")
def playwright_instance():
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is not installed")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - it is a dev dependency
        _unavailable("the playwright package is not installed")
    # Playwright's sync API keeps an asyncio loop running on this thread, and Django refuses ORM
    # calls from a thread with a running loop. The tests' ORM calls are plain synchronous code,
    # so the check is lifted for as long as the browser package runs, and restored after it.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            yield playwright
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="package")
def browser(playwright_instance):
    browser = launch_chromium(playwright_instance)
    yield browser
    browser.close()


@pytest.fixture
def demo(transactional_db):
    """The demo content: two published issues and one draft issue."""
    from bulletin.site.demo.loader import load_demo_content

    return load_demo_content()


def _new_context(browser, live_server, device):
    options = {key: value for key, value in device.items() if key != "name"}
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", **options)
    context.set_default_timeout(10_000)
    return context


@pytest.fixture
def new_context(browser, live_server):
    """Open fresh browser contexts (a new visitor each) for a device; closed after the test."""
    contexts = []

    def make(device=DESKTOP):
        context = _new_context(browser, live_server, device)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture(params=[PHONE, DESKTOP], ids=lambda device: device["name"])
def device(request):
    return request.param


@pytest.fixture
def page(new_context, device):
    """A page in a fresh context at phone or desktop size; it fails the test on a JS error."""
    page = new_context(device).new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    assert not errors, f"JavaScript errors: {errors}"
