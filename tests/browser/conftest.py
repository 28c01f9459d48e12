"""Browser tests: Debian's headless Chromium driven by Playwright against pytest-django's live server.

No browser is ever downloaded: Playwright launches the system /usr/bin/chromium (the chromium
package, installed by .ci/run together with fonts-noto-cjk). Where it is missing the tests skip
locally but fail under CI, so a CI machine without the browser can never pass silently.

One browser serves the whole package; every test gets a fresh context (cookies, storage, viewport).
Screenshots land in artifacts/screenshots/<width>/<name>.png at the repository root, which CI
leaves in place after the run.
"""

import os
import re
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("BULLETIN_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"

PHONE = {
    "name": "phone",
    "viewport": {"width": 360, "height": 740},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "user_agent": (
        "Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 "
        "(KHTML, like Gecko) Chrome/156.0.0.0 Mobile Safari/537.36"
    ),
}
DESKTOP = {"name": "desktop", "viewport": {"width": 1280, "height": 900}}

HAN = re.compile(r"[\u4e00-\u9fff]")


def _unavailable(reason):
    """Skip on a developer's machine; fail under CI, where the browser must be there."""
    message = f"{reason}: the browser tests need Debian's chromium and fonts-noto-cjk (see .ci/run)"
    if os.environ.get("CI"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def launch_chromium(playwright, **kwargs):
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS, **kwargs
    )


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


def screenshot(page, name):
    """Save a full-page screenshot to artifacts/screenshots/<width>/<name>.png."""
    folder = SCREENSHOTS / str(page.viewport_size["width"])
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
