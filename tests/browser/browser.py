"""Headless Chromium for the browser tests (issue 15 "Must show").

Debian's chromium and chromium-driver, driven by Debian's python3-selenium.
A Browser is one Chromium with a fresh profile; it shows pages at the
phone (390x844) or desktop (1366x768) size, checks a page with axe-core
(tests/browser/node_modules, installed by scripts/setup's npm ci) and saves
screenshots of it at both sizes.

Environment (set by CTest, tests/browser/CMakeLists.txt):
  CASERELAY_BROWSER_OUT  where screenshots/ and the browser's logs go
  CASERELAY_AXE          axe.min.js

Not thread-safe: one test thread drives a Browser.
"""

import base64
import ctypes
import json
import os
import re
import shutil
import signal
import tempfile

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"

PHONE = (390, 844)
DESKTOP = (1366, 768)
# The console's large screen (issue 16: 1366x768 and up).
WIDE = (1920, 1080)


def scaled(seconds):
    """`seconds` times $CASERELAY_TEST_TIME_SCALE (>= 1; 1 when unset), for
    waits: under the sanitizers (scripts/test --sanitize) the system runs
    several times slower (as the harness's Scaled)."""
    try:
        scale = float(os.environ.get("CASERELAY_TEST_TIME_SCALE", "1"))
    except ValueError:
        scale = 1.0
    return seconds * max(scale, 1.0)


# axe-core impacts that fail a page (issue 15's web-layer rule).
FAILING_IMPACTS = ("serious", "critical")


def missing_tools():
    """What the browser tests need and this machine lacks ([] if none)."""
    missing = []
    for path, package in ((CHROMIUM, "chromium"),
                          (CHROMEDRIVER, "chromium-driver")):
        if not os.access(path, os.X_OK):
            missing.append(f"{path} (Debian package {package})")
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("selenium (Debian package python3-selenium)")
    axe = os.environ.get("CASERELAY_AXE", "")
    if not os.path.isfile(axe):
        missing.append(f"axe-core at '{axe}' (scripts/setup runs npm ci)")
    return missing


def out_dir():
    path = os.environ.get("CASERELAY_BROWSER_OUT") or tempfile.gettempdir()
    os.makedirs(os.path.join(path, "screenshots"), exist_ok=True)
    return path


def _die_with_parent():
    """In the child before exec: SIGKILL when the test process dies
    (PR_SET_PDEATHSIG), so a killed test leaves no chromedriver behind."""
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0)


# A console line for an API call answered with an error status.
API_STATUS = re.compile(r"/api/v1/\S* - Failed to load resource: the server "
                        r"responded with a status of [45]\d\d")


class AxeViolations(AssertionError):
    """A page has serious or critical accessibility violations."""


def format_violations(page, violations):
    lines = [f"{page}: {len(violations)} serious/critical axe-core violations"]
    for v in violations:
        lines.append(f"  [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v.get("nodes", [])[:5]:
            lines.append(f"      at {node.get('target')}: "
                         f"{(node.get('failureSummary') or '').splitlines()[-1:]}")
    return "\n".join(lines)


class Browser:
    """One headless Chromium with a fresh profile, shown at PHONE size."""

    def __init__(self):
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        self._profile = tempfile.mkdtemp(prefix="caserelay-chromium-")
        options = webdriver.ChromeOptions()
        options.binary_location = os.path.join(
            os.path.dirname(os.path.abspath(__file__)), "chromium-pdeathsig")
        for flag in ("--headless=new", "--no-sandbox", "--disable-gpu",
                     "--disable-background-networking",
                     "--disable-component-update", "--disable-sync",
                     "--no-first-run", "--disable-dev-shm-usage",
                     f"--user-data-dir={self._profile}",
                     f"--window-size={DESKTOP[0]},{DESKTOP[1]}"):
            options.add_argument(flag)
        # The console (CSP refusals, uncaught errors) for check_page.
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        log = os.path.join(out_dir(), "chromedriver.log")
        self.driver = webdriver.Chrome(
            service=Service(CHROMEDRIVER, log_path=log,
                            popen_kw={"preexec_fn": _die_with_parent}),
            options=options)
        self.driver.set_page_load_timeout(scaled(30))
        self.driver.set_script_timeout(scaled(30))
        with open(os.environ["CASERELAY_AXE"], encoding="utf-8") as f:
            self._axe = f.read()
        self.size(*PHONE)

    def close(self):
        try:
            self.driver.quit()
        finally:
            shutil.rmtree(self._profile, ignore_errors=True)

    def size(self, width, height):
        """Shows pages in a width x height viewport (a phone is mobile)."""
        self._size = (width, height)
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": width, "height": height, "deviceScaleFactor": 1,
            "mobile": width < 600})

    def axe(self, page):
        """Runs axe-core on the current page; raises AxeViolations listing
        every serious or critical violation. Returns all violations."""
        d = self.driver
        if not d.execute_script("return typeof window.axe === 'object'"):
            # Through WebDriver, not a <script> element: the page's CSP
            # (script-src 'self') does not apply to it.
            d.execute_script(self._axe)
        result = d.execute_async_script("""
            const done = arguments[arguments.length - 1];
            axe.run(document, {resultTypes: ['violations']})
              .then(r => done(JSON.stringify(r.violations)))
              .catch(e => done(JSON.stringify({error: String(e)})));
        """)
        violations = json.loads(result)
        if isinstance(violations, dict):
            raise AssertionError(f"{page}: axe-core failed: {violations}")
        bad = [v for v in violations if v.get("impact") in FAILING_IMPACTS]
        if bad:
            raise AxeViolations(format_violations(page, bad))
        return violations

    def console_errors(self):
        """The console's errors since the last call: a script or style the
        Content-Security-Policy refused, an uncaught exception, a file that
        failed to load. An API answer with an error status is not one: the
        pages show those (the gateway's 4xx/5xx are expected on the error
        paths)."""
        errors = []
        for entry in self.driver.get_log("browser"):
            if entry.get("level") != "SEVERE":
                continue
            message = entry.get("message", "")
            if API_STATUS.search(message):
                continue
            errors.append(message)
        return errors

    def screenshot(self, name):
        """Saves the whole page as screenshots/<name>.png; returns the path."""
        d = self.driver
        height = d.execute_script(
            "return Math.max(document.documentElement.scrollHeight,"
            " document.body ? document.body.scrollHeight : 0)")
        width = self._size[0]
        shot = d.execute_cdp_cmd("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": width, "height": height,
                     "scale": 1}})
        path = os.path.join(out_dir(), "screenshots", f"{name}.png")
        with open(path, "wb") as f:
            f.write(base64.b64decode(shot["data"]))
        return path

    def check_page(self, name, sizes=None):
        """The page as it is now, at each of `sizes` (default: PHONE and
        DESKTOP, saved as <name>-phone.png and <name>-desktop.png; the
        console's pages pass (DESKTOP, WIDE): <name>-1366.png and
        <name>-1920.png): axe-core at each (failing on serious/critical)
        and a screenshot of the whole page. Leaves the browser at the first
        size (PHONE by default). Also fails on console errors (console_errors) since the last
        check."""
        errors = self.console_errors()
        if errors:
            raise AssertionError(f"{name}: console errors:\n  "
                                 + "\n  ".join(errors))
        labels = {PHONE: "phone", DESKTOP: "desktop"}
        if sizes is not None:
            labels = {size: str(size[0]) for size in sizes}
        try:
            for size, label in labels.items():
                self.size(*size)
                self.axe(f"{name} ({label})")
                self.screenshot(f"{name}-{label}")
        finally:
            self.size(*next(iter(labels)))
