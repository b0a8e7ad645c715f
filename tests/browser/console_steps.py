"""Steps of the console tests (console_test.py) on one browser and one
system: logging in and out, reading the menu, filling the 登记 form, taking
an allowed action on the case page, waiting for lists to show a case.

Not thread-safe: one test thread drives a Console.
"""

from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

import browser
import portal_steps

# The console is for 1366x768 and up (issue 16 item 3).
SIZES = (browser.DESKTOP, browser.WIDE)


class Console(portal_steps.Portal):
    """The console's pages of the gateway at system.url in browser `b`."""

    def login(self, username, password, lands_on=None):
        """Logs in on the login page; waits for the page it lands on (its
        path, e.g. "/console/inbox.html", when given)."""
        self.open_page("/console/login.html")
        self.wait(lambda: self.visible("login-form") or self.visible("menu"),
                  message="login form")
        if self.visible("menu"):  # someone is still logged in
            self.logout()
            self.wait(lambda: self.visible("login-form"),
                      message="login form")
        self.fill("username", username)
        self.fill("password", password)
        self.click("login-button")
        if lands_on:
            self.wait(lambda: self.b.driver.current_url.split("?")[0]
                      .endswith(lands_on), message=f"{username} on {lands_on}")
        self.wait(lambda: self.visible("menu"), message="menu shown")

    def logout(self):
        self.click("logout")
        self.wait(lambda: "/console/login.html" in self.b.driver.current_url,
                  message="back on the login page")

    def menu(self):
        """The menu's entries, in order."""
        return [a.text.strip() for a in self.b.driver.find_elements(
            By.CSS_SELECTOR, "#menu-list a")]

    def rows(self, tbody_id):
        """The rows of a table body, each as the list of its cells' text."""
        return [[c.text.strip() for c in r.find_elements(By.CSS_SELECTOR,
                                                          "td, th")]
                for r in self.b.driver.find_elements(
                    By.CSS_SELECTOR, f"#{tbody_id} tr")]

    def wait_for_row(self, page, tbody_id, contains, timeout=30,
                     reload_every=2):
        """Opens `page` and reloads it until a row of `tbody_id` contains
        `contains` (a case reaches routing and supervision through Kafka);
        answers that row."""
        found = []

        def shown():
            self.open_page(page)
            try:
                self.wait(lambda: not self.visible("loading"),
                          timeout=reload_every, message="list loaded")
            except Exception:  # noqa: BLE001 - still loading: look again
                return False
            found[:] = [r for r in self.rows(tbody_id)
                        if any(contains in c for c in r)]
            return bool(found)
        self.wait(shown, timeout=timeout,
                  message=f"{page}: a row with {contains}")
        return found[0]

    def open_case(self, case_id, timeout=30):
        """The console's case page of `case_id`, reloaded until routing
        has it."""
        def shown():
            self.open_page(f"/console/case.html?id={case_id}")
            try:
                self.wait(lambda: self.visible("case")
                          or self.visible("page-error"), timeout=10)
            except Exception:  # noqa: BLE001
                return False
            return self.visible("case")
        self.wait(shown, timeout=timeout, message=f"case {case_id} shown")

    def action_titles(self):
        return [h.text.strip() for h in self.b.driver.find_elements(
            By.CSS_SELECTOR, "#actions .action-box h3")]

    def action_form(self, title):
        """The form of the allowed action whose heading is `title`."""
        for form in self.b.driver.find_elements(By.CSS_SELECTOR,
                                                "#actions .action-box"):
            if form.find_element(By.TAG_NAME, "h3").text.strip() == title:
                return form
        raise AssertionError(f"no action {title!r}; offered: "
                             f"{self.action_titles()}")

    def take_action(self, title, fill=None):
        """Fills (fill(form)) and submits the action `title`; waits for the
        page's notice that it was done and answers it."""
        form = self.action_form(title)
        if fill:
            fill(form)
        button = form.find_element(By.CSS_SELECTOR, "button[type=submit]")
        self.b.driver.execute_script(portal_steps.SCROLL_INTO_VIEW, button)
        button.click()
        self.wait(lambda: self.visible("action-done") or self.refusal(),
                  message=f"{title}: an answer")
        refusal = self.refusal()
        if refusal:
            raise AssertionError(f"{title} refused: {refusal}")
        return self.text("action-done")

    def refusal(self):
        """The refusal shown in an action's form ("" if none); the forms are
        drawn again when the case reloads, so one may go while read."""
        try:
            return self.error_summary("#actions .error-summary")
        except StaleElementReferenceException:
            return ""

    def fill_registration(self, title, text, region_path, category_word):
        """Fills the 登记 form for 李四's visit: a claim of the category
        whose name contains category_word."""
        self.open_page("/console/register.html")
        self.wait(lambda: self.visible("register-form"))
        self.fill("petitioner-name", "李四")
        self.fill("petitioner-phone", "13900000001")
        self.fill("petitioner-address", "山西省长治市沁源县沁河镇东街2号")
        for depth, code in enumerate(region_path):
            self.wait(lambda: self.b.driver.find_elements(
                By.CSS_SELECTOR, f"#region-{depth} option[value='{code}']"),
                message=f"region {code} offered")
            Select(self.by_id(f"region-{depth}")).select_by_value(code)
        category = Select(self.by_id("matter-category"))
        self.wait(lambda: len(category.options) > 1, message="categories")
        category.select_by_visible_text([o.text for o in category.options
                                         if category_word in o.text][0])
        radios = self.b.driver.find_elements(By.CSS_SELECTOR,
                                             'input[name="matter_class"]')
        claim = [r.get_attribute("value") for r in radios
                 if r.get_attribute("value").endswith("CLAIM")]
        self.choose_radio("matter_class", claim[0])
        self.fill("matter-title", title)
        self.fill("matter-text", text)
