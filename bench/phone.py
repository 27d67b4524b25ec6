"""The phone's view: a child's first page and a question page in Chromium, throttled.

The throttling is Lighthouse's mobile profile, applied through the DevTools protocol:
150 ms round trip, 1.6 Mbps down and 750 kbps up (Network.emulateNetworkConditions), a
CPU four times slower (Emulation.setCPUThrottlingRate), on a 412 x 823 screen at 1.75x
(a mid-range Android phone). The page reports, through PerformanceObserver:

* Largest Contentful Paint (``largest-contentful-paint``), from the start of navigation;
* total blocking time: the part over 50 ms of every long task (``longtask``) after the
  first contentful paint, as Lighthouse adds it up;
* cumulative layout shift (``layout-shift`` without recent input), in session windows.

The first page is loaded with an empty cache, as on a first visit; the question page
next, in the same browser, so its stylesheet and script come from the cache (they are
sent as immutable). The servers do not compress: a proxy in front of the portal would,
so these figures are on the slow side of what a phone would see.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Lighthouse's mobile profile (its "mobileSlow4G" settings and Moto G Power screen).
RTT_MS = 150
DOWNLOAD_KBPS = 1.6 * 1024
UPLOAD_KBPS = 750
CPU_SLOWDOWN = 4
VIEWPORT = {"width": 412, "height": 823}
SCALE = 1.75
MOBILE_UA = (
    "Mozilla/5.0 (Linux; Android 11; moto g power (2022)) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36"
)

# Installed before any page script: collects the three figures as the page loads.
OBSERVE = """
(() => {
  const seen = { lcp: null, fcp: null, longTasks: [], shifts: [] };
  window.__phoneFigures = seen;
  const watch = (type, callback) => {
    try {
      new PerformanceObserver((list) => list.getEntries().forEach(callback))
        .observe({ type, buffered: true });
    } catch (error) { /* not supported: left empty */ }
  };
  watch('largest-contentful-paint', (e) => { seen.lcp = e.startTime; });
  watch('paint', (e) => { if (e.name === 'first-contentful-paint') seen.fcp = e.startTime; });
  watch('longtask', (e) => { seen.longTasks.push([e.startTime, e.duration]); });
  watch('layout-shift', (e) => {
    if (!e.hadRecentInput) seen.shifts.push([e.startTime, e.value]);
  });
})();
"""


@dataclass
class PhoneFigures:
    path: str
    cache: str
    lcp_ms: float | None
    fcp_ms: float | None
    total_blocking_time_ms: float
    cumulative_layout_shift: float
    bytes_transferred: int


def available() -> str | None:
    """Why the phone's view cannot be measured here, or None if it can."""
    if not CHROMIUM.exists() and shutil.which(str(CHROMIUM)) is None:
        return f"no Chromium at {CHROMIUM} (set CHROMIUM, or apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed (pip install -e '.[dev]')"
    return None


def _layout_shift(shifts: list[list[float]]) -> float:
    """The largest session window: shifts less than 1 s apart, at most 5 s long."""
    best = current = 0.0
    window_start = previous = None
    for start, value in sorted(shifts):
        if window_start is None or start - previous > 1000 or start - window_start > 5000:  # type: ignore[operator]
            window_start, current = start, 0.0
        current += value
        previous = start
        best = max(best, current)
    return best


def _figures(page: Any, path: str, cache: str, transferred: int) -> PhoneFigures:
    # LCP settles once the page has loaded and painted; give it a moment more.
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(1500)
    seen = page.evaluate("window.__phoneFigures")
    fcp = seen["fcp"]
    blocking = sum(
        max(0.0, duration - 50)
        for start, duration in seen["longTasks"]
        if fcp is None or start >= fcp
    )
    return PhoneFigures(
        path=path,
        cache=cache,
        lcp_ms=seen["lcp"],
        fcp_ms=fcp,
        total_blocking_time_ms=blocking,
        cumulative_layout_shift=_layout_shift(seen["shifts"]),
        bytes_transferred=transferred,
    )


def measure(port: int, cookies: dict[str, str], first_path: str, next_path: str) -> list[dict]:
    """Load the two pages as a throttled phone; their figures, first page first."""
    from playwright.sync_api import sync_playwright

    base = f"http://127.0.0.1:{port}"
    results = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            context = browser.new_context(
                viewport=VIEWPORT,
                device_scale_factor=SCALE,
                is_mobile=True,
                has_touch=True,
                user_agent=MOBILE_UA,
            )
            context.add_cookies(
                [{"name": name, "value": value, "url": base} for name, value in cookies.items()]
            )
            context.add_init_script(OBSERVE)
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            cdp.send(
                "Network.emulateNetworkConditions",
                {
                    "offline": False,
                    "latency": RTT_MS,
                    "downloadThroughput": DOWNLOAD_KBPS * 1024 / 8,
                    "uploadThroughput": UPLOAD_KBPS * 1024 / 8,
                },
            )
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
            received = {"bytes": 0}

            def count(event: dict) -> None:
                received["bytes"] += int(event.get("encodedDataLength", 0))

            cdp.on("Network.loadingFinished", count)
            for path, cache in ((first_path, "empty"), (next_path, "warm")):
                received["bytes"] = 0
                page.goto(base + path, wait_until="load")
                results.append(asdict(_figures(page, path, cache, received["bytes"])))
            context.close()
        finally:
            browser.close()
    return results
