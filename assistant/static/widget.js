/* East Lake action-plan Q&A widget: one <script src=".../widget.js" data-...> adds a floating button and a chat panel. */
(function () {
  "use strict";

  // Everything lives in this closure and in a shadow root: the host page's CSS cannot reach in, ours cannot
  // leak out, and no global name is added. fetch is captured now so later monkey-patching by the page
  // (analytics wrappers, polyfills) does not see or alter the widget's traffic.
  var TAG = "east-lake-assistant";
  var LOG = "[east-lake-assistant]";
  var nativeFetch = window.fetch ? window.fetch.bind(window) : null;
  var script = document.currentScript || document.querySelector('script[src*="widget.js"]');

  if (!script) {
    console.error(LOG, "load widget.js with a plain <script src> tag");
    return;
  }
  // Marked at once (the element itself may wait for DOMContentLoaded), so a second copy of the tag is a no-op.
  if (document.documentElement.hasAttribute("data-" + TAG)) {
    console.warn(LOG, "widget.js is included twice; the second copy is ignored");
    return;
  }
  if (!nativeFetch || !Element.prototype.attachShadow) {
    console.warn(LOG, "this browser is too old for the assistant widget");
    return;
  }
  document.documentElement.setAttribute("data-" + TAG, "");

  var T = {
    zh: {
      title: "政策问答",
      launcher: "政策问答",
      subtitle: "依据《促进武汉东湖新技术开发区高质量发展行动方案》作答",
      corpus: function (n) { return "依据已收录的 " + n + " 份文件作答"; },
      scope: function (titles) { return "回答范围：" + titles.map(function (x) { return "《" + x + "》"; }).join(""); },
      welcome: "您好！我可以回答行动方案里的工作目标、任务措施、数字指标和责任单位。试试这些问题：",
      placeholder: "输入您的问题…",
      send: "发送",
      close: "关闭",
      open: "打开政策问答",
      other: "EN",
      otherLabel: "Switch to English",
      cites: "引用条款",
      bureaus: "责任单位",
      noBureaus: "未列出责任单位",
      up: "有帮助",
      down: "没帮助",
      thanks: "谢谢反馈！",
      feedbackFailed: "反馈未能保存：",
      thinking: "正在查找方案原文…",
      empty: "请先输入问题。",
      tooLong: function (n, max) { return "问题太长了（" + n + " 字），请精简到 " + max + " 字以内。"; },
      refused: "本网站未获授权使用该问答服务。",
      rejected: "这个问题无法处理：",
      failed: "服务暂时不可用，请稍后再试。",
      network: "无法连接问答服务，请检查网络后重试。",
      timeout: "回答超时，请稍后再试。",
      disclaimer: "回答依据方案原文自动整理，仅供参考，以政府正式发布文件为准。"
    },
    en: {
      title: "Policy Q&A",
      launcher: "Policy Q&A",
      subtitle: "Answers from the East Lake High-Tech Zone action plan",
      corpus: function (n) { return "Answers from the " + n + " documents held (questions in Chinese)"; },
      scope: function (titles) { return "Answers from: " + titles.join("; "); },
      welcome: "Hello! Ask me about the plan's goals, tasks, figures and responsible bureaus. Try:",
      placeholder: "Ask a question…",
      send: "Send",
      close: "Close",
      open: "Open the policy Q&A",
      other: "中",
      otherLabel: "切换到中文",
      cites: "Cited clauses",
      bureaus: "Responsible bureaus",
      noBureaus: "No responsible bureau listed",
      up: "Helpful",
      down: "Not helpful",
      thanks: "Thank you for the feedback!",
      feedbackFailed: "Feedback not saved: ",
      thinking: "Looking it up in the plan…",
      empty: "Please type a question first.",
      tooLong: function (n, max) { return "That question is too long (" + n + " characters); keep it under " + max + "."; },
      refused: "This website is not authorised to use the Q&A service.",
      rejected: "This question cannot be handled: ",
      failed: "The service is unavailable; please try again later.",
      network: "Cannot reach the Q&A service; check the connection and try again.",
      timeout: "The answer took too long; please try again.",
      disclaimer: "Compiled automatically from the plan's text for reference; the official document prevails."
    }
  };
  var FALLBACK_EXAMPLES = {
    zh: ["谁负责知识产权保护？", "对科技型中小企业有哪些支持？", "初创企业能获得哪些科技金融支持？"],
    en: ["Who is responsible for intellectual property protection?", "What support is there for tech SMEs?"]
  };
  var TIMEOUT_MS = 30000;

  // ------------------------------------------------------------ configuration from data attributes
  var data = script.dataset;
  // The API lives next to widget.js unless data-api says otherwise (e.g. the script is served from a CDN).
  var base = data.api ? new URL(data.api.replace(/\/?$/, "/"), location.href).href : new URL(".", script.src).href;
  function warnBad(name, value, used) {
    console.warn(LOG, "data-" + name + '="' + value + '" is not valid; using ' + used);
  }
  var position = (data.position || "bottom-right").toLowerCase();
  if (position !== "bottom-right" && position !== "bottom-left") {
    warnBad("position", data.position, "bottom-right");
    position = "bottom-right";
  }
  var lang = (data.lang || "zh").toLowerCase();
  if (lang === "auto") {
    lang = /^en\b/i.test(document.documentElement.lang || navigator.language || "") ? "en" : "zh";
  } else if (lang !== "zh" && lang !== "en") {
    warnBad("lang", data.lang, "zh");
    lang = "zh";
  }
  var accent = data.accent || "#b3261e";
  if (!(window.CSS && CSS.supports && CSS.supports("color", accent))) {
    warnBad("accent", data.accent, "#b3261e");
    accent = "#b3261e";
  }
  // data-documents="id1,id2" (ids or titles): the server checks them in /api/widget/config and limits every answer
  var documents = String(data.documents || "").split(",").map(function (x) { return x.trim(); }).filter(Boolean);
  var openOnLoad = data.open !== undefined && data.open !== "false" && data.open !== "0";
  var customTitle = data.title ? String(data.title).slice(0, 60) : "";

  var state = { history: [], busy: false, maxChars: 500, maxTurns: 20, examples: FALLBACK_EXAMPLES,
                documents: [], served: 1 };

  // ------------------------------------------------------------ DOM helpers (no innerHTML: safe under Trusted Types)
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        if (k === "text") node.textContent = attrs[k];
        else if (k === "class") node.className = attrs[k];
        else if (attrs[k] !== null && attrs[k] !== undefined && attrs[k] !== false) node.setAttribute(k, attrs[k]);
      });
    }
    (children || []).forEach(function (c) { if (c) node.appendChild(c); });
    return node;
  }
  function icon(paths, size) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("width", size || 22);
    svg.setAttribute("height", size || 22);
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    paths.forEach(function (d) {
      var p = document.createElementNS(ns, "path");
      p.setAttribute("d", d);
      svg.appendChild(p);
    });
    return svg;
  }
  var ICON_CHAT = ["M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z"];
  var ICON_CLOSE = ["M6 6l12 12M18 6L6 18"];
  var ICON_SEND = ["M3 20l18-8L3 4v6l12 2-12 2z"];
  // Drawn, not emoji: many office PCs have no colour-emoji font and would show empty boxes.
  var ICON_UP = ["M14 9V5a3 3 0 0 0-3-3l-4 9v11h11.28a2 2 0 0 0 2-1.7l1.38-9a2 2 0 0 0-2-2.3z",
                 "M7 22H4a2 2 0 0 1-2-2v-7a2 2 0 0 1 2-2h3"];
  var ICON_DOWN = ["M10 15v4a3 3 0 0 0 3 3l4-9V2H5.72a2 2 0 0 0-2 1.7l-1.38 9a2 2 0 0 0 2 2.3z",
                   "M17 2h2.67A2.31 2.31 0 0 1 22 4v7a2.31 2.31 0 0 1-2.33 2H17"];

  function textOn(color) {
    // White or near-black text on the accent, whichever reads better (WCAG relative luminance).
    var probe = el("span");
    probe.style.color = color;
    root.appendChild(probe);
    var rgb = (getComputedStyle(probe).color.match(/\d+(\.\d+)?/g) || [0, 0, 0]).slice(0, 3).map(Number);
    probe.remove();
    var lum = rgb.map(function (v) {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    var L = 0.2126 * lum[0] + 0.7152 * lum[1] + 0.0722 * lum[2];
    return L > 0.4 ? "#111827" : "#ffffff";
  }

  var CSS_TEXT = [
    // !important on :host wins over the page's !important rules (shadow context wins for important declarations).
    ":host { all: initial !important; display: block !important; position: fixed !important; z-index: 2147483000 !important;",
    "  bottom: 0 !important; width: 0 !important; height: 0 !important; visibility: visible !important; opacity: 1 !important; }",
    ":host([data-position=bottom-right]) { right: 0 !important; }",
    ":host([data-position=bottom-left]) { left: 0 !important; }",
    "@media print { :host { display: none !important; } }",
    ".w { --accent: #b3261e; --on-accent: #fff; font-family: system-ui, -apple-system, 'PingFang SC', 'Microsoft YaHei',",
    "  'Noto Sans CJK SC', sans-serif; font-size: 15px; line-height: 1.55; color: #1f2937; text-align: left;",
    "  letter-spacing: normal; word-spacing: normal; text-transform: none; font-weight: 400; font-style: normal; }",
    ".w *, .w *::before, .w *::after { box-sizing: border-box; }",
    "button, textarea { font: inherit; color: inherit; margin: 0; }",
    "button { cursor: pointer; }",
    ":focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }",
    ".launcher { position: fixed; bottom: 20px; display: inline-flex; align-items: center; gap: 8px; height: 52px;",
    "  padding: 0 20px 0 16px; border: 0; border-radius: 26px; background: var(--accent); color: var(--on-accent);",
    "  font-size: 16px; font-weight: 600; box-shadow: 0 6px 20px rgba(0,0,0,.25); }",
    ".launcher svg { fill: none; stroke: currentColor; stroke-width: 2; stroke-linejoin: round; }",
    ".launcher:hover { filter: brightness(1.08); }",
    ".right .launcher, .right .panel { right: 20px; } .left .launcher, .left .panel { left: 20px; }",
    ".panel { position: fixed; bottom: 84px; width: 390px; height: 620px; max-height: calc(100vh - 104px);",
    "  display: flex; flex-direction: column; background: #fff; border-radius: 14px; overflow: hidden;",
    "  box-shadow: 0 12px 40px rgba(0,0,0,.28); border: 1px solid rgba(0,0,0,.08); }",
    ".panel[hidden] { display: none; }",
    "header { display: flex; align-items: flex-start; gap: 8px; padding: 12px 12px 10px 16px; background: var(--accent); color: var(--on-accent); }",
    "header .t { flex: 1; min-width: 0; }",
    "header h2 { margin: 0; font-size: 17px; font-weight: 700; line-height: 1.3; }",
    "header p { margin: 2px 0 0; font-size: 12px; opacity: .9; line-height: 1.4; }",
    ".hbtn { border: 1px solid rgba(255,255,255,.5); background: transparent; color: var(--on-accent); border-radius: 8px;",
    "  min-width: 34px; height: 32px; padding: 0 8px; font-size: 13px; display: inline-flex; align-items: center; justify-content: center; }",
    ".hbtn svg { fill: none; stroke: currentColor; stroke-width: 2.2; stroke-linecap: round; }",
    ".log { flex: 1; overflow-y: auto; padding: 14px; background: #f6f7f9; overscroll-behavior: contain; }",
    ".msg { max-width: 92%; margin: 0 0 12px; padding: 9px 12px; border-radius: 12px; white-space: pre-wrap; overflow-wrap: anywhere; }",
    ".user { margin-left: auto; background: var(--accent); color: var(--on-accent); border-bottom-right-radius: 4px; width: fit-content; }",
    ".bot { background: #fff; border: 1px solid #e5e7eb; border-bottom-left-radius: 4px; }",
    ".error { background: #fff4f4; border: 1px solid #f3c2c2; color: #8a1c1c; }",
    ".thinking { color: #6b7280; font-style: italic; background: transparent; border: 0; padding-left: 2px; }",
    ".examples { display: flex; flex-wrap: wrap; gap: 6px; margin: -4px 0 12px; }",
    ".ex { border: 1px solid var(--accent); color: var(--accent); background: #fff; border-radius: 999px; padding: 4px 10px; font-size: 13px; text-align: left; }",
    ".ex:hover { background: var(--accent); color: var(--on-accent); }",
    ".cites { margin-top: 8px; white-space: normal; }",
    ".cites h3 { margin: 0 0 6px; font-size: 12px; font-weight: 600; color: #6b7280; text-transform: none; }",
    "details { border: 1px solid #e5e7eb; border-left: 3px solid var(--accent); border-radius: 8px; padding: 6px 10px; margin: 0 0 6px; background: #fcfcfd; }",
    "summary { cursor: pointer; font-weight: 600; font-size: 14px; }",
    "summary .id { color: #6b7280; font-weight: 400; font-size: 12px; margin-left: 4px; }",
    ".path { font-size: 12px; color: #6b7280; margin: 4px 0; }",
    ".doc { font-size: 12px; font-weight: 600; color: #374151; margin: 4px 0 0; }",
    ".chips { display: flex; flex-wrap: wrap; gap: 4px; margin: 4px 0; }",
    ".chip { display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 12px; border: 1px solid var(--accent); color: #1f2937; background: #fff; }",
    "blockquote { margin: 6px 0 2px; padding: 4px 8px; border-left: 3px solid #d1d5db; color: #374151; font-size: 13px; background: #f9fafb; }",
    ".fb { display: flex; gap: 6px; align-items: center; margin-top: 6px; font-size: 12px; color: #6b7280; }",
    ".fb button { border: 1px solid #d1d5db; background: #fff; border-radius: 8px; padding: 3px 8px; color: #4b5563;",
    "  display: inline-flex; align-items: center; }",
    ".fb svg { fill: none; stroke: currentColor; stroke-width: 2; stroke-linejoin: round; stroke-linecap: round; }",
    ".fb button[aria-pressed=true] { border-color: var(--accent); color: var(--accent); background: #fff7f7; }",
    ".fb button[aria-disabled=true] { cursor: default; }",
    "form { display: flex; gap: 8px; padding: 10px; border-top: 1px solid #e5e7eb; background: #fff; }",
    "textarea { flex: 1; resize: none; min-height: 40px; max-height: 120px; padding: 9px 10px; border: 1px solid #d1d5db;",
    "  border-radius: 10px; background: #fff; font-size: 15px; line-height: 1.4; }",
    "textarea:focus { border-color: var(--accent); outline: none; box-shadow: 0 0 0 2px rgba(0,0,0,.06); }",
    ".send { border: 0; border-radius: 10px; padding: 0 14px; background: var(--accent); color: var(--on-accent); font-weight: 600;",
    "  display: inline-flex; align-items: center; gap: 4px; }",
    ".send svg { fill: currentColor; }",
    ".send:disabled { opacity: .55; cursor: wait; }",
    ".hint { font-size: 12px; color: #8a1c1c; padding: 0 12px; min-height: 0; }",
    ".foot { font-size: 11px; color: #6b7280; padding: 0 12px 8px; background: #fff; }",
    ".sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }",
    "@media (max-width: 480px) {",
    "  .panel { left: 0 !important; right: 0 !important; bottom: 0; top: 0; width: 100%; height: 100%; max-height: none; border-radius: 0; border: 0; }",
    "  .launcher { bottom: 14px; height: 48px; padding: 0 16px 0 12px; font-size: 15px; }",
    "  .right .launcher { right: 14px; } .left .launcher { left: 14px; }",
    "  :host([data-open=true]) .launcher { display: none; }", // the full-screen panel has its own close button
    "}",
    "@media (prefers-reduced-motion: no-preference) { .panel:not([hidden]) { animation: pop .16s ease-out; }",
    "  @keyframes pop { from { opacity: 0; transform: translateY(8px); } to { opacity: 1; transform: none; } } }"
  ].join("\n");

  // ------------------------------------------------------------ build
  var host = document.createElement(TAG);
  host.setAttribute("data-state", "loading");
  host.setAttribute("data-position", position);
  var root = host.attachShadow({ mode: "open" });
  if (root.adoptedStyleSheets !== undefined && window.CSSStyleSheet && CSSStyleSheet.prototype.replaceSync) {
    // A constructed sheet is not an inline <style>, so a portal's strict style-src CSP does not block it.
    var sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS_TEXT);
    root.adoptedStyleSheets = [sheet];
  } else {
    root.appendChild(el("style", { text: CSS_TEXT }));
  }

  var ui = {};
  function t() { return T[lang]; }
  function title() { return customTitle || t().title; }
  function subtitle() {
    if (state.documents.length) return t().scope(state.documents.map(function (d) { return d.title; }));
    return state.served > 1 ? t().corpus(state.served) : t().subtitle;
  }

  function build() {
    var wrap = el("div", { class: "w " + (position === "bottom-left" ? "left" : "right"), lang: lang === "en" ? "en" : "zh-CN" });
    wrap.style.setProperty("--accent", accent);
    wrap.style.setProperty("--on-accent", textOn(accent));
    ui.wrap = wrap;
    ui.launcherLabel = el("span", { text: customTitle || t().launcher });
    ui.launcher = el("button", { class: "launcher", type: "button", "aria-expanded": "false", "aria-controls": "ela-panel",
                                 "aria-label": t().open }, [icon(ICON_CHAT, 22), ui.launcherLabel]);
    ui.title = el("h2", { id: "ela-title", text: title() });
    ui.subtitle = el("p", { text: subtitle() });
    ui.langBtn = el("button", { class: "hbtn", type: "button", "aria-label": t().otherLabel, text: t().other });
    ui.closeBtn = el("button", { class: "hbtn", type: "button", "aria-label": t().close }, [icon(ICON_CLOSE, 18)]);
    ui.log = el("div", { class: "log", role: "log", "aria-live": "polite" });
    ui.input = el("textarea", { rows: "1", "aria-label": t().placeholder, placeholder: t().placeholder });
    ui.sendLabel = el("span", { text: t().send });
    ui.send = el("button", { class: "send", type: "submit" }, [icon(ICON_SEND, 16), ui.sendLabel]);
    ui.hint = el("div", { class: "hint", role: "status" });
    ui.form = el("form", { novalidate: "" }, [ui.input, ui.send]);
    ui.foot = el("div", { class: "foot", text: t().disclaimer });
    ui.panel = el("section", { class: "panel", id: "ela-panel", role: "dialog", "aria-labelledby": "ela-title", hidden: "" }, [
      el("header", null, [el("div", { class: "t" }, [ui.title, ui.subtitle]), ui.langBtn, ui.closeBtn]),
      ui.log, ui.hint, ui.form, ui.foot
    ]);
    wrap.appendChild(ui.panel);
    wrap.appendChild(ui.launcher);
    root.appendChild(wrap);
    welcome();

    ui.launcher.addEventListener("click", function () { setOpen(ui.panel.hidden); });
    ui.closeBtn.addEventListener("click", function () { setOpen(false); });
    ui.langBtn.addEventListener("click", function () { switchLang(lang === "zh" ? "en" : "zh"); });
    ui.form.addEventListener("submit", function (e) { e.preventDefault(); ask(ui.input.value); });
    ui.input.addEventListener("keydown", function (e) {
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { e.preventDefault(); ask(ui.input.value); }
    });
    ui.input.addEventListener("input", function () {
      ui.hint.textContent = "";
      ui.input.style.height = "auto";
      ui.input.style.height = Math.min(ui.input.scrollHeight + 2, 120) + "px";
    });
    ui.panel.addEventListener("keydown", function (e) { if (e.key === "Escape") setOpen(false); });
    // Keys typed in the widget are the widget's: the page's shortcuts (search on "/", etc.) must not fire.
    ["keydown", "keyup", "keypress"].forEach(function (type) {
      ui.panel.addEventListener(type, function (e) { e.stopPropagation(); });
    });
  }

  function welcome() {
    var examples = el("div", { class: "examples" });
    (state.examples[lang] || []).forEach(function (q) {
      var b = el("button", { class: "ex", type: "button", text: q });
      b.addEventListener("click", function () { ask(q); });
      examples.appendChild(b);
    });
    ui.welcome = el("div", { class: "welcome" }, [el("div", { class: "msg bot", text: t().welcome }), examples]);
    ui.log.insertBefore(ui.welcome, ui.log.firstChild);
  }

  function switchLang(next) {
    lang = next;
    ui.wrap.setAttribute("lang", lang === "en" ? "en" : "zh-CN");
    ui.title.textContent = title();
    ui.launcherLabel.textContent = customTitle || t().launcher;
    ui.launcher.setAttribute("aria-label", t().open);
    ui.subtitle.textContent = subtitle();
    ui.langBtn.textContent = t().other;
    ui.langBtn.setAttribute("aria-label", t().otherLabel);
    ui.closeBtn.setAttribute("aria-label", t().close);
    ui.input.placeholder = t().placeholder;
    ui.input.setAttribute("aria-label", t().placeholder);
    ui.sendLabel.textContent = t().send;
    ui.foot.textContent = t().disclaimer;
    ui.welcome.remove();
    welcome();
  }

  function setOpen(open, quiet) {
    ui.panel.hidden = !open;
    ui.launcher.setAttribute("aria-expanded", String(open));
    host.setAttribute("data-open", String(open));
    if (quiet) return; // opened by data-open: do not take the keyboard focus away from the page
    if (open) ui.input.focus();
    else ui.launcher.focus();
  }

  function scrollDown() { ui.log.scrollTop = ui.log.scrollHeight; }

  function addMessage(kind, text) {
    var m = el("div", { class: "msg " + kind, text: text });
    ui.log.appendChild(m);
    scrollDown();
    return m;
  }

  function renderAnswer(record) {
    var m = el("div", { class: "msg bot", "data-refused": String(!!record.refused) });
    m.appendChild(el("div", { class: "text", text: record.answer }));
    if (record.citations && record.citations.length) {
      var box = el("div", { class: "cites" }, [el("h3", { text: t().cites })]);
      record.citations.forEach(function (c, i) {
        var chips = el("div", { class: "chips", "aria-label": t().bureaus });
        if (c.bureaus && c.bureaus.length) {
          c.bureaus.forEach(function (b) { chips.appendChild(el("span", { class: "chip", text: b })); });
        } else {
          chips.appendChild(el("span", { class: "path", text: t().noBureaus }));
        }
        box.appendChild(el("details", { "data-clause": c.id, open: i === 0 ? "" : null }, [
          el("summary", null, [document.createTextNode(c.title), el("span", { class: "id", text: "#" + c.id })]),
          c.document ? el("div", { class: "doc", text: "《" + c.document + "》" }) : null,
          el("div", { class: "path", text: c.path.split(" > ").join(" › ") }),
          (c.bureaus && c.bureaus.length) || !c.document ? chips : null, // a law lists no 责任单位: no empty row
          el("blockquote", { text: c.quote })
        ]));
      });
      m.appendChild(box);
    }
    m.appendChild(feedbackRow(record));
    ui.log.appendChild(m);
    // Show the question and the start of the answer, not the end of a long answer. (Not scrollIntoView:
    // that would scroll the host page as well.)
    var asked = m.previousElementSibling || m;
    ui.log.scrollTop = Math.max(0, asked.offsetTop - ui.log.offsetTop - 8);
  }

  function feedbackRow(record) {
    var row = el("div", { class: "fb" });
    var note = el("span", { role: "status" });
    var up = el("button", { type: "button", class: "up", "aria-label": t().up, title: t().up, "aria-pressed": "false" },
                [icon(ICON_UP, 16)]);
    var down = el("button", { type: "button", class: "down", "aria-label": t().down, title: t().down, "aria-pressed": "false" },
                  [icon(ICON_DOWN, 16)]);
    var locked = false;
    function lock(on) {
      // aria-disabled rather than disabled: a disabled button drops the keyboard focus (and Esc with it).
      locked = on;
      up.setAttribute("aria-disabled", String(on));
      down.setAttribute("aria-disabled", String(on));
    }
    function send(verdict, btn) {
      if (locked) return;
      lock(true);
      post("api/feedback", { question: record.question, answer: record.answer, citations: record.citations,
                             verdict: verdict, source: "widget" })
        .then(function (r) {
          if (!r.ok) throw new Error((r.body && r.body.error) || String(r.status));
          btn.setAttribute("aria-pressed", "true");
          note.textContent = t().thanks;
        })
        .catch(function (e) {
          lock(false);
          note.textContent = t().feedbackFailed + (e && e.message ? e.message : "");
        });
    }
    up.addEventListener("click", function () { send("up", up); });
    down.addEventListener("click", function () { send("down", down); });
    row.appendChild(up);
    row.appendChild(down);
    row.appendChild(note);
    return row;
  }

  function post(path, body) {
    var ctrl = window.AbortController ? new AbortController() : null;
    var timer = ctrl ? setTimeout(function () { ctrl.abort(); }, TIMEOUT_MS) : null;
    return nativeFetch(new URL(path, base).href, {
      method: "POST", mode: "cors", credentials: "omit", cache: "no-store",
      headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
      signal: ctrl ? ctrl.signal : undefined
    }).then(function (res) {
      return res.json().catch(function () { return null; }).then(function (json) {
        return { ok: res.ok, status: res.status, body: json };
      });
    }).finally(function () { if (timer) clearTimeout(timer); });
  }

  function ask(raw) {
    var q = String(raw || "").trim();
    if (state.busy) return;
    if (!q) { ui.hint.textContent = t().empty; ui.input.focus(); return; }
    if (q.length > state.maxChars) { ui.hint.textContent = t().tooLong(q.length, state.maxChars); return; }
    ui.hint.textContent = "";
    state.busy = true;
    ui.send.disabled = true;
    ui.input.value = "";
    ui.input.style.height = "auto";
    addMessage("user", q);
    var waiting = addMessage("thinking", t().thinking);
    var body = { question: q, history: state.history.slice(-state.maxTurns) };
    if (state.documents.length) body.documents = state.documents.map(function (d) { return d.id; });
    post("api/ask", body)
      .then(function (r) {
        waiting.remove();
        if (r.ok && r.body) {
          // The answer's citations go back with the question, so "它" and "the second one" refer to them.
          state.history.push({ question: q, citations: (r.body.citations || []).map(function (c) { return c.id; }) });
          renderAnswer(r.body);
        } else if (r.status === 403) {
          addMessage("error", t().refused);
        } else if (r.status >= 400 && r.status < 500 && r.body && r.body.error) {
          addMessage("error", t().rejected + r.body.error);
        } else {
          addMessage("error", t().failed);
        }
      })
      .catch(function (e) {
        waiting.remove();
        addMessage("error", e && e.name === "AbortError" ? t().timeout : t().network);
      })
      .finally(function () {
        state.busy = false;
        ui.send.disabled = false;
        ui.input.focus();
      });
  }

  // ------------------------------------------------------------ start
  function start() {
    (document.body || document.documentElement).appendChild(host);
    // Ask the server first: it is the authority on which sites may embed the assistant. A refused site
    // shows nothing to its visitors and gets the reason in the console.
    var config = new URL("api/widget/config", base);
    if (documents.length) config.searchParams.set("documents", documents.join(","));
    nativeFetch(config.href, { credentials: "omit", cache: "no-store" })
      .then(function (res) {
        return res.json().catch(function () { return {}; }).then(function (body) {
          if (res.status === 403) {
            host.setAttribute("data-state", "refused");
            console.error(LOG, body.error || "this site is not allowed to embed the assistant");
            return;
          }
          if (res.status === 422) { // data-documents names a document the server does not hold: fix the tag
            host.setAttribute("data-state", "invalid");
            console.error(LOG, body.error || "data-documents is not valid");
            return;
          }
          if (res.ok) {
            if (body.max_question_chars) state.maxChars = body.max_question_chars;
            if (body.max_turns) state.maxTurns = body.max_turns;
            if (body.examples) state.examples = body.examples;
            if (body.documents) state.documents = body.documents;
            if (body.served) state.served = body.served;
          }
          show();
        });
      })
      .catch(function () { show(); }); // the server may be briefly unreachable; asking will say so
  }

  function show() {
    build();
    host.setAttribute("data-state", "ready");
    host.setAttribute("data-open", "false");
    // On a phone the open panel covers the whole page, so it waits for the visitor's tap there.
    var phone = window.matchMedia && window.matchMedia("(max-width: 480px)").matches;
    if (openOnLoad && !phone) setOpen(true, true);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
