"""Runs one browser test module for CTest: `python3 run.py MODULE`.

Exits 77 (CTest's SKIP_RETURN_CODE for these tests: reported as skipped,
never as passed) naming what is missing when Chromium, its driver,
Selenium or axe-core is not installed (scripts/setup installs them all);
otherwise runs the module's unittest tests and exits 0 if they all pass,
1 if not.
"""

import os
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import browser  # noqa: E402

SKIP = 77


def main():
    if len(sys.argv) != 2:
        print("usage: run.py MODULE", file=sys.stderr)
        return 2
    missing = browser.missing_tools()
    if missing:
        print("SKIPPED: the browser tests need " + "; ".join(missing) +
              " (install them with scripts/setup)")
        return SKIP
    start = time.monotonic()
    suite = unittest.defaultTestLoader.loadTestsFromName(sys.argv[1])
    result = unittest.TextTestRunner(verbosity=2).run(suite)
    print(f"{sys.argv[1]}: {time.monotonic() - start:.1f} s; screenshots in "
          f"{os.path.join(browser.out_dir(), 'screenshots')}")
    return 0 if result.wasSuccessful() and result.testsRun > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
