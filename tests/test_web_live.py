"""The real server on loopback: `python app.py` queried over HTTP and with gradio_client, driven in headless Chromium."""
from __future__ import annotations

import json
import re
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ARTIFACTS = ROOT / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
IP_QUESTION = "谁负责知识产权保护？"
IP_BUREAUS = ("市市场监管局", "市地方金融局", "市法院")


@pytest.fixture(scope="session")
def http(server):
    with httpx.Client(base_url=server.base, timeout=30) as c:
        yield c


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: the browser tests need Debian's Chromium "
                    "(apt-get update && apt-get install -y chromium)", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


class Portal:
    """A stand-in for a government portal on another origin, serving one page."""

    def __init__(self, host: str, body: str):
        page = (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Portal</title></head>'
                f'<body><h1>Another site</h1>{body}</body></html>').encode()

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - the http.server API
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.end_headers()
                self.wfile.write(page)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer((host, 0), Handler)
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def widget_tag(server, attrs: str) -> str:
    return f'<script src="{server.base}/widget.js" {attrs}></script>'


def wait_for_widget(page):
    page.wait_for_selector("east-lake-assistant:not([data-state=loading])", state="attached", timeout=15_000)
    return page.get_attribute("east-lake-assistant", "data-state")


# ---------------------------------------------------------------- HTTP

def test_health_and_docs(http):
    health = http.get("/healthz").json()
    assert health["status"] == "ok" and health["assistant"] == "ready" and health["clauses"] == 30
    docs = http.get("/docs")
    assert docs.status_code == 200 and "/openapi.json" in docs.text
    for asset in [a for a in ("/docs-assets/swagger-ui-bundle.js",) if a in docs.text]:
        assert http.get(asset).status_code == 200  # served locally when fastapi-offline is installed
    assert "/api/ask" in http.get("/openapi.json").json()["paths"]


def test_api_ask_over_http(http):
    r = http.post("/api/ask", json={"question": IP_QUESTION})
    assert r.status_code == 200
    record = r.json()
    assert set(record) == {"id", "question", "answer", "refused", "citations", "latency_ms"}
    assert record["citations"][0]["title"] == "强化知识产权保护"
    assert all(b in record["answer"] for b in IP_BUREAUS)
    follow = http.post("/api/ask", json={"question": "这一条由哪些单位负责？",
                                         "history": ["光谷在知识产权方面有什么举措？", "会建知识产权法院吗？"]})
    assert follow.json()["citations"][0]["title"] == "强化知识产权保护"


def test_api_errors_over_http(http):
    bad = http.post("/api/ask", content=b"{not json", headers={"Content-Type": "application/json"})
    assert bad.status_code == 400 and bad.json()["error"].startswith("the body is not valid JSON")
    form = http.post("/api/ask", data={"question": IP_QUESTION})
    assert form.status_code == 415
    big = http.post("/api/ask", content=b"x" * 300_000, headers={"Content-Type": "application/json"})
    assert big.status_code == 413 and big.json() == {"error": "the body is 300000 bytes; the limit is 262144"}
    empty = http.post("/api/ask", json={"question": ""})
    assert empty.status_code == 422 and empty.json() == {"error": "the question is empty"}


def test_api_clause_and_feedback_over_http(http, server):
    clause = http.get("/api/clauses/2.5.2").json()
    assert clause["title"] == "强化知识产权保护" and list(clause["bureaus"]) == list(IP_BUREAUS)
    r = http.post("/api/feedback", json={"question": IP_QUESTION, "answer": "…", "citations": ["2.5.2"],
                                         "verdict": "up"})
    assert r.status_code == 201
    assert any(row["id"] == r.json()["id"] and row["source"] == "api" for row in server.feedback_rows())


def test_origin_policy_over_http(http):
    allowed = http.post("/api/ask", json={"question": IP_QUESTION}, headers={"Origin": "http://localhost:3000"})
    assert allowed.status_code == 200 and allowed.headers["access-control-allow-origin"] == "http://localhost:3000"
    refused = http.post("/api/ask", json={"question": IP_QUESTION}, headers={"Origin": "https://evil.example"})
    assert refused.status_code == 403 and "not allowed" in refused.json()["error"]


# ---------------------------------------------------------------- gradio_client

def test_gradio_client(server):
    from gradio_client import Client
    from gradio_client.exceptions import AppError

    client = Client(server.base + "/", verbose=False, analytics_enabled=False, download_files=False)
    record = client.predict(IP_QUESTION, [], api_name="/ask")
    assert record["citations"][0]["title"] == "强化知识产权保护"
    assert all(b in record["answer"] for b in IP_BUREAUS)
    follow = client.predict("这一条由哪些单位负责？", ["光谷在知识产权方面有什么举措？"], api_name="/ask")
    assert follow["citations"][0]["title"] == "强化知识产权保护"
    assert client.predict("2.5.2", api_name="/clause")["title"] == "强化知识产权保护"
    with pytest.raises(AppError, match="the question is empty"):
        client.predict("  ", [], api_name="/ask")
    # Only the two API endpoints are public; the chat's own events are not part of the API.
    assert set(client.view_api(print_info=False, return_format="dict")["named_endpoints"]) == {"/ask", "/clause"}


# ---------------------------------------------------------------- the chat in Chromium

def test_chat_in_browser(browser, server, artifacts, capsys):
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    outside = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith((server.base, "data:", "blob:"))
            else None)
    page.goto(server.base + "/")
    page.wait_for_selector("#question textarea", timeout=30_000)
    interactive = page.evaluate("performance.now()")
    page.wait_for_load_state("load")
    timing = page.evaluate("""() => { const t = performance.timing, s = t.navigationStart;
        return {ttfb: t.responseStart - s, dom_content_loaded: t.domContentLoadedEventEnd - s,
                load: t.loadEventEnd - s}; }""")
    timing["interactive"] = round(interactive)
    (artifacts / "chat-timing.json").write_text(json.dumps(timing, indent=2) + "\n")
    with capsys.disabled():
        print(f"\nchat page load in headless Chromium: TTFB {timing['ttfb']} ms, DOMContentLoaded "
              f"{timing['dom_content_loaded']} ms, load {timing['load']} ms, chat ready {timing['interactive']} ms")
    assert timing["interactive"] < 15_000

    # The interface: Chinese first, with example questions an entrepreneur would ask.
    assert page.inner_text("#masthead h1") == "东湖高新区政策问答"
    assert page.locator("#examples").get_by_text("对科技型中小企业有哪些支持？").is_visible()

    page.fill("#question textarea", IP_QUESTION)
    page.keyboard.press("Enter")
    page.wait_for_selector("#cites-panel .chip", timeout=30_000)
    panel = page.inner_text("#cites-panel")
    assert "强化知识产权保护" in panel and "二、主要任务" in panel
    for bureau in IP_BUREAUS:
        assert page.locator("#cites-panel .chip", has_text=bureau).is_visible()
        assert bureau in page.inner_text("#chat")
    page.wait_for_timeout(300)
    page.screenshot(path=str(artifacts / "chat.png"), full_page=True)

    # Bad input gets a friendly message and stays out of the conversation.
    messages = page.locator("#chat [data-testid=bot], #chat [data-testid=user]")
    assert messages.count() == 2
    page.click("#send")
    assert page.wait_for_selector("[data-testid=toast-text]:has-text('请先输入问题。')", timeout=10_000)
    page.fill("#question textarea", "问" * 501)
    page.click("#send")
    assert page.wait_for_selector("[data-testid=toast-text]:has-text('问题太长了（501 字）')", timeout=10_000)
    assert page.input_value("#question textarea") == "问" * 501  # kept, so it can be shortened
    assert messages.count() == 2

    # 👍 on the answer lands in SQLite with the question, answer and citations.
    page.click("#chat button[aria-label='赞'], #chat button[aria-label=Like]")  # Gradio localises the label
    page.wait_for_selector("[data-testid=toast-text]:has-text('谢谢您的肯定！')", timeout=10_000)
    row = next(r for r in server.feedback_rows() if r["source"] == "chat")
    assert row["verdict"] == "up" and row["question"] == IP_QUESTION
    assert row["citations"][0]["title"] == "强化知识产权保护" and "市法院" in row["answer"]

    # A second question; clicking the first answer brings its citations back to the panel.
    page.fill("#question textarea", "初创企业能获得哪些科技金融支持？")
    page.keyboard.press("Enter")
    page.wait_for_selector("#cites-panel .cite-title:has-text('创新科技金融支撑')", timeout=30_000)
    page.locator("#chat [data-testid=bot]").first.click()
    page.wait_for_selector("#cites-panel .cite-title:has-text('强化知识产权保护')", timeout=10_000)

    # The English switch relabels the interface and the panel.
    page.get_by_label("English").check()
    page.wait_for_selector("#send:has-text('Send')", timeout=10_000)
    assert "Cited clauses" in page.inner_text("#cites-panel")
    assert "Municipal Market Supervision Administration" in page.inner_text("#cites-panel")
    assert page.locator("#examples").get_by_text("What support is there for tech SMEs?").is_visible()
    assert outside == [], f"the chat fetched from outside the server: {outside[:5]}"
    page.close()


def test_chat_on_a_phone(browser, server, artifacts):
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True,
                                  has_touch=True, locale="zh-CN")
    page = context.new_page()
    page.goto(server.base + "/")
    page.wait_for_selector("#question textarea", timeout=30_000)
    page.fill("#question textarea", IP_QUESTION)
    page.click("#send")
    page.wait_for_selector("#cites-panel .chip", timeout=30_000)
    width, viewport = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= viewport, f"the page scrolls sideways on a phone ({width}px > {viewport}px)"
    chat, cites = page.locator("#chat").bounding_box(), page.locator("#cites-panel").bounding_box()
    assert cites["y"] >= chat["y"] + chat["height"] - 1, "the citations should stack under the chat on a phone"
    assert chat["width"] <= viewport
    page.screenshot(path=str(artifacts / "chat-mobile.png"), full_page=True)
    context.close()


# ---------------------------------------------------------------- the widget in Chromium

def test_widget_on_demo_page(browser, server, artifacts):
    page = browser.new_page(viewport={"width": 1280, "height": 860}, locale="zh-CN")
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(server.base + "/widget-demo")
    assert wait_for_widget(page) == "ready"

    # Isolation: the portal's `button { background: none !important }` and `html { font-size: 10px }` do not
    # reach the widget, and the widget adds no global name to the page.
    launcher = page.locator("east-lake-assistant .launcher")
    style = launcher.evaluate("e => { const s = getComputedStyle(e); return [s.backgroundColor, s.fontSize]; }")
    assert style == ["rgb(200, 22, 29)", "16px"]
    globals_added = page.evaluate("Object.keys(window).filter(k => /east|lake|widget|assistant/i.test(k))")
    assert globals_added == []

    launcher.click()
    box = page.locator("east-lake-assistant textarea")
    assert box.is_visible()
    box.press("/")  # the portal binds "/" to its search box; typing it in the widget must not trigger that
    assert box.input_value() == "/" and page.evaluate("window.portalShortcutHits") == 0
    box.fill(IP_QUESTION)
    box.press("Enter")
    page.wait_for_selector("east-lake-assistant .msg.bot .chip", timeout=30_000)
    answer = page.locator("east-lake-assistant .msg.bot").last
    assert answer.locator("summary").first.inner_text().startswith("强化知识产权保护")
    for bureau in IP_BUREAUS:
        assert answer.locator(".chip", has_text=bureau).is_visible()
        assert bureau in answer.locator(".text").inner_text()
    page.wait_for_timeout(300)
    page.screenshot(path=str(artifacts / "widget.png"))

    answer.locator("button.up").click()
    page.wait_for_selector("east-lake-assistant .fb [role=status]:has-text('谢谢反馈')", timeout=10_000)
    assert any(r["source"] == "widget" and r["verdict"] == "up" and r["question"] == IP_QUESTION
               for r in server.feedback_rows())

    page.keyboard.press("Escape")
    assert not page.locator("east-lake-assistant .panel").is_visible()
    assert errors == []
    page.close()


def test_widget_on_a_phone(browser, server):
    context = browser.new_context(viewport={"width": 390, "height": 760}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(server.base + "/widget-demo")
    assert wait_for_widget(page) == "ready"
    page.locator("east-lake-assistant .launcher").tap()
    page.wait_for_timeout(400)  # the opening animation
    panel = page.locator("east-lake-assistant .panel").bounding_box()
    assert (panel["x"], panel["y"], panel["width"], panel["height"]) == (0, 0, 390, 760)  # full screen
    assert not page.locator("east-lake-assistant .launcher").is_visible()  # it would cover the send button
    page.locator("east-lake-assistant .ex").first.tap()
    page.wait_for_selector("east-lake-assistant .msg.bot .chip", timeout=30_000)
    send = page.locator("east-lake-assistant .send").bounding_box()
    assert send["x"] + send["width"] <= 390 and send["y"] + send["height"] <= 760
    page.locator("east-lake-assistant .hbtn").last.tap()  # close
    assert page.locator("east-lake-assistant .launcher").is_visible()
    context.close()


def test_widget_on_another_allowed_site(browser, server):
    # http://localhost:<port> is allowed by default: a cross-origin embed configured by data attributes.
    portal = Portal("127.0.0.1", widget_tag(server, 'data-lang="en" data-position="bottom-left" data-open="true" '
                                                    'data-accent="#0b5cad" data-title="Ask the plan"'))
    try:
        page = browser.new_page(viewport={"width": 1200, "height": 800})
        page.goto(f"http://localhost:{portal.port}/")
        assert wait_for_widget(page) == "ready"
        panel = page.locator("east-lake-assistant .panel")
        assert panel.is_visible()  # data-open
        assert page.locator("east-lake-assistant h2").inner_text() == "Ask the plan"
        assert page.locator("east-lake-assistant .launcher").bounding_box()["x"] < 100  # bottom-left
        assert page.locator("east-lake-assistant .launcher").evaluate(
            "e => getComputedStyle(e).backgroundColor") == "rgb(11, 92, 173)"
        page.locator("east-lake-assistant .ex", has_text="Who is responsible for intellectual property").click()
        page.wait_for_selector("east-lake-assistant .msg.bot .chip", timeout=30_000)
        assert "Responsible bureaus" in page.locator("east-lake-assistant .msg.bot .text").last.inner_text()
        assert page.locator("east-lake-assistant .msg.bot .chip", has_text="市法院").is_visible()
        page.close()
    finally:
        portal.close()


def test_widget_included_twice_shows_once(browser, server):
    portal = Portal("127.0.0.1", widget_tag(server, "") + widget_tag(server, 'data-lang="en"'))
    try:
        page = browser.new_page()
        page.goto(f"http://localhost:{portal.port}/")
        assert wait_for_widget(page) == "ready"
        page.wait_for_timeout(300)
        assert page.locator("east-lake-assistant").count() == 1
        page.close()
    finally:
        portal.close()


def test_widget_refused_on_a_site_outside_the_allowlist(browser, server):
    # 127.0.0.2 is loopback too, but it is neither the server's origin nor localhost/127.0.0.1.
    portal = Portal("127.0.0.2", widget_tag(server, 'data-open="true"'))
    try:
        page = browser.new_page()
        console = []
        page.on("console", lambda m: console.append(m.text))
        page.goto(f"http://127.0.0.2:{portal.port}/")
        assert wait_for_widget(page) == "refused"
        assert page.locator("east-lake-assistant .launcher").count() == 0
        assert any("is not allowed to use this assistant" in line for line in console)
        status = page.evaluate("""base => fetch(base + '/api/ask', {method: 'POST',
            headers: {'Content-Type': 'application/json'}, body: JSON.stringify({question: 'x'})})
            .then(r => r.status, e => 'blocked: ' + e.name)""", server.base)
        assert status == "blocked: TypeError"  # the preflight is refused, so the browser never sends the question
        page.close()
    finally:
        portal.close()


def test_chat_in_an_iframe_only_on_allowed_sites(browser, server):
    # The iframe alternative: frame-ancestors lets localhost frame the chat and stops other sites.
    results = {}
    for host, url_host in (("127.0.0.1", "localhost"), ("127.0.0.2", "127.0.0.2")):
        portal = Portal(host, f'<iframe src="{server.base}/" width="900" height="700"></iframe>')
        try:
            page = browser.new_page()
            page.goto(f"http://{url_host}:{portal.port}/")
            frame = page.frame_locator("iframe")
            try:
                frame.locator("#question textarea").wait_for(timeout=8_000)
                results[url_host] = "loaded"
            except Exception:  # noqa: BLE001 - a blocked frame never shows the chat
                results[url_host] = "blocked"
            page.close()
        finally:
            portal.close()
    assert results == {"localhost": "loaded", "127.0.0.2": "blocked"}


def test_load_tool_sends_bounded_load_to_the_live_server(server):
    from eval.load import run_load
    from eval.questions import load_questions

    questions = list(load_questions(ROOT / "eval" / "questions.jsonl").values())[:20]
    r = run_load(server.base, questions, clients=2, seconds=2)
    assert r["requests"] > 0 and r["by_status"] == {"200": r["requests"]}
    assert r["p50_ms"] <= r["p95_ms"] <= r["p99_ms"]


@pytest.mark.parametrize("url, message", [
    ("http://example.com:7860", "must point at this machine"),
    ("http://10.0.0.5:7860", "must point at this machine"),
    ("ftp://127.0.0.1", "must be an http(s) URL"),
])
def test_load_tool_refuses_other_machines(url, message):
    from eval.load import check_url

    with pytest.raises(ValueError, match=re.escape(message)):
        check_url(url)
    assert check_url("http://127.0.0.1:7860/") == "http://127.0.0.1:7860"
    assert check_url("http://[::1]:7860") == "http://[::1]:7860"
