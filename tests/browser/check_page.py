#!/usr/bin/env python3
"""check_page.py NSEARCH [--screenshot FILE] - the search page of nsearch serve
in a real headless browser (Debian's chromium, driven through the DevTools
protocol over --remote-debugging-pipe: no npm, no downloads).

It indexes a generated set of articles (Russian, with rubrics and dates, two
near copies and one hostile document), starts NSEARCH serve on a free port,
and checks what a reader sees: results for a Russian query with every
inflected form in <mark>, the query kept in the box, a query typed and
submitted with Enter, the back button, the hostile document shown as text,
paging, a facet click narrowing the results, the notice of a rescued query
and its "search as typed" link, "did you mean" and its link, near copies
folded under their story, facets beside the results on a desktop, a
phone-width layout without sideways scrolling, and no script error, console
error or Content-Security-Policy violation on the way.  Ends with
"N passed, N failed" (one per check).  With --screenshot it also writes a
PNG of a results page (for the README).
"""
import base64
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
TIMEOUT = 20.0

WORDS = ("бюджет дорога парк набережная школа больница мост транспорт вокзал рынок "
         "стадион библиотека музей театр площадь квартал двор фонтан сквер аллея "
         "водопровод котельная тротуар остановка автобус трамвай велодорожка пляж "
         "причал маяк завод ферма поле лес река озеро пруд сад огород улица переулок "
         "проспект бульвар гавань порт аэропорт почта банк аптека магазин кафе").split()
CITIES = ("Суздаль Владимир Ковров Муром Гороховец Вязники Кольчугино Александров "
          "Юрьев-Польский Собинка Камешково Петушки Покров Радужный Струнино").split()


def articles():
    """The generated articles: 24 on the school of mayors (15 Политика, 9
    Общество) with distinct texts, two near copies, a hundred with «москва»
    and one with «масква», one hostile."""
    rnd = random.Random(7)
    docs = []
    for i in range(24):
        words = rnd.sample(WORDS, 24)
        city = CITIES[i % len(CITIES)]
        at = 4 + i % 12
        # no sentence shared between them: each its own story
        form = ("школы", "школе", "школу", "школой")[i % 4]
        text = " ".join(words[:at] + [form, "мэров"] + words[at:])
        docs.append({
            "id": "a%02d" % i,
            "title": "%s: выпускник школы мэров о проекте «%s»" % (city, words[0]),
            "rubric": "Политика" if i < 15 else "Общество",
            "date": "2024-%02d-%02dT10:%02d:00+03:00" % (3 + i % 5, 1 + i, i),
            "url": "https://example.org/news/%d" % i,
            "text": "%s. %s." % (city, text),
        })
    copy = ("Выпускники программы для глав муниципалитетов защитили проекты благоустройства "
            "городских парков и набережных в трёх районах области перед экспертами из Москвы, "
            "а лучшие получат гранты на ремонт причалов и аллей")
    docs.append({"id": "copy-1", "title": "Проекты набережных защищены", "rubric": "Общество",
                 "date": "2024-09-01", "url": "https://example.org/copy/1", "text": copy})
    docs.append({"id": "copy-2", "title": "Главы защитили проекты набережных", "rubric": "Общество",
                 "date": "2024-09-02", "url": "https://example.net/copy/2",
                 "text": copy + ". Подписывайтесь"})
    # a word in one document beside one a typo away in a hundred: "did you mean"
    for i in range(100):
        docs.append({"id": "m%03d" % i, "title": "Москва, заметка %d" % i, "date": "2023-01-01",
                     "text": "москва " + " ".join(rnd.sample(WORDS, 10))})
    docs.append({"id": "typo", "title": "Опечатка", "date": "2023-01-02",
                 "text": "масква и другие слова"})
    docs.append({"id": "evil", "title": '<img src=x onerror="window.__pwned=1">',
                 "rubric": "<b>Общество</b>", "date": "2024-09-03",
                 "url": "javascript:window.__pwned=2",
                 "text": "<script>window.__pwned=3</script> Необычная заметка о "
                         "<i>лодочных</i> станциях"})
    return docs


class Browser:
    """Chromium over the DevTools protocol on a pipe (fd 3 in, fd 4 out,
    messages ended by a NUL byte)."""

    def __init__(self, profile):
        to_r, to_w = os.pipe()
        from_r, from_w = os.pipe()
        # move the child's ends above 4 so that dup2 onto 3 and 4 is safe
        to_r2, from_w2 = os.dup(to_r) + 10, os.dup(from_w) + 10
        os.dup2(to_r, to_r2)
        os.dup2(from_w, from_w2)

        def child():
            os.dup2(to_r2, 3)
            os.dup2(from_w2, 4)

        args = [CHROMIUM, "--headless=new", "--disable-gpu", "--remote-debugging-pipe",
                "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                "--user-data-dir=" + profile, "about:blank"]
        if os.geteuid() == 0:
            args.insert(1, "--no-sandbox")
        self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, preexec_fn=child,
                                     pass_fds=(3, 4, to_r2, from_w2))
        for fd in (to_r, from_w, to_r2, from_w2):
            os.close(fd)
        self.out = os.fdopen(to_w, "wb", buffering=0)
        self.inp = os.fdopen(from_r, "rb", buffering=0)
        self.buf = b""
        self.next_id = 0
        self.events = []
        self.session = None
        self.problems = []      # script errors, console errors, CSP violations

    def _read(self):
        while b"\0" not in self.buf:
            chunk = self.inp.read(65536)
            if not chunk:
                raise RuntimeError("chromium closed the pipe")
            self.buf += chunk
        msg, self.buf = self.buf.split(b"\0", 1)
        return json.loads(msg)

    def _event(self, m):
        method = m.get("method", "")
        p = m.get("params", {})
        if method == "Runtime.exceptionThrown":
            self.problems.append("exception: %s" % p["exceptionDetails"].get("text"))
        elif method == "Runtime.consoleAPICalled" and p.get("type") == "error":
            self.problems.append("console.error: %s" % [a.get("value") for a in p["args"]])
        elif method == "Log.entryAdded" and p["entry"]["level"] == "error":
            self.problems.append("log: %s" % p["entry"]["text"])
        self.events.append(method)

    def send(self, method, params=None, session=True):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session and self.session:
            msg["sessionId"] = self.session
        self.out.write(json.dumps(msg).encode() + b"\0")
        while True:
            m = self._read()
            if m.get("id") == self.next_id:
                if "error" in m:
                    raise RuntimeError("%s: %s" % (method, m["error"]))
                return m.get("result", {})
            if "method" in m:
                self._event(m)

    def pump(self, seconds):
        """Reads events for a while (the pipe blocks: use a short poll)."""
        import select
        end = time.time() + seconds
        while time.time() < end:
            if b"\0" in self.buf or select.select([self.inp], [], [], 0.02)[0]:
                m = self._read()
                if "method" in m:
                    self._event(m)

    def open_page(self):
        t = self.send("Target.createTarget", {"url": "about:blank"}, session=False)
        a = self.send("Target.attachToTarget", {"targetId": t["targetId"], "flatten": True},
                      session=False)
        self.session = a["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            self.send(domain + ".enable")

    def eval(self, expr):
        r = self.send("Runtime.evaluate", {"expression": expr, "returnByValue": True,
                                           "awaitPromise": True})
        if "exceptionDetails" in r:
            raise RuntimeError("evaluate %s: %s" % (expr, r["exceptionDetails"].get("text")))
        return r["result"].get("value")

    def wait_ready(self, before):
        """Waits until a page other than the one whose timeOrigin was
        before has set body[data-ready]."""
        end = time.time() + TIMEOUT
        while time.time() < end:
            try:
                now = self.eval("[performance.timeOrigin, document.body && "
                                "document.body.dataset.ready || '']")
                if now[0] != before and now[1]:
                    return now[1]
            except RuntimeError:
                pass            # the page is changing under us
            self.pump(0.05)
        raise RuntimeError("the page did not finish loading")

    def origin(self):
        try:
            return self.eval("performance.timeOrigin")
        except RuntimeError:
            return None

    def goto(self, url):
        before = self.origin()
        self.send("Page.navigate", {"url": url})
        return self.wait_ready(before)

    def click(self, selector):
        """A real mouse click at the middle of the element."""
        before = self.origin()
        box = self.eval("(() => { const e = document.querySelector(%s); if (!e) return null; "
                        "e.scrollIntoView({block: 'center'}); const r = e.getBoundingClientRect();"
                        " return [r.x + r.width / 2, r.y + r.height / 2]; })()"
                        % json.dumps(selector))
        if not box:
            raise RuntimeError("no element %s" % selector)
        for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
            self.send("Input.dispatchMouseEvent", {"type": kind, "x": box[0], "y": box[1],
                                                   "button": "left", "clickCount": 1})
        return before

    def type_and_enter(self, selector, text):
        self.click(selector)
        self.eval("document.querySelector(%s).select()" % json.dumps(selector))
        self.send("Input.insertText", {"text": text})
        before = self.origin()
        for kind in ("keyDown", "keyUp"):
            self.send("Input.dispatchKeyEvent", {"type": kind, "key": "Enter", "code": "Enter",
                                                 "windowsVirtualKeyCode": 13,
                                                 "text": "\r" if kind == "keyDown" else ""})
        return self.wait_ready(before)

    def back(self):
        h = self.send("Page.getNavigationHistory")
        before = self.origin()
        self.send("Page.navigateToHistoryEntry", {"entryId": h["entries"][h["currentIndex"] - 1]["id"]})
        return self.wait_ready(before)

    def viewport(self, width, height, mobile):
        self.send("Emulation.setDeviceMetricsOverride", {"width": width, "height": height,
                                                         "deviceScaleFactor": 1, "mobile": mobile})

    def screenshot(self, path):
        r = self.send("Page.captureScreenshot", {"format": "png"})
        with open(path, "wb") as f:
            f.write(base64.b64decode(r["data"]))

    def close(self):
        try:
            self.send("Browser.close", session=False)
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def start_server(nsearch, db, log):
    p = subprocess.Popen([nsearch, "serve", db, "--port", "0"], stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, text=True)
    line = p.stderr.readline()
    if "http://127.0.0.1:" not in line:
        raise RuntimeError("nsearch serve did not start: %s" % line.strip())
    base = line.split("http://", 1)[1].split("/", 1)[0]

    def drain():
        for l in p.stderr:
            log.append(l)
    import threading
    threading.Thread(target=drain, daemon=True).start()
    return p, "http://" + base


# what a results page shows, as one JSON value
STATE = """(() => ({
  q: document.getElementById('q').value,
  search: location.search,
  status: document.getElementById('status').textContent,
  notices: document.getElementById('notices').textContent,
  titles: [...document.querySelectorAll('#results > li h2')].map(e => e.textContent),
  links: [...document.querySelectorAll('#results > li h2 a')].map(e => e.getAttribute('href')),
  marks: [...document.querySelectorAll('#results mark')].map(e => e.textContent.toLowerCase()),
  rubrics: [...document.querySelectorAll('#results > li .rubric')].map(e => e.textContent),
  start: document.getElementById('results').start,
  imgs: document.querySelectorAll('#results img, #results script, #results b, #results i').length,
  dups: [...document.querySelectorAll('#results details.dups summary')].map(e => e.textContent),
  chips: document.getElementById('filters').textContent,
  pwned: window.__pwned === undefined ? null : window.__pwned,
}))()"""


def main():
    if len(sys.argv) < 2:
        print("usage: check_page.py NSEARCH [--screenshot FILE]", file=sys.stderr)
        return 2
    nsearch = os.path.abspath(sys.argv[1])
    shot = sys.argv[3] if len(sys.argv) > 3 and sys.argv[2] == "--screenshot" else None
    if not CHROMIUM:
        print("chromium not found: `make deps` installs it (Debian package chromium)")
        print("0 passed, 1 failed")
        return 1
    tmp = tempfile.mkdtemp(prefix="ni-browser-")
    passed = failed = 0
    server = browser = None
    log = []

    def check(name, ok, detail=""):
        nonlocal passed, failed
        if ok:
            passed += 1
            print("ok   " + name)
        else:
            failed += 1
            print("FAIL %s %s" % (name, detail))

    try:
        src = os.path.join(tmp, "news.jsonl")
        with open(src, "w") as f:
            for d in articles():
                f.write(json.dumps(d, ensure_ascii=False) + "\n")
        db = os.path.join(tmp, "db")
        subprocess.run([nsearch, "index", "-q", db, src], check=True, stderr=subprocess.DEVNULL)
        server, base = start_server(nsearch, db, log)
        browser = Browser(os.path.join(tmp, "profile"))
        browser.open_page()
        browser.viewport(1200, 900, False)
        q = urllib.parse.quote

        # a Russian query: results, every form of the words marked, the box
        browser.goto(base + "/?q=" + q("школа мэров"))
        s = browser.eval(STATE)
        check("results for «школа мэров»", len(s["titles"]) == 10 and
              s["status"].startswith("Найдено 24 документа"), s["status"])
        forms = set(s["marks"])
        check("inflected forms in <mark>", {"школы", "школу", "мэров"} <= forms, sorted(forms))
        check("the query kept in the box", s["q"] == "школа мэров", s["q"])
        box = browser.eval("(() => { const f = document.getElementById('facets')"
                           ".getBoundingClientRect(), r = document.getElementById('results')"
                           ".getBoundingClientRect(); return [f.top - r.top, f.left - r.right]; })()")
        check("facets beside the results on a desktop", abs(box[0]) < 40 and box[1] > 0, box)
        check("titles link to the articles", all(l.startswith("https://example.org/news/")
                                                  for l in s["links"]), s["links"][:2])

        # paging: next and previous by real clicks
        first = s["titles"]
        browser.wait_ready(browser.click("a[rel=next]"))
        s = browser.eval(STATE)
        check("next page", "offset=10" in s["search"] and s["start"] == 11 and
              len(s["titles"]) == 10 and not set(s["titles"]) & set(first), s["search"])
        browser.wait_ready(browser.click("a[rel=prev]"))
        s = browser.eval(STATE)
        check("previous page", s["titles"] == first and "offset" not in s["search"], s["search"])

        # a facet: the rubric with 9 matches narrows the results to them
        label = browser.eval("[...document.querySelectorAll('a[data-facet=rubric]')]"
                             ".map(a => a.textContent + '|' + a.nextSibling.textContent)")
        check("rubric facets listed", label == ["Политика|15", "Общество|9"], label)
        browser.eval("[...document.querySelectorAll('a[data-facet=rubric]')]"
                     ".find(a => a.textContent == 'Общество').id = 'facet-target'")
        browser.wait_ready(browser.click("#facet-target"))
        s = browser.eval(STATE)
        check("a facet click narrows", s["status"].startswith("Найдено 9 документов") and
              len(s["titles"]) == 9 and set(s["rubrics"]) == {"Общество"} and
              "Рубрика: Общество" in s["chips"], (s["status"], s["rubrics"][:3]))
        browser.wait_ready(browser.click("#filters a"))
        s = browser.eval(STATE)
        check("the filter removed", s["status"].startswith("Найдено 24"), s["status"])

        # a facet of an OR query: the filter holds for both sides of the OR
        browser.goto(base + "/?q=" + q("экспертами OR лодочных"))
        s = browser.eval(STATE)
        check("an OR query", len(s["titles"]) == 2, s["titles"])
        browser.eval("[...document.querySelectorAll('a[data-facet=rubric]')]"
                     ".find(a => a.textContent == 'Общество').id = 'facet-target'")
        browser.wait_ready(browser.click("#facet-target"))
        s = browser.eval(STATE)
        check("a facet of an OR query", s["rubrics"] == ["Общество"] and
              s["status"].startswith("Найдено 2 документа"), (s["status"], s["rubrics"]))

        # typed into the box, then the back button
        browser.goto(base + "/?q=" + q("школа мэров"))
        browser.type_and_enter("#q", "лодочных")
        s = browser.eval(STATE)
        check("a query typed and submitted", s["q"] == "лодочных" and
              "q=" + q("лодочных") in s["search"] and len(s["titles"]) == 1, s["search"])
        # the hostile document: its markup shown as text, its script never run
        check("hostile title shown as text", s["titles"] == ['<img src=x onerror="window.__pwned=1">']
              and s["imgs"] == 0 and s["pwned"] is None and s["links"] == [] and
              s["rubrics"] == ["<b>Общество</b>"], s)
        browser.back()
        s = browser.eval(STATE)
        check("back to the previous search", s["q"] == "школа мэров" and len(s["titles"]) == 10,
              s["q"])

        # near copies folded under their story
        browser.goto(base + "/?q=" + q("экспертами"))
        s = browser.eval(STATE)
        check("near copies folded", len(s["titles"]) == 1 and
              s["dups"] == ["+1 похожая публикация"], (s["titles"], s["dups"]))

        # a rescued query (typed with the Latin layout on): the notice, then
        # the link that searches it as typed
        browser.goto(base + "/?q=" + q("irjkf v'hjd"))
        s = browser.eval(STATE)
        check("rescue notice", "Показаны результаты по запросу «школа мэров»" in s["notices"] and
              len(s["titles"]) == 10, s["notices"])
        browser.wait_ready(browser.click("#notices a"))
        s = browser.eval(STATE)
        check("search as typed", "exact=1" in s["search"] and
              "Ничего не найдено" in s["notices"] and not s["titles"], s["notices"])

        # a word a hundred times rarer than one a typo away: searched as
        # typed, with the other suggested; the suggestion is a link
        browser.goto(base + "/?q=" + q("масква"))
        s = browser.eval(STATE)
        check("did you mean", "Возможно, вы имели в виду «москва»?" in s["notices"] and
              s["titles"] == ["Опечатка"], (s["notices"], s["titles"]))
        browser.wait_ready(browser.click("#notices a"))
        s = browser.eval(STATE)
        check("the suggestion searched", s["q"] == "москва" and len(s["titles"]) == 10, s["q"])

        # a phone: one column, nothing wider than the screen
        browser.viewport(390, 844, True)
        browser.goto(base + "/?q=" + q("школа мэров"))
        w = browser.eval("[document.documentElement.scrollWidth, innerWidth]")
        check("phone width, no sideways scroll", w[0] <= w[1], w)
        if shot:
            browser.viewport(1100, 760, False)
            browser.goto(base + "/?q=" + q("школа мэров"))
            browser.screenshot(shot)

        browser.pump(0.2)
        check("no script error, console error or CSP violation", not browser.problems,
              browser.problems)
    except Exception as e:          # a broken step fails the run, named
        check("browser session", False, repr(e))
    finally:
        if browser:
            browser.close()
        if server:
            server.send_signal(signal.SIGTERM)
            try:
                rc = server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                rc = -1
            check("server stopped cleanly", rc == 0, rc)
        shutil.rmtree(tmp, ignore_errors=True)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
