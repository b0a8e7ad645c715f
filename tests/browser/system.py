"""The real system for the browser tests, through system_up (system_up.cc).

System() starts Kannel with its fake SMSC, devbroker, the four services and
the web gateway (one system_up process) and waits until they are up;
close() stops them all (stdin EOF: system_up kills and reaps every process
and removes its temp directory) after copying their logs to the output
directory. If the test process dies, system_up sees EOF and stops too.

Environment: CASERELAY_SYSTEM_UP (the binary, set by CTest).

Not thread-safe: one test thread drives it.
"""

import glob
import json
import os
import re
import shutil
import subprocess
import time

import browser

# A code of six digits, not part of a longer number.
SIX_DIGITS = re.compile(r"(?<!\d)(\d{6})(?!\d)")


class System:
    def __init__(self, offices, simulated_start=None, timeout=180,
                 accounts=False):
        out = browser.out_dir()
        self._desc_path = os.path.join(out, "system.json")
        if os.path.exists(self._desc_path):
            os.remove(self._desc_path)
        argv = [os.environ["CASERELAY_SYSTEM_UP"], "--out", self._desc_path]
        for office in offices:
            argv += ["--office", office]
        if simulated_start is not None:
            argv += ["--simulated-start", str(int(simulated_start))]
        if accounts:
            argv.append("--accounts")  # the console (issue 16)
        self._stderr = open(os.path.join(out, "system_up.log"), "w")
        self._proc = subprocess.Popen(
            argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=self._stderr, text=True, encoding="utf-8")
        timeout = browser.scaled(timeout)
        deadline = time.monotonic() + timeout
        while not os.path.exists(self._desc_path):
            if self._proc.poll() is not None:
                self._stderr.flush()
                with open(self._stderr.name, encoding="utf-8") as f:
                    raise RuntimeError(
                        f"system_up exited {self._proc.returncode}: "
                        f"{f.read()[-2000:]}")
            if time.monotonic() > deadline:
                self.close()
                raise RuntimeError(f"system_up not ready after {timeout} s")
            time.sleep(0.2)
        if self._proc.stdout.readline().strip() != "ready":
            self.close()
            raise RuntimeError("system_up did not say ready")
        with open(self._desc_path, encoding="utf-8") as f:
            self.desc = json.load(f)
        self.url = self.desc["web_url"].rstrip("/")
        self._sms_seen = {}  # phone -> messages to it already returned

    def close(self):
        """Copies the processes' logs to <out>/system-logs, then stops
        everything and waits for system_up (killed after 60 s)."""
        if self._proc.poll() is None and getattr(self, "desc", None):
            logs = os.path.join(browser.out_dir(), "system-logs")
            shutil.rmtree(logs, ignore_errors=True)
            os.makedirs(logs)
            for path in glob.glob(os.path.join(self.desc["dir"], "*.log")):
                shutil.copy(path, logs)
        try:
            self._proc.stdin.close()
        except OSError:
            pass
        try:
            self._proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        self._stderr.close()

    def logs(self):
        """The caserelay processes' logs (web, the services, devbroker) by
        file name, as text. Kannel's own logs are elsewhere: they hold
        phone numbers by nature."""
        out = {}
        for path in glob.glob(os.path.join(self.desc["dir"], "*.log")):
            with open(path, encoding="utf-8", errors="replace") as f:
                out[os.path.basename(path)] = f.read()
        return out

    def command(self, line):
        """Sends system_up one command (system_up.cc); AssertionError
        unless it answers "ok"."""
        self._proc.stdin.write(line + "\n")
        self._proc.stdin.flush()
        answer = self._proc.stdout.readline().strip()
        if answer != "ok":
            raise AssertionError(f"system_up: {line}: {answer!r}")

    def advance(self, seconds):
        """Moves the simulated clock of every service `seconds` forward."""
        self.command(f"advance {seconds}")

    def kill(self, service):
        """SIGKILLs one of the four services."""
        self.command(f"kill {service}")

    def restart(self, service):
        """Starts a killed service again and waits until it is ready."""
        self.command(f"restart {service}")

    def casectl(self, office, *args):
        """Runs casectl as `office` against routing: (exit code, output)."""
        argv = [self.desc["casectl"], "--routing", self.desc["grpc"]["routing"],
                "--token-file", self.desc["token_files"][office], *args]
        run = subprocess.run(argv, capture_output=True, text=True,
                             encoding="utf-8", timeout=30)
        return run.returncode, run.stdout + run.stderr

    def casectl_until_ok(self, office, *args, timeout=30):
        """casectl until it succeeds (the case may not have reached routing
        yet); its output. AssertionError with the last output after
        `timeout` seconds."""
        deadline = time.monotonic() + browser.scaled(timeout)
        while True:
            code, out = self.casectl(office, *args)
            if code == 0:
                return out
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"casectl {' '.join(args)} as {office}: {out}")
            time.sleep(0.3)

    def bootstrap_admin(self, office, username, display_name, password):
        """casectl admin bootstrap as `office` (its own token): the office's
        first console administrator, the password on stdin (never argv).
        AssertionError with casectl's output unless it succeeds."""
        argv = [self.desc["casectl"], "--accounts",
                self.desc["grpc"]["accounts"], "--token-file",
                self.desc["token_files"][office], "admin", "bootstrap",
                "--username", username, "--display-name", display_name]
        run = subprocess.run(argv, input=password + "\n", capture_output=True,
                             text=True, encoding="utf-8", timeout=30)
        if run.returncode != 0:
            raise AssertionError(f"casectl admin bootstrap as {office}: "
                                 f"{run.stdout + run.stderr}")

    def sms(self):
        """Every message the fake SMSC received so far, in order."""
        with open(self.desc["sms_log"], encoding="utf-8") as f:
            lines = f.read().split("\n")
        # The last piece is "" or a line system_up is still writing.
        return [json.loads(line) for line in lines[:-1] if line.strip()]

    def await_sms(self, phone, contains="", timeout=30):
        """The text of the next message to `phone` (the fake SMSC's `to`
        ends with it) that contains `contains`, after the last one this
        returned for that phone."""
        deadline = time.monotonic() + browser.scaled(timeout)
        while time.monotonic() < deadline:
            to_phone = [m for m in self.sms() if m["to"].endswith(phone)]
            for i in range(self._sms_seen.get(phone, 0), len(to_phone)):
                if contains in to_phone[i]["text"]:
                    self._sms_seen[phone] = i + 1
                    return to_phone[i]["text"]
            time.sleep(0.2)
        raise AssertionError(
            f"no SMS to {phone} with {contains!r} in {timeout} s; the fake "
            f"SMSC got {len(self.sms())} messages")

    def await_code(self, phone, timeout=30):
        """The six-digit code of the next verification SMS (验证码) to
        `phone`."""
        text = self.await_sms(phone, "验证码", timeout)
        found = SIX_DIGITS.search(text)
        if not found:
            raise AssertionError(f"no six-digit code in the SMS: {text}")
        return found.group(1)
