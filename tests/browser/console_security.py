"""The console's refusals in the browser (issue 16 "Must show"): an office
of another county gets nothing by URL-guessing a case; an accused unit's
users never see the accusation (《信访工作条例》 Art. 30, DOMAIN.md); a
POST without or with a wrong X-CSRF-Token, or from another site's form,
changes nothing; a session cookie planted before login is not the one in
use after it and is refused afterwards.

SecurityChecks is a mixin: console_test.py's ConsoleTestSecurity (a
TestCase of that module, so unittest keeps its module's system and browser
up; its name sorts after ConsoleTest's, so it runs after it) takes the
system and browser with use(). It needs ConsoleTest's case (test_03..06)
and the township's users it created (test_02).

Not thread-safe: one test thread drives it.
"""

import json
import os

from selenium.webdriver.common.by import By

import browser

# 潞州区 (长治市), another county than 沁源县 of console_test's offices.
OTHER_COUNTY_BUREAU = "140403:bureau"
TOWNSHIP = "140431100"
TOWNSHIP_GOV = "140431100:gov"
DAY = 24 * 3600

# fetch() in the page, with the page's cookies: {"status", "body"}.
# arguments: method, path, JSON body or null, X-CSRF-Token or null.
FETCH = """
const [method, path, body, csrf, done] = arguments;
const headers = {"Accept": "application/json"};
if (body !== null) headers["Content-Type"] = "application/json";
if (csrf !== null) headers["X-CSRF-Token"] = csrf;
fetch(path, {method, headers, credentials: "same-origin",
             body: body === null ? undefined : JSON.stringify(body)})
  .then(r => r.text().then(t => done({status: r.status, body: t})))
  .catch(e => done({status: -1, body: String(e)}));
"""


class SecurityChecks:
    """The checks; mixed into a unittest.TestCase (console_test.py)."""

    sys_ = None
    b = None
    c = None
    password = None
    accusation = ""

    @classmethod
    def use(cls, sys_, b, c, password):
        cls.sys_, cls.b, cls.c, cls.password = sys_, b, c, password

    def api(self, method, path, body=None, csrf=None):
        """The gateway's answer to a fetch from the current page."""
        return self.b.driver.execute_async_script(
            FETCH, method, "/api/v1/console" + path, body, csrf)

    def csrf(self):
        answer = self.api("GET", "/session")
        self.assertEqual(answer["status"], 200, answer)
        return json.loads(answer["body"])["csrf_token"]

    def case_id(self):
        import console_test
        case = console_test.ConsoleTest.case
        if not case:
            self.skipTest("needs the case of ConsoleTest.test_03")
        return case["case"]

    def case_state(self, case_id):
        """(state, number of history events) of the case as its holder's
        user reads it."""
        answer = self.api("GET", f"/cases/{case_id}")
        self.assertEqual(answer["status"], 200, answer)
        page = json.loads(answer["body"])
        return page["case"].get("state"), len(page.get("history", []))

    def assert_refused_page(self, case_id, secret_words, shot):
        """The case page of case_id: refused in Chinese, no data of it."""
        c, d = self.c, self.b.driver
        c.open_page(f"/console/case.html?id={case_id}")
        c.wait(lambda: c.visible("page-error") or c.visible("case"),
               message="case page answered")
        self.assertFalse(c.visible("case"))
        refusal = c.text("page-error")
        self.assertRegex(refusal, r"[\u4e00-\u9fff]", "refused in Chinese")
        source = d.page_source
        for word in secret_words:
            self.assertNotIn(word, source)
        if shot:
            self.b.check_page(shot, (browser.DESKTOP,))
        return refusal

    def assert_api_refused(self, case_id, secret_words):
        answer = self.api("GET", f"/cases/{case_id}")
        self.assertIn(answer["status"], (403, 404), answer)
        self.assertRegex(answer["body"], r'"message":"[^"]*[\u4e00-\u9fff]')
        for word in secret_words:
            self.assertNotIn(word, answer["body"])

    def test_11_other_county_gets_nothing_by_url(self):
        # issue 16 item 4 / Must show: routing's read rule (DOMAIN.md: an
        # office reads the cases it holds, had or supervises) through the
        # console: 潞州区's 承办人 guessing 沁源县's case number.
        case_id = self.case_id()
        c = self.c
        self.sys_.bootstrap_admin(OTHER_COUNTY_BUREAU, "admin.luzhou",
                                  "冯管理", self.password)
        import console_test
        c.login("admin.luzhou", self.password, lands_on="/console/users.html")
        c.wait(lambda: c.rows("user-rows"), message="users listed")
        console_test.ConsoleTest.create_user(self, "luzhou.handler", "陈承办",
                                             ("handler", "inspector"))
        c.logout()
        c.login("luzhou.handler", self.password)
        secret = ["拖欠工资", "沁河镇某厂", "李四", "13900000001"]
        self.assert_refused_page(case_id, secret, "console-case-other-county")
        self.assert_api_refused(case_id, secret)
        # Not in its inbox nor found by the number either.
        inbox = self.api("GET", f"/inbox?q={case_id}")
        self.assertNotIn(case_id, inbox["body"])
        c.logout()

    def test_12_accused_unit_never_sees_the_accusation(self):
        # 《信访工作条例》 Art. 30 (DOMAIN.md: an accusation never goes to,
        # nor is shown to, the unit it accuses): the township government is
        # accused; its 承办人 and 负责人 and an inspector of it see the
        # accusation in no inbox, search, case page, red-light board or
        # indicators row.
        c = self.c
        c.login("clerk", self.password, lands_on="/console/inbox.html")
        title = "检举镇政府工作人员收受好处"
        answer = self.api("POST", "/registrations", {
            "petitioner": {"name": "王五", "phone": "13900000002",
                           "address": "山西省长治市沁源县沁河镇西街3号"},
            "matter": {"region_code": TOWNSHIP, "category": "discipline",
                       "matter_class": "MATTER_CLASS_ACCUSATION",
                       "channel": "CHANNEL_VISIT", "title": title,
                       "text": "镇政府某工作人员办事收受好处。",
                       "accused": "某工作人员",
                       "accused_offices": [TOWNSHIP_GOV]},
            "request_id": "browser-accusation-1"}, self.csrf())
        self.assertEqual(answer["status"], 200, answer)
        accusation = json.loads(answer["body"])["case_number"]
        type(self).accusation = accusation
        # The registering bureau reads it once routing has it and finds it
        # by its number and words: the case exists and the searches below
        # work, so what the accused unit does not get is the rule's doing.
        c.open_case(accusation)
        for query in (f"q={accusation}", "q=收受好处"):
            found = self.api("GET", f"/inbox?{query}")
            self.assertIn(accusation, found["body"], query)
        c.logout()
        c.login("admin.town", self.password, lands_on="/console/users.html")
        c.wait(lambda: c.rows("user-rows"), message="users listed")
        import console_test
        console_test.ConsoleTest.create_user(self, "town.inspector", "卫督查",
                                             ("inspector", "leader"))
        c.logout()
        self.sys_.advance(20 * DAY)  # overdue for the red-light board
        secret = [title, "王五", "13900000002", "某工作人员"]
        for user in ("handler", "head", "town.inspector"):
            c.login(user, self.password)
            self.assert_refused_page(
                accusation, secret,
                "console-case-accused-unit" if user == "handler" else None)
            self.assert_api_refused(accusation, secret)
            for query in ("", f"q={accusation}", "q=收受好处",
                          "category=discipline", "phone=13900000002",
                          "name=王五"):
                inbox = self.api("GET", f"/inbox?{query}")
                if not query:
                    self.assertEqual(inbox["status"], 200, inbox)
                self.assertNotIn(accusation, inbox["body"], (user, query))
                self.assertNotIn(title, inbox["body"], (user, query))
            if user == "town.inspector":
                lights = self.api("GET", "/red-lights")
                self.assertEqual(lights["status"], 200, lights)
                self.assertNotIn(accusation, lights["body"])
                c.open_page("/console/red-lights.html")
                c.wait(lambda: not c.visible("loading"), message="board")
                self.assertNotIn(accusation, self.b.driver.page_source)
                for breakdown in ("BREAKDOWN_OFFICE", "BREAKDOWN_LEVEL"):
                    rows = self.api("GET", "/indicators?from=2026-02-28T16:00:"
                                    "00Z&to=2026-05-31T16:00:00Z&breakdown="
                                    + breakdown)
                    self.assertEqual(rows["status"], 200, rows)
                    self.assertNotIn(accusation, rows["body"])
                    self.assertNotIn(title, rows["body"])
                c.open_page("/console/indicators.html?from=2026-03&to=2026-05"
                            "&breakdown=BREAKDOWN_OFFICE")
                c.wait(lambda: c.rows("indicators-rows"), message="indicators")
                self.assertNotIn(accusation, self.b.driver.page_source)
            c.logout()

    def test_13_csrf_refused_and_nothing_changes(self):
        # issue 16 Must show, console-contract.md: a console POST needs the
        # X-CSRF-Token of this login; the cookie is SameSite=Strict.
        case_id = self.case_id()
        c, d = self.c, self.b.driver
        c.login("head", self.password, lands_on="/console/inbox.html")
        before = self.case_state(case_id)
        action = {"reason": "跨站请求测试", "extend": {"days": 30}}
        for token in (None, "", "wrong-" + "0" * 40):
            answer = self.api("POST", f"/cases/{case_id}/actions", action,
                              token)
            self.assertEqual(answer["status"], 403, (token, answer))
            self.assertIn("页面已过期", answer["body"])
        self.assertEqual(self.case_state(case_id), before)
        # Another site's form posting to the gateway (file:// page): no
        # cookie goes (SameSite=Strict), no token: refused, no change,
        # and the user is still logged in (the logout form failed too).
        page = os.path.join(browser.out_dir(), "cross-site.html")
        with open(page, "w", encoding="utf-8") as f:
            f.write(f"""<!doctype html><meta charset="utf-8"><title>x</title>
<form id="act" method="post" enctype="text/plain"
 action="{self.sys_.url}/api/v1/console/cases/{case_id}/actions">
<input name='{{"reason":"x","extend":{{"days":30}},"x":"' value='"}}'>
</form>
<form id="out" method="post" action="{self.sys_.url}/api/v1/console/logout">
</form>""")
        for form in ("act", "out"):
            d.get("file://" + page)
            d.execute_script(f"document.getElementById('{form}').submit()")
            c.wait(lambda: d.current_url.startswith(self.sys_.url),
                   message="the cross-site post answered")
            body = d.find_element(By.TAG_NAME, "body").text
            self.assertRegex(body, "no_session|csrf_failed|"
                             "unsupported_media_type", (form, body))
            if form == "act":  # the gateway's JSON answer, not a page
                self.b.screenshot("console-cross-site-refused-1366")
        # Chromium asked the gateway for a favicon of the JSON answer (404):
        # the browser's, not a console page's error.
        self.b.console_errors()
        c.open_page("/console/inbox.html")
        c.wait(lambda: c.visible("menu"), message="still logged in")
        self.assertEqual(self.case_state(case_id), before)
        c.logout()

    def test_14_session_fixation(self):
        # console-contract.md: a NEW token at every login; a session the
        # browser came with is ended (accounts Login, the gateway's login).
        c, d = self.c, self.b.driver

        def staff_cookie():
            found = d.get_cookie("cr_staff")
            return found["value"] if found else ""

        # The attacker's own valid session, then a made-up value: each
        # planted in the browser before the victim logs in.
        c.login("handler", self.password, lands_on="/console/inbox.html")
        attackers = staff_cookie()
        self.assertTrue(attackers)
        made_up = "planted-by-the-attacker-0123456789"
        for planted in (attackers, made_up):
            c.open_page("/console/login.html")
            d.delete_cookie("cr_staff")
            d.add_cookie({"name": "cr_staff", "value": planted, "path": "/",
                          "httpOnly": True, "sameSite": "Strict"})
            if planted == made_up:  # the login page, as a victim would
                c.login("head", self.password, lands_on="/console/inbox.html")
            else:  # the attacker's session is open: the login API itself
                answer = self.api("POST", "/login", {
                    "username": "head", "password": self.password},
                    self.csrf())
                self.assertEqual(answer["status"], 200, answer)
            in_use = staff_cookie()
            self.assertTrue(in_use)
            self.assertNotEqual(in_use, planted)
            session = json.loads(self.api("GET", "/session")["body"])
            self.assertEqual(session["user"]["username"], "head")
            # The planted value is refused afterwards: no user, and a case
            # page asked with it goes to the login page.
            d.delete_cookie("cr_staff")
            d.add_cookie({"name": "cr_staff", "value": planted, "path": "/",
                          "httpOnly": True, "sameSite": "Strict"})
            session = json.loads(self.api("GET", "/session")["body"])
            self.assertIsNone(session.get("user"), planted)
            answer = self.api("GET", "/inbox")
            self.assertEqual(answer["status"], 401, answer)
            c.open_page("/console/inbox.html")
            c.wait(lambda: "/console/login.html" in d.current_url,
                   message="the planted session is refused")
        self.b.check_page("console-fixation-refused", (browser.DESKTOP,))
