"""The browser helper itself (browser.py), on two fixed pages: the axe-core
check must fail a page with serious or critical violations and list them,
and pass a clean one; screenshots come out at the phone and desktop widths
(issue 15 "Must show": axe-core on every page, screenshots of every page at
both widths), and a console error (a script the CSP refused) fails a page. No system needed: the pages are files.
"""

import os
import pathlib
import struct
import unittest

import browser

FIXTURES = pathlib.Path(__file__).resolve().parent / "fixtures"


def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    assert head[:8] == b"\x89PNG\r\n\x1a\n", path
    return struct.unpack(">II", head[16:24])


class AxeCheckTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.b = browser.Browser()

    @classmethod
    def tearDownClass(cls):
        cls.b.close()

    def test_serious_and_critical_violations_fail_the_page(self):
        # Rule: issue 15 web layer, "fail on any serious or critical
        # violation"; the fixture has an unlabelled field (axe "label",
        # critical) and grey-on-white text (axe "color-contrast", serious).
        self.b.driver.get((FIXTURES / "axe_broken.html").as_uri())
        with self.assertRaises(browser.AxeViolations) as caught:
            self.b.check_page("fixture-axe-broken")
        message = str(caught.exception)
        self.assertIn("[critical] label", message)
        self.assertIn("[serious] color-contrast", message)

    def test_clean_page_passes_with_screenshots_at_both_widths(self):
        # Rule: issue 15 "Must show", screenshots at phone (390) and
        # desktop (1366) widths of every page checked.
        self.b.driver.get((FIXTURES / "axe_clean.html").as_uri())
        self.b.check_page("fixture-axe-clean")
        shots = os.path.join(browser.out_dir(), "screenshots")
        for suffix, width in (("phone", browser.PHONE[0]),
                              ("desktop", browser.DESKTOP[0])):
            w, h = png_size(os.path.join(shots,
                                         f"fixture-axe-clean-{suffix}.png"))
            self.assertEqual(w, width, suffix)
            self.assertGreaterEqual(h, browser.PHONE[1] if suffix == "phone"
                                    else browser.DESKTOP[1], suffix)

    def test_console_errors_fail_the_page(self):
        # Rule: issue 15 web layer, CSP "script-src 'self'" (no inline
        # script): a script the policy refuses is a console error, and
        # check_page fails on it, naming it.
        self.b.console_errors()  # what earlier pages left
        self.b.driver.get((FIXTURES / "csp_refused.html").as_uri())
        with self.assertRaises(AssertionError) as caught:
            self.b.check_page("fixture-csp-refused")
        self.assertIn("violates the following Content Security Policy",
                      str(caught.exception))
        self.assertNotEqual(self.b.driver.title, "ran")


if __name__ == "__main__":
    unittest.main()
