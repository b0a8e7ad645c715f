"""Steps of the portal tests (portal_test.py) on one browser and one
system: finding, filling and clicking by the pages' element ids, and the
petitioner's moves (fill the petition with the SMS code, submit, look up).

Not thread-safe: one test thread drives a Portal.
"""

from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

import browser

# The petition's place: 山西省 长治市 沁源县 沁河镇.
REGION_PATH = ("140000", "140400", "140431", "140431100")
SCROLL_INTO_VIEW = "arguments[0].scrollIntoView({block: 'center'})"


def assert_polite_chinese(test, message):
    """issue 15 item 2: errors are plain Chinese, never a gRPC code name, a
    stack trace or an English sentence."""
    test.assertTrue(message, "no message shown")
    test.assertRegex(message, r"[\u4e00-\u9fff]", message)
    test.assertNotRegex(message, r"[A-Za-z]{3,}", message)


class Portal:
    """The pages of the gateway at system.url in browser.Browser `b`."""

    def __init__(self, b, system):
        self.b = b
        self.sys = system

    def wait(self, condition, timeout=20, message=""):
        # A page drawn again while read (a stale element) is looked at
        # again at the next poll, like an element not there yet.
        return WebDriverWait(self.b.driver, browser.scaled(timeout),
                             poll_frequency=0.1,
                             ignored_exceptions=(
                                 StaleElementReferenceException,)).until(
            lambda d: condition(), message)

    def by_id(self, element_id):
        return self.b.driver.find_element(By.ID, element_id)

    def visible(self, element_id):
        found = self.b.driver.find_elements(By.ID, element_id)
        return bool(found) and found[0].is_displayed()

    def text(self, element_id):
        return self.by_id(element_id).text.strip()

    def fill(self, element_id, value):
        field = self.by_id(element_id)
        field.clear()
        field.send_keys(value)

    def open_page(self, path):
        self.b.driver.get(self.sys.url + path)
        self.wait(lambda: self.b.driver.execute_script(
            "return document.readyState") == "complete")

    def click(self, element_id):
        element = self.by_id(element_id)
        self.b.driver.execute_script(SCROLL_INTO_VIEW, element)
        element.click()

    def submit_form_of(self, element_id):
        """Clicks the submit button of the form holding element_id, by
        script as the tests always have."""
        form = self.by_id(element_id).find_element(By.XPATH, "ancestor::form")
        self.b.driver.execute_script(
            "arguments[0].click()",
            form.find_element(By.CSS_SELECTOR, "button[type=submit]"))

    def request_review(self, reason):
        """Fills the 复查 request's reason on case.html and submits it."""
        self.fill("request-review-reason", reason)
        self.submit_form_of("request-review-reason")

    def choose_radio(self, name, value):
        radio = self.b.driver.find_element(
            By.CSS_SELECTOR, f'input[name="{name}"][value="{value}"]')
        label = self.b.driver.find_element(
            By.CSS_SELECTOR, f'label[for="{radio.get_attribute("id")}"]')
        self.b.driver.execute_script(SCROLL_INTO_VIEW, label)
        label.click()

    def error_summary(self, container_css="#error-summary"):
        """The visible error summary's text ('' while none is shown)."""
        found = [e for e in self.b.driver.find_elements(By.CSS_SELECTOR,
                                                        container_css)
                 if e.is_displayed()]
        return found[0].text.strip() if found else ""

    def assert_no_script_ran(self, test, page):
        """issue 15 item 3: what the user typed is shown, never run."""
        test.assertIsNone(
            self.b.driver.execute_script("return window.__xss"), page)
        test.assertEqual(self.b.driver.find_elements(
            By.CSS_SELECTOR, "main script, main img[src='x']"), [], page)

    def fill_petition(self, phone, title, body):
        """Fills submit.html for a labour claim in 沁河镇, asking the SMS code
        for `phone`; returns the code that reached the fake SMSC."""
        self.open_page("/submit.html")
        self.wait(lambda: self.visible("petition-form"))
        self.fill("name", "张三")
        self.fill("phone", phone)
        self.fill("address", "山西省长治市沁源县沁河镇建设路1号")
        for depth, code in enumerate(REGION_PATH):
            self.wait(lambda: self.b.driver.find_elements(
                By.CSS_SELECTOR, f"#region-{depth} option[value='{code}']"),
                message=f"region {code} offered")
            Select(self.by_id(f"region-{depth}")).select_by_value(code)
        category = Select(self.by_id("category"))
        self.wait(lambda: len(category.options) > 1,
                  message="categories loaded")
        labour = [o for o in category.options if "劳动" in o.text]
        category.select_by_visible_text(
            (labour or category.options[1:])[0].text)
        radios = self.b.driver.find_elements(By.CSS_SELECTOR,
                                             'input[name="matter_class"]')
        claim = [r.get_attribute("value") for r in radios
                 if "ACCUSATION" not in r.get_attribute("value")]
        self.choose_radio("matter_class", claim[-1])
        self.fill("title", title)
        self.fill("text", body)
        self.click("send-code")
        code = self.sys.await_code(phone)
        self.wait(lambda: self.visible("code-sent"),
                  message="code sent notice")
        return code

    def to_check_page(self, code):
        self.fill("code", code)
        self.click("to-check")
        self.wait(lambda: self.visible("step-check"), message="核对信息 shown")

    def submit_petition(self):
        """From 核对信息: submits; returns (case number, look-up code) from the
        receipt page."""
        self.click("submit-petition")
        self.wait(lambda: self.b.driver.current_url.endswith("/receipt.html")
                  and self.text("case-number"),
                  message="receipt with the case number")
        return self.text("case-number"), self.text("lookup-code")

    def look_up(self, case_number, lookup_code):
        self.open_page("/lookup.html")
        self.wait(lambda: self.visible("lookup-form"))
        self.fill("case_number", case_number)
        self.fill("lookup_code", lookup_code)
        self.click("lookup-button")

    def open_case(self, case_number, lookup_code):
        self.look_up(case_number, lookup_code)
        self.wait(lambda: self.b.driver.current_url.endswith("/case.html")
                  and self.visible("case") and self.text("state-text"),
                  message="case shown")

    def reload_case(self):
        self.open_page("/case.html")
        self.wait(lambda: self.visible("case") and self.text("state-text"),
                  message="case shown")
