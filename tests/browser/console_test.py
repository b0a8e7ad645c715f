"""The offices' console (信访工作台, issue 16 "Must show") in a real headless
Chromium against the real processes: devbroker, the four services,
accounts and the web gateway with its console, Kannel with its fake SMSC
(system.py, --accounts), started once for the module on a simulated clock.
Every console page is checked with axe-core (no serious or critical
violation) and saved at 1366x768 and 1920x1080 (console_steps.SIZES).

The tests run in their numbered order on one system and one browser (CI
budget): the administrators create the users the later tests log in as,
the registered case is handled, approved and then seen on the portal, the
clock moves for the red lights last but one.
"""

import calendar
import subprocess
import time
import unittest

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

import browser
import console_steps
import portal_steps
import system
from console_security import OTHER_COUNTY_BUREAU, SecurityChecks
from console_steps import SIZES

# The offices (沁河镇 in 沁源县, as portal_test): the county bureau
# registers and assigns (Art. 22 交办), the township government handles.
COUNTY_BUREAU = "140431:bureau"
TOWNSHIP_GOV = "140431100:gov"
SIM_START = calendar.timegm((2026, 3, 2, 1, 0, 0))  # 09:00 CST, a Monday
DAY = 24 * 3600
PASSWORD = "Qinyuan-2026-console"

# fetch() of a link in the page, with its cookies: the status, the
# Content-Type and the first bytes of the body as Latin-1.
FETCH_HEAD = """
const [url, done] = arguments;
fetch(url, {credentials: "same-origin"})
  .then(r => r.arrayBuffer().then(buf => done({
      status: r.status, type: r.headers.get("Content-Type") || "",
      start: String.fromCharCode(...new Uint8Array(buf.slice(0, 8)))})))
  .catch(e => done({status: -1, type: "", start: String(e)}));
"""

sys_ = None
b = None
c = None  # console_steps.Console


def setUpModule():
    global sys_, b, c
    started = time.monotonic()
    sys_ = system.System([COUNTY_BUREAU, TOWNSHIP_GOV, OTHER_COUNTY_BUREAU],
                         simulated_start=SIM_START, accounts=True)
    print(f"system up in {time.monotonic() - started:.1f} s")
    try:
        sys_.bootstrap_admin(COUNTY_BUREAU, "admin.bureau", "赵管理", PASSWORD)
        sys_.bootstrap_admin(TOWNSHIP_GOV, "admin.town", "钱管理", PASSWORD)
        b = browser.Browser()
        b.size(*browser.DESKTOP)
        c = console_steps.Console(b, sys_)
        # The refusals (console_security.py) run after ConsoleTest here.
        ConsoleTestSecurity.use(sys_, b, c, PASSWORD)
    except Exception:
        sys_.close()
        raise


def tearDownModule():
    try:
        if b:
            b.close()
    finally:
        if sys_:
            sys_.close()


def set_radio(form, name_suffix, value):
    """Clicks the label of the radio of `value` in `form` whose group name
    ends with name_suffix."""
    for radio in form.find_elements(By.CSS_SELECTOR, "input[type=radio]"):
        if radio.get_attribute("value") == value:
            label = form.find_element(
                By.CSS_SELECTOR, f'label[for="{radio.get_attribute("id")}"]')
            b.driver.execute_script(portal_steps.SCROLL_INTO_VIEW, label)
            label.click()
            return
    raise AssertionError(f"no radio {value}")


class ConsoleTest(unittest.TestCase):
    case = {}
    late_case = {}

    def test_01_login(self):
        # issue 16 item 1: sessions as in the portal; a page of the console
        # without one goes to the login page and back after it.
        c.open_page("/console/inbox.html")
        c.wait(lambda: "/console/login.html?next=" in b.driver.current_url,
               message="to the login page")
        c.wait(lambda: c.visible("login-form"))
        b.check_page("console-login", SIZES)
        c.fill("username", "admin.bureau")
        c.fill("password", "wrong-password-1")
        c.click("login-button")
        c.wait(lambda: c.error_summary(), message="refusal shown")
        self.assertIn("用户名或密码错误", c.error_summary())
        b.check_page("console-login-refused", SIZES)

    def test_02_admins_create_users(self):
        # issue 16 item 1: an office's administrator manages its users; the
        # menu shows exactly the views the roles open (User.views).
        c.login("admin.bureau", PASSWORD, lands_on="/console/users.html")
        self.assertEqual(c.menu(), ["用户管理"])
        c.wait(lambda: c.rows("user-rows"), message="users listed")
        b.check_page("console-users", SIZES)
        for username, name, roles in (
                ("clerk", "孙登记", ("registrar", "handler")),
                ("inspector", "周督查", ("inspector", "leader"))):
            self.create_user(username, name, roles)
        c.logout()
        c.login("admin.town", PASSWORD, lands_on="/console/users.html")
        for username, name, roles in (("handler", "吴承办", ("handler",)),
                                      ("head", "郑负责", ("head",)),
                                      ("leader", "冯领导", ("leader",))):
            self.create_user(username, name, roles)
        b.check_page("console-users-created", SIZES)
        c.logout()

    def create_user(self, username, name, roles):
        c.fill("new-username", username)
        c.fill("new-display_name", name)
        for role in roles:
            box = c.by_id(f"new-{role}")
            b.driver.execute_script(portal_steps.SCROLL_INTO_VIEW, box)
            box.click()
        c.fill("new-password", PASSWORD)
        c.submit_form_of("new-password")
        c.wait(lambda: c.visible("action-done")
               and username in c.text("action-done")
               or c.error_summary("#create-errors"),
               message=f"{username} created")
        self.assertEqual(c.error_summary("#create-errors"), "")
        self.assertTrue(any(r and r[0] == username
                            for r in c.rows("user-rows")))

    def test_03_register_with_route_preview(self):
        # issue 16 item 3 登记: a visit registered in front of the
        # petitioner, with routing's route and its rules in words before
        # saving (PreviewRoute); saving gives the case number.
        c.login("clerk", PASSWORD, lands_on="/console/inbox.html")
        self.assertEqual(c.menu(), ["待办", "登记", "接访安排"])
        # A page outside the user's views says so (the API refuses too).
        c.open_page("/console/users.html")
        c.wait(lambda: c.visible("no-view"), message="no view")
        self.assertFalse(c.visible("create-form"))
        c.fill_registration("拖欠工资", "沁河镇某厂拖欠三个月工资，请求督促支付。",
                            portal_steps.REGION_PATH, "劳动")
        self.assertFalse(c.by_id("save-button").is_enabled(),
                         "保存 before the preview")
        c.click("preview-button")
        c.wait(lambda: c.visible("preview"), message="路由预览 shown")
        preview = c.text("preview")
        self.assertIn("沁河镇", preview)
        self.assertIn("属地管理", preview)  # the rule in words
        b.check_page("console-register-preview", SIZES)
        c.click("save-button")
        c.wait(lambda: c.visible("saved"), message="registered")
        ConsoleTest.case = {"case": c.text("saved-case"),
                            "code": c.text("saved-code")}
        self.assertTrue(ConsoleTest.case["case"])
        b.check_page("console-registered", SIZES)
        # A second visit stays unassigned: the red light of test_07.
        c.fill_registration("道路破损", "村口道路破损多年，请求修复。",
                            portal_steps.REGION_PATH, "交通")
        c.click("preview-button")
        c.wait(lambda: c.visible("preview"), message="路由预览 shown")
        c.click("save-button")
        c.wait(lambda: c.visible("saved"), message="registered")
        ConsoleTest.late_case = {"case": c.text("saved-case")}

    def test_04_assign_on_the_case_page(self):
        # issue 16 item 3: the case page offers only the allowed actions
        # (routing's allowed_actions), each with its fields; 交办 (Art. 22).
        case = ConsoleTest.case
        if not case:
            self.skipTest("needs the case of test_03")
        c.open_case(case["case"])
        titles = c.action_titles()
        self.assertIn("交办", titles)
        self.assertNotIn("受理", titles)  # the township's, not the bureau's
        b.check_page("console-case-registered", SIZES)
        c.take_action("交办")
        c.wait(lambda: "交办" in c.text("state-text"), message="交办 shown")
        c.logout()

    def test_04b_reception_schedule(self):
        # issue 18 item 1: the bureau's 登记员 keeps its leaders' reception
        # days (intake's rule: the office itself, 登记员/负责人/领导). A day
        # before today is refused beside its field; the published one is
        # listed, and the 登记 form offers it for a visit (not saved here:
        # later tests count the bureau's cases).
        c.login("clerk", PASSWORD, lands_on="/console/inbox.html")
        c.open_page("/console/receptions.html")
        c.wait(lambda: c.visible("publish-form"), message="publish form")
        c.wait(lambda: not c.visible("loading"), message="list read")
        self.assertTrue(c.visible("empty"))
        b.check_page("console-receptions-empty", SIZES)
        c.fill("leader_name", "王某某")
        c.fill("leader_title", "信访局局长")
        c.fill("day", "2026-03-01")
        c.fill("place", "沁源县信访局接待大厅")
        c.fill("topic", "劳动工资")
        c.submit_form_of("place")
        c.wait(lambda: c.error_summary("#publish-errors"),
               message="refusal shown")
        self.assertIn("接访日期", c.error_summary("#publish-errors"))
        self.assertIn("不能早于今天", c.error_summary("#publish-errors"))
        b.check_page("console-receptions-refused", SIZES)
        c.fill("day", "2026-03-02")
        c.submit_form_of("place")
        c.wait(lambda: c.visible("action-done"), message="published")
        c.wait(lambda: c.rows("reception-rows"), message="listed")
        row = c.rows("reception-rows")[0]
        self.assertEqual(row[0], "2026-03-02")
        self.assertIn("信访局局长 王某某", row)
        self.assertTrue(row[5].startswith("JF20260302-"), row)
        b.check_page("console-receptions", SIZES)
        c.open_page("/console/register.html")
        c.wait(lambda: c.visible("reception-field"),
               message="the reception offered on 登记")
        offered = [o.text for o in Select(c.by_id("reception_id")).options]
        self.assertTrue(any("王某某" in o for o in offered), offered)
        c.logout()

    def test_05_handler_accepts_and_proposes_the_reply(self):
        # issue 16 item 2: a 承办人 accepts; the 处理意见 waits for the
        # head (报批), and the case says so.
        case = ConsoleTest.case
        if not case:
            self.skipTest("needs the case of test_03")
        c.login("handler", PASSWORD, lands_on="/console/inbox.html")
        row = c.wait_for_row("/console/inbox.html", "inbox-rows", case["case"])
        self.assertTrue(any(w in row[0] for w in ("正常", "临期", "超期")),
                        f"the light in words: {row}")
        b.check_page("console-inbox", SIZES)
        # The search: words of the title find it, other words nothing.
        for words, found in (("工资", True), ("道路破损", False)):
            c.fill("q", words)
            c.submit_form_of("q")
            c.wait(lambda: not c.visible("loading"), message="searched")
            c.wait(lambda: c.visible("empty") != found,
                   message=f"search {words}")
            self.assertEqual(any(case["case"] in " ".join(r)
                                 for r in c.rows("inbox-rows")), found, words)
        # issue 16 item 3: the petitioner, to the offices entitled to
        # contact them (intake's GetPetitioner; the holder's handler is),
        # once intake has read who holds the case.
        def contact_shown():
            c.open_case(case["case"])
            return c.visible("petitioner-section")
        c.wait(contact_shown, timeout=30, message="the petitioner shown")
        contact = c.text("petitioner")
        self.assertIn("李四", contact)
        self.assertIn("13900000001", contact)
        self.assertIn("沁河镇东街2号", contact)
        c.take_action("受理")
        reply = c.action_form("出具处理意见")
        self.assertIn("报批", reply.find_element(
            By.CSS_SELECTOR, "button[type=submit]").text)

        def fill(form):
            set_radio(form, "", "OUTCOME_EXPLAIN")
            area = form.find_element(By.TAG_NAME, "textarea")
            area.send_keys("已约谈企业，企业承诺月底前支付。")
        done = c.take_action("出具处理意见", fill)
        self.assertIn("报", done)
        c.wait(lambda: c.visible("pending-section"), message="pending shown")
        pending = c.text("pending")
        self.assertTrue("吴承办" in pending or "handler" in pending, pending)
        b.check_page("console-case-proposed", SIZES)
        c.logout()

    def test_06_head_approves_and_the_petitioner_sees_it(self):
        # issue 16 items 2-3: the head's queue; approved, the history shows
        # 承办人 and 审批人 and the chain verified; the petitioner's portal
        # shows the 处理意见.
        case = ConsoleTest.case
        if not case:
            self.skipTest("needs the case of test_03")
        c.login("head", PASSWORD, lands_on="/console/inbox.html")
        self.assertIn("审批", c.menu())
        c.wait_for_row("/console/approvals.html", "approval-rows",
                       case["case"])
        b.check_page("console-approvals", SIZES)
        c.open_case(case["case"])
        approve = [t for t in c.action_titles() if "批准" in t]
        self.assertTrue(approve, c.action_titles())
        c.take_action(approve[0])
        c.wait(lambda: not c.visible("pending-section"),
               message="no longer pending")
        history = c.rows("history")
        reply = [r for r in history if "出具处理意见" == r[1]]
        self.assertTrue(reply, history)
        self.assertTrue(reply[-1][3], f"承办人 empty: {reply[-1]}")
        self.assertTrue(reply[-1][4], f"审批人 empty: {reply[-1]}")
        self.assertIn("通过", c.text("chain"))
        b.check_page("console-case-approved", SIZES)
        c.logout()
        portal = portal_steps.Portal(b, sys_)
        portal.open_case(case["case"], case["code"])
        portal.wait(lambda: portal.visible("opinion-section"),
                    message="处理意见 on the portal")
        b.size(*browser.DESKTOP)

    def test_07_red_light_board(self):
        # issue 16 item 3 灭红灯: the unassigned case misses its 15 days
        # (Art. 22); the board shows it with the 督办 supervision issued.
        late = ConsoleTest.late_case
        if not late:
            self.skipTest("needs the second case of test_03")
        sys_.advance(20 * DAY)
        c.login("inspector", PASSWORD, lands_on="/console/inbox.html")
        # 包案 (issue 18 item 2) opens with the leader role, as 通报 does.
        self.assertEqual(c.menu(), ["待办", "灭红灯", "指标", "通报", "包案"])
        row = c.wait_for_row("/console/red-lights.html", "red-light-rows",
                             late["case"], timeout=60)
        self.assertIn("超期", row[0])
        c.wait_for_row("/console/red-lights.html", "red-light-rows",
                       "督办", timeout=60)
        b.check_page("console-red-lights", SIZES)

    def test_08_indicators_with_charts(self):
        # issue 16 item 3 指标: the table and the charts of the same numbers,
        # a trend by month, the CSV link.
        c.login("inspector", PASSWORD, lands_on="/console/inbox.html")
        c.open_page("/console/indicators.html?from=2026-03&to=2026-04"
                    "&breakdown=BREAKDOWN_OFFICE")
        c.wait(lambda: c.rows("indicators-rows") and c.rows("trend-rows"),
               message="tables shown")
        c.wait(lambda: b.driver.execute_script(
            "const n = document.getElementById('trend-chart');"
            "return !!(window.echarts && echarts.getInstanceByDom(n)"
            " && n.querySelector('canvas'));"), message="trend drawn")
        trend = c.rows("trend-rows")
        self.assertEqual([r[0] for r in trend], ["2026-03", "2026-04"])
        drawn = b.driver.execute_script(
            "return echarts.getInstanceByDom(document.getElementById("
            "'trend-chart')).getOption().series.map(s => s.data);")
        # The chart draws the table's numbers: each month's four rates
        # ("50%（1/2）", or "—（0/0）" where the chart has no point).
        for month, row in enumerate(trend):
            for series, text in enumerate(row[1:5]):
                value = drawn[series][month]
                expected = "—" if value is None else f"{value:g}%"
                self.assertTrue(text.startswith(expected),
                                f"{row[0]}: table {text}, chart {value}")
        total = c.rows("indicators-rows")[0]
        self.assertEqual(total[0], "合计")
        # The expected numbers, from this test's own story: the bureau
        # registered two cases in March (test_03); it 交办ed one within its
        # 15 days (test_04) and let the other run late (test_07), so its
        # 及时受理率 is 1 of 2; the township accepted the one it got in
        # time, 1 of 1; both cases are still open (积案 2).
        self.assertTrue(total[1].startswith("50%（1/2）"), total)
        self.assertTrue(total[2].startswith("100%（1/1）"), total)
        self.assertEqual(total[-1], "2", total)
        self.assertIn("format=csv", c.by_id("csv-link").get_attribute("href"))
        b.check_page("console-indicators", SIZES)

    def test_08b_bulletins_listed_with_their_documents(self):
        # issue 17 item 2: a bulletin issued on demand (casectl bulletin
        # weekly, the bureau's own credential) is "listed in the console"
        # (通报, under the INDICATORS view's roles) with its HTML, PDF and
        # CSV as statistics issued them.
        week_day = "2026-03-04"  # the week of 2026-03-02, over by now
        run = subprocess.run(
            [sys_.desc["casectl"], "--statistics",
             sys_.desc["grpc"]["statistics"], "--token-file",
             sys_.desc["token_files"][COUNTY_BUREAU], "bulletin", "weekly",
             "--office", COUNTY_BUREAU, "--date", week_day, "--format", "csv"],
            capture_output=True, text=True, encoding="utf-8",
            timeout=browser.scaled(240))
        self.assertEqual(run.returncode, 0, run.stdout + run.stderr)
        c.login("inspector", PASSWORD, lands_on="/console/inbox.html")
        row = c.wait_for_row("/console/bulletins.html", "bulletin-rows",
                             "2026-03-02", timeout=30)
        self.assertRegex(row[0], r"^2026年第\d+期$")
        self.assertEqual(row[1], "周通报")
        self.assertIn("2026-03-02 至 2026-03-08", row[3])
        links = {a.text: a.get_attribute("href") for a in b.driver
                 .find_elements(By.CSS_SELECTOR, "#bulletin-rows a")}
        self.assertEqual(sorted(links), ["CSV", "PDF", "网页"])
        for text, content_type, magic in (
                ("PDF", "application/pdf", "%PDF-"),
                ("CSV", "text/csv", None),
                ("网页", "text/html", None)):
            answer = b.driver.execute_async_script(FETCH_HEAD, links[text])
            self.assertEqual(answer["status"], 200, answer)
            self.assertTrue(answer["type"].startswith(content_type), answer)
            if magic:
                self.assertTrue(answer["start"].startswith(magic), answer)
        b.check_page("console-bulletins", SIZES)

    def test_08c_leader_takes_charge_and_lists_it(self):
        # issue 18 item 2 (领导包案): the township government's leader takes
        # charge of its replied case (casectl take-charge, the government's
        # own credential); the leader's 包案 page lists it with the
        # quarter's count against the quota (routing's setting, default 2)
        # and the case page shows the 包案领导.
        case = ConsoleTest.case
        if not case:
            self.skipTest("needs the case of test_03")
        run = subprocess.run(
            [sys_.desc["casectl"], "--routing", sys_.desc["grpc"]["routing"],
             "--token-file", sys_.desc["token_files"][TOWNSHIP_GOV],
             "take-charge", case["case"], "--leader", "冯某某",
             "--title", "镇长"],
            capture_output=True, text=True, encoding="utf-8",
            timeout=browser.scaled(60))
        self.assertEqual(run.returncode, 0, run.stdout + run.stderr)
        c.login("leader", PASSWORD, lands_on="/console/inbox.html")
        self.assertIn("包案", c.menu())
        row = c.wait_for_row("/console/charged.html", "charged-rows",
                             case["case"], timeout=30)
        self.assertEqual(row[4], "镇长 冯某某")
        self.assertEqual(c.rows("quota-rows"), [["镇长 冯某某", "1", "2"]])
        b.check_page("console-charged", SIZES)
        c.open_case(case["case"])
        c.wait(lambda: "镇长 冯某某" in c.text("case-summary"),
               message="包案领导 on the case page")
        # Once while one is in charge: routing no longer offers it.
        self.assertNotIn("领导包案", c.action_titles())
        b.check_page("console-case-charged", SIZES)
        # test_09 goes on as the inspector, as test_08b left it.
        c.logout()
        c.login("inspector", PASSWORD, lands_on="/console/inbox.html")

    def test_09_keyboard_and_large_text(self):
        # issue 16 item 3 / web layer: keyboard only with the focus visible
        # on the console; 大字版 works on its pages too.
        c.open_page("/console/inbox.html")
        c.wait(lambda: c.visible("menu"))
        d = b.driver
        style = """const e = document.activeElement, s = getComputedStyle(e);
            return [e.id || e.className || e.textContent.trim() || e.tagName,
                    s.outlineStyle,
                    s.outlineWidth, s.boxShadow].join('|');"""
        d.execute_script("document.activeElement.blur()")
        reached = {}
        for _ in range(14):
            ActionChains(d).send_keys(Keys.TAB).perform()
            focused = d.execute_script(style)
            reached[focused.split("|")[0]] = focused
        for key in ("skip-link", "待办", "灭红灯", "q"):
            self.assertIn(key, reached, reached)
            _, outline, width, shadow = reached[key].split("|")
            self.assertTrue((outline != "none" and width != "0px")
                            or shadow != "none",
                            f"{key} shows no focus: {reached[key]}")
        c.click("toggle-large")
        c.wait(lambda: c.by_id("toggle-large").get_attribute("aria-pressed")
               == "true", message="大字版 on")
        b.check_page("console-inbox-large-text", SIZES)
        c.click("toggle-large")
        c.open_page("/console/password.html")
        c.wait(lambda: c.visible("password-form"))
        b.check_page("console-password", SIZES)

    def test_09b_group_registration_alerts_the_bureau(self):
        # issue 18 item 3 群体访/联名: the 登记 form takes the other
        # representatives (Art. 18: five at most, intake checks) and the
        # head count; a group of at least group.alert_head_count (5)
        # persons alerts the registering bureau, shown under 灭红灯 with
        # figures only, never a person.
        c.login("clerk", PASSWORD, lands_on="/console/inbox.html")
        c.fill_registration("征地补偿", "村民联名反映征地补偿款未发放。",
                            portal_steps.REGION_PATH, "劳动")
        group = c.by_id("group-petition")
        b.driver.execute_script(portal_steps.SCROLL_INTO_VIEW, group)
        group.find_element(By.CSS_SELECTOR, "summary").click()
        c.fill("head_count", "six")
        c.click("preview-button")
        c.wait(lambda: c.visible("preview"), message="路由预览 shown")
        c.click("save-button")
        c.wait(lambda: "人数请填写阿拉伯数字" in c.error_summary(),
               message="a head count that is not a number is named")
        c.fill("head_count", "6")
        c.fill("co_representatives[0]-name", "王五")
        c.fill("co_representatives[0]-phone", "13900000002")
        c.fill("co_representatives[0]-address", "山西省长治市沁源县沁河镇东街3号")
        c.fill("co_representatives[1]-name", "赵六")
        c.fill("co_representatives[1]-address", "山西省长治市沁源县沁河镇东街4号")
        b.check_page("console-register-group", SIZES)
        c.click("save-button")
        c.wait(lambda: c.visible("saved"), message="group registered")
        group_case = c.text("saved-case")
        self.assertTrue(group_case)
        c.logout()
        c.login("inspector", PASSWORD, lands_on="/console/inbox.html")
        found = []

        def alerted():
            c.open_page("/console/red-lights.html")
            try:
                c.wait(lambda: not c.visible("alerts-loading"), timeout=5,
                       message="alerts loaded")
            except Exception:  # noqa: BLE001 - still loading: look again
                return False
            found[:] = [r for r in c.rows("group-alert-rows")
                        if any(group_case in cell for cell in r)]
            return bool(found)
        c.wait(alerted, timeout=60, message="the group's alert listed")
        self.assertIn("6 人", found[0])
        for person in ("李四", "王五", "赵六", "13900000002"):
            self.assertNotIn(person, c.text("group-alerts-table"))
        b.check_page("console-red-lights-group-alert", SIZES)
        c.logout()

    def test_10_disabled_user_is_out_at_once(self):
        # issue 16 item 1: "a user can be disabled at once": the inspector's
        # open session ends on the next page once the administrator (in
        # another browser) disables the account.
        c.login("inspector", PASSWORD, lands_on="/console/inbox.html")
        other = browser.Browser()
        try:
            other.size(*browser.DESKTOP)
            a = console_steps.Console(other, sys_)
            a.login("admin.bureau", PASSWORD, lands_on="/console/users.html")
            a.wait(lambda: a.rows("user-rows"), message="users listed")
            edit = other.driver.find_element(
                By.CSS_SELECTOR, 'button[aria-label="修改 inspector"]')
            other.driver.execute_script(portal_steps.SCROLL_INTO_VIEW, edit)
            edit.click()
            a.wait(lambda: a.visible("edit-section"), message="edit shown")
            a.click("edit-disabled")
            a.submit_form_of("edit-disabled")
            a.wait(lambda: a.visible("action-done"), message="saved")
            self.assertTrue(any(r[0] == "inspector" and "已停用" in r[3]
                                for r in a.rows("user-rows")))
            other.check_page("console-user-disabled", SIZES)
        finally:
            other.close()
        c.open_page("/console/red-lights.html")
        c.wait(lambda: "/console/login.html" in b.driver.current_url,
               message="the disabled user is at the login page")
        self.assertFalse(c.visible("menu"))


class ConsoleTestSecurity(SecurityChecks, unittest.TestCase):
    """Another county's guess, the accused unit, CSRF and session
    fixation (console_security.py), after ConsoleTest on its system."""


if __name__ == "__main__":
    unittest.main()
