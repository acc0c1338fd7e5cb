"""Headless Chromium for the browser tests, the screenshots and the view benchmark: Debian's binary
(``bash scripts/system-deps.sh`` installs it; Playwright drives it, nothing is downloaded), one set of flags."""

from __future__ import annotations

__all__ = ["CHROMIUM", "ARGS", "launch"]

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--mute-audio",
]


def launch(playwright):
    """A headless browser of ``playwright`` (a ``sync_playwright()`` context) running Debian's Chromium."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
