"""The system Chromium the browser tests drive, the devices they emulate, and their screenshots.

Plain helpers, imported by conftest.py (the fixtures) and by the test modules.
"""

import os
import re
from pathlib import Path

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


def launch_chromium(playwright, **kwargs):
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS, **kwargs
    )


def screenshot(page, name):
    """Save a full-page screenshot to artifacts/screenshots/<width>/<name>.png."""
    folder = SCREENSHOTS / str(page.viewport_size["width"])
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
