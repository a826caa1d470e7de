"""Opens a page in headless Chromium as a signed-in person: sets a session cookie, loads the
page, saves a screenshot and prints the page's HTML. Chromium is driven over the DevTools
protocol on a pipe (--remote-debugging-pipe: JSON messages separated by NUL bytes on file
descriptors 3 and 4), so nothing but the standard library is needed.

usage: browser_session.py URL COOKIE_NAME COOKIE_VALUE SCREENSHOT.png [WIDTH HEIGHT]
"""
import base64
import fcntl
import json
import os
import subprocess
import sys
import time
import urllib.parse


def main():
    url, name, value, screenshot = sys.argv[1:5]
    width, height = (int(sys.argv[5]), int(sys.argv[6])) if len(sys.argv) > 6 else (412, 1100)
    # The pipes' ends are moved above 10 first, so that placing them at 3 and 4 overwrites nothing.
    def high(fd):
        moved = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
        os.close(fd)
        return moved

    to_browser_read, to_browser_write = map(high, os.pipe())
    from_browser_read, from_browser_write = map(high, os.pipe())
    # Chromium reads commands on fd 3 and writes answers on fd 4.
    os.dup2(to_browser_read, 3)
    os.dup2(from_browser_write, 4)
    browser = subprocess.Popen(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
         "--remote-debugging-pipe", f"--window-size={width},{height}", "about:blank"],
        pass_fds=(3, 4), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for fd in (3, 4, to_browser_read, from_browser_write):
        os.close(fd)
    writer = os.fdopen(to_browser_write, "wb", buffering=0)
    reader = os.fdopen(from_browser_read, "rb", buffering=0)
    pending = b""
    counter = [0]

    def call(method, params=None, session=None):
        nonlocal pending
        counter[0] += 1
        message = {"id": counter[0], "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        writer.write(json.dumps(message).encode() + b"\0")
        while True:
            while b"\0" not in pending:
                chunk = reader.read(65536)
                if not chunk:
                    raise SystemExit(f"chromium closed the pipe during {method}")
                pending += chunk
            raw, pending = pending.split(b"\0", 1)
            answer = json.loads(raw)
            if answer.get("id") == counter[0]:
                if "error" in answer:
                    raise SystemExit(f"{method}: {answer['error']}")
                return answer.get("result", {})

    try:
        target = call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        call("Page.enable", session=session)
        call("Network.enable", session=session)
        parts = urllib.parse.urlsplit(url)
        call("Network.setCookie", {"name": name, "value": value, "url": f"{parts.scheme}://{parts.netloc}/",
                                   "httpOnly": True, "sameSite": "Strict"}, session=session)
        call("Emulation.setDeviceMetricsOverride", {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": True},
             session=session)
        call("Page.navigate", {"url": url}, session=session)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            state = call("Runtime.evaluate", {"expression": "document.readyState", "returnByValue": True},
                         session=session)["result"].get("value")
            if state == "complete" and call("Runtime.evaluate", {"expression": "location.href", "returnByValue": True},
                                            session=session)["result"].get("value") == url:
                break
            time.sleep(0.05)
        shot = call("Page.captureScreenshot", {"format": "png"}, session=session)["data"]
        with open(screenshot, "wb") as file:
            file.write(base64.b64decode(shot))
        html = call("Runtime.evaluate", {"expression": "document.documentElement.outerHTML", "returnByValue": True},
                    session=session)["result"]["value"]
        sys.stdout.write(html)
        call("Browser.close")
    finally:
        try:
            browser.wait(timeout=10)
        except subprocess.TimeoutExpired:
            browser.kill()
            browser.wait()


if __name__ == "__main__":
    main()
