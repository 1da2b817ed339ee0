"""Take the README screenshots of a running CityHall portal.

Usage: .venv/bin/python docs/screenshots/take_screenshots.py http://127.0.0.1:8000

Writes portal-home.png (1280x800) and portal-home-phone.png (390x844) beside this file, using
Debian's Chromium through Playwright, the same browser as the test suite.
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import ViewportSize, sync_playwright

CHROMIUM = "/usr/bin/chromium"
HERE = Path(__file__).resolve().parent
SHOTS: list[tuple[str, ViewportSize]] = [
    ("portal-home.png", {"width": 1280, "height": 800}),
    ("portal-home-phone.png", {"width": 390, "height": 844}),
]


def take_screenshots(base_url: str) -> list[Path]:
    """Photograph the English portal home at each size and return the files written."""
    written: list[Path] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        for name, viewport in SHOTS:
            context = browser.new_context(viewport=viewport)
            tab = context.new_page()
            tab.goto(base_url.rstrip("/") + "/en/", wait_until="networkidle")
            path = HERE / name
            tab.screenshot(path=str(path))
            written.append(path)
            context.close()
        browser.close()
    return written


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    for path in take_screenshots(sys.argv[1]):
        sys.stdout.write(f"{path} ({path.stat().st_size // 1024} KB)\n")
