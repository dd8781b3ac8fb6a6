/* Hamrah Support widget: one <script> tag on any host page draws the floating support button.
 *   <script src="https://support.example/support/widget.js" data-tracking-number="..."
 *           data-national-id="..." data-activity="..." data-token="..." data-mode="dialog"
 *           data-poll-seconds="60"></script>
 * "dialog" (default) opens the popup in a modal dialog over the page; first it asks the frame
 * whether it can keep a session (no token is sent before the answer); if it cannot (a host on
 * another site: browsers drop the cookie in a cross-site frame), the popup opens in a window
 * instead, with one sentence saying why. "window" always opens a small window.
 * Host API: HamrahSupport.open({trackingNumber, nationalId, activity}), .close(),
 * .onUnread(fn({unread_answers, unread_announcements, total})), .onTicketCreated(fn(number)),
 * .polling() (false while the tab is hidden or before a sign-in);
 * the same as window events "hamrah-support:unread" and "hamrah-support:ticket-created". */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || window.HamrahSupport) { return; }
  var perf = window.performance;
  if (perf && perf.mark) { perf.mark("hamrah-support:script"); }
  var base = new URL(script.src, document.baseURI).origin;
  var data = script.dataset;
  var rtl = (document.documentElement.getAttribute("dir") || "rtl") === "rtl";
  var S = {{ strings|tojson }}[rtl ? "fa" : "en"];
  var label = data.label || (rtl ? "\u067e\u0634\u062a\u06cc\u0628\u0627\u0646\u06cc \u0647\u0645\u0631\u0627\u0647" : "Support");
  var token = data.token || "";
  var ctx = {trackingNumber: data.trackingNumber, nationalId: data.nationalId, activity: data.activity};
  var store;
  try { store = window.sessionStorage; store.getItem("x"); }
  catch (e) { store = {getItem: function () { return null; }, setItem: function () {}, removeItem: function () {}}; }
  var WINDOW_KEY = "hamrah-support-window", BADGE_KEY = "hamrah-support-badge";
  var mode = data.mode === "window" || store.getItem(WINDOW_KEY) ? "window" : "dialog";
  var pollMs = Math.max(5, parseInt(data.pollSeconds, 10) || {{ poll_seconds }}) * 1000;
  var badgeToken = store.getItem(BADGE_KEY) || "";
  var unreadFns = [], createdFns = [], lastTotal = null, lastData = null, timer = null, win = null;
  var overlay = null, box = null, frame = null, closeBtn = null, note = null, kept = null, loaded = false, probeTimer = null;

  function el(tag, attrs, style) {
    var node = document.createElement(tag), k;
    for (k in attrs || {}) { node.setAttribute(k, attrs[k]); }
    for (k in style || {}) { node.style[k] = style[k]; }
    return node;
  }
  function digits(n) {
    var text = n > 99 ? "99+" : String(n);
    return rtl ? text.replace(/[0-9]/g, function (d) { return String.fromCharCode(0x6f0 + +d); }) : text;
  }
  function popupUrl(withToken) {
    var params = new URLSearchParams();
    if (ctx.trackingNumber) { params.set("tracking_number", ctx.trackingNumber); }
    if (ctx.nationalId) { params.set("national_id", ctx.nationalId); }
    if (ctx.activity) { params.set("activity", ctx.activity); }
    params.set("host", location.origin);
    if (withToken && token) { params.set("token", token); token = ""; }  /* single use */
    return base + "/support/popup?" + params.toString();
  }

  var button = el("button", {type: "button", id: "hamrah-support-button", "aria-label": label,
                             "aria-haspopup": "dialog"},
    {position: "fixed", bottom: "20px", zIndex: "2147483000", padding: "12px 18px",
     borderRadius: "24px", border: "0", background: "#1f6fb2", color: "#fff", fontSize: "15px",
     cursor: "pointer", boxShadow: "0 2px 8px rgba(0,0,0,.3)", fontFamily: "inherit"});
  button.style[rtl ? "left" : "right"] = "20px";
  var svgNs = "http://www.w3.org/2000/svg";
  var icon = document.createElementNS(svgNs, "svg");
  icon.setAttribute("viewBox", "0 0 24 24"); icon.setAttribute("width", "18");
  icon.setAttribute("height", "18"); icon.setAttribute("aria-hidden", "true");
  icon.style.verticalAlign = "middle"; icon.style.margin = "0 6px";
  var path = document.createElementNS(svgNs, "path");
  path.setAttribute("fill", "currentColor");
  path.setAttribute("d", "M12 3a8 8 0 0 0-8 8v5a3 3 0 0 0 3 3h2v-7H6v-1a6 6 0 0 1 12 0v1h-3v7h2a3 3 0 0 0 3-3v-5a8 8 0 0 0-8-8z");
  icon.appendChild(path);
  button.appendChild(icon);
  button.appendChild(document.createTextNode(label));
  var badge = el("span", {id: "hamrah-support-badge", "aria-hidden": "true", hidden: ""},
    {background: "#b00020", color: "#fff", borderRadius: "10px", padding: "1px 7px",
     margin: "0 6px", fontSize: "13px"});
  button.appendChild(badge);

  function showNote(text) {
    if (!note) {
      note = el("p", {id: "hamrah-support-note", role: "status", dir: rtl ? "rtl" : "ltr"},
        {position: "fixed", bottom: "70px", zIndex: "2147483000", maxWidth: "340px", margin: "0",
         padding: "10px 14px", background: "#fff", color: "#222", border: "1px solid #1f6fb2",
         borderRadius: "6px", boxShadow: "0 2px 8px rgba(0,0,0,.2)", fontSize: "14px"});
      note.style[rtl ? "left" : "right"] = "20px";
      document.body.appendChild(note);
    }
    note.textContent = text;
  }

  function openWindow(withToken) {
    if (win && !win.closed && !withToken) { win.focus(); return; }
    win = window.open(popupUrl(withToken), "hamrah-support", "width=960,height=720");
  }

  function shown() { return overlay && overlay.style.display !== "none"; }
  function fallBack() {
    clearTimeout(probeTimer);
    mode = "window"; store.setItem(WINDOW_KEY, "1");
    hideDialog(false);
    if (frame) { overlay.parentNode.removeChild(overlay); overlay = frame = null; }
    showNote(S.fallback);
    openWindow(true);
  }

  function focusables() { return [closeBtn, frame]; }
  function trap(edge) {
    return el("span", {tabindex: "0", "data-edge": edge}, {position: "absolute", width: "1px", height: "1px", overflow: "hidden"});
  }

  function buildDialog(show) {
    overlay = el("div", {id: "hamrah-support-dialog"},
      {position: "fixed", top: "0", left: "0", right: "0", bottom: "0", background: "rgba(0,0,0,.35)",
       zIndex: "2147483001", display: show ? "flex" : "none", alignItems: "center",
       justifyContent: "center"});
    box = el("div", {role: "dialog", "aria-modal": "true", "aria-label": S.dialog, tabindex: "-1",
                     id: "hamrah-support-box", dir: rtl ? "rtl" : "ltr"},
      {width: "min(960px, 96vw)", height: "min(720px, 92vh)", background: "#fff", borderRadius: "8px",
       overflow: "hidden", position: "relative"});
    closeBtn = el("button", {type: "button", id: "hamrah-support-close",
                             "aria-label": rtl ? "\u0628\u0633\u062a\u0646" : "Close"},
      {position: "absolute", top: "6px", zIndex: "2", border: "1px solid #555", background: "#fff",
       color: "#222", width: "32px", height: "32px", borderRadius: "16px", fontSize: "20px",
       lineHeight: "1", cursor: "pointer"});
    closeBtn.style[rtl ? "left" : "right"] = "8px";
    closeBtn.textContent = "\u00d7";
    closeBtn.addEventListener("click", function () { hideDialog(true); });
    frame = el("iframe", {id: "hamrah-support-frame", title: label},
               {width: "100%", height: "100%", border: "0"});
    var start = trap("start"), end = trap("end");
    start.addEventListener("focus", function () { frame.focus(); });
    end.addEventListener("focus", function () { closeBtn.focus(); });
    box.appendChild(start); box.appendChild(closeBtn); box.appendChild(frame); box.appendChild(end);
    overlay.appendChild(box);
    overlay.addEventListener("click", function (e) { if (e.target === overlay) { hideDialog(true); } });
    document.body.appendChild(overlay);
    frame.src = base + "/support/frame?host=" + encodeURIComponent(location.origin);
  }
  /* The question is asked as soon as the pointer or the focus reaches the button: the answer is
   * often there by the click, and a window opened in the click itself is never blocked. */
  function warm() { if (mode === "dialog" && !overlay) { buildDialog(false); } }

  function openDialog(reload) {
    if (!overlay) { buildDialog(true); } else { overlay.style.display = "flex"; }
    if (kept === false) { fallBack(); return; }
    if (kept === true && (reload || !loaded)) { loaded = true; frame.src = popupUrl(true); }
    if (kept === null && !probeTimer) {
      probeTimer = setTimeout(function () {  /* no answer: the frame was refused or is lost */
        probeTimer = null;
        if (kept === null) { kept = false; if (shown()) { fallBack(); } }
      }, 8000);
    }
    button.setAttribute("aria-expanded", "true");
    closeBtn.focus();
  }

  function hideDialog(refocus) {
    if (!shown()) { return; }
    overlay.style.display = "none";
    button.setAttribute("aria-expanded", "false");
    if (refocus) { button.focus(); }
  }

  function open(context) {
    if (perf && perf.mark) { perf.mark("hamrah-support:open"); }
    if (context) {
      ctx = {trackingNumber: context.trackingNumber, nationalId: context.nationalId,
             activity: context.activity};
    }
    if (mode === "window") { openWindow(!!context || !win || win.closed); }
    else { openDialog(!!context); }
  }

  function setUnread(d) {
    if (d.total === lastTotal) { return; }
    lastTotal = d.total; lastData = d;
    if (d.total > 0) { badge.textContent = digits(d.total); badge.hidden = false; }
    else { badge.hidden = true; }
    button.setAttribute("aria-label", d.total > 0 ? label + " (" + S.unread + ": " + digits(d.total) + ")" : label);
    unreadFns.forEach(function (fn) { fn(d); });
    window.dispatchEvent(new CustomEvent("hamrah-support:unread", {detail: d}));
  }

  function poll() {
    if (!badgeToken || document.hidden) { return; }
    fetch(base + "/support/unread", {headers: {Authorization: "Bearer " + badgeToken},
                                     credentials: "omit", cache: "no-cache", mode: "cors"})
      .then(function (r) {
        if (r.status === 401) { badgeToken = ""; store.removeItem(BADGE_KEY); schedule(); }
        return r.ok ? r.json() : null;
      })
      .then(function (d) { if (d) { setUnread(d); } }, function () { /* offline: next time */ });
  }
  function schedule() {
    clearInterval(timer); timer = null;
    if (badgeToken && !document.hidden) { timer = setInterval(poll, pollMs); }
  }
  document.addEventListener("visibilitychange", function () { if (!document.hidden) { poll(); } schedule(); });

  window.addEventListener("message", function (e) {
    var m = e.data;
    if (e.origin !== base || !m || m.hamrah !== 1) { return; }
    var fromFrame = frame && e.source === frame.contentWindow;
    if (!fromFrame && !(win && e.source === win)) { return; }
    if (m.type === "frame" && fromFrame && kept === null) {
      if (perf && perf.mark) { perf.mark("hamrah-support:probed"); }
      kept = m.session === true; clearTimeout(probeTimer);
      if (shown()) { openDialog(false); }
    } else if (m.type === "hello") {
      if (typeof m.badge === "string" && m.badge && m.badge !== badgeToken) {
        badgeToken = m.badge; store.setItem(BADGE_KEY, badgeToken); schedule();
      }
      poll();
    } else if (m.type === "created" && typeof m.number === "number") {
      createdFns.forEach(function (fn) { fn(m.number); });
      window.dispatchEvent(new CustomEvent("hamrah-support:ticket-created", {detail: {number: m.number}}));
    } else if (m.type === "close" && fromFrame) {
      hideDialog(true);
    }
  });

  button.addEventListener("click", function () { open(); });
  button.addEventListener("pointerenter", warm);
  button.addEventListener("focus", warm);
  document.addEventListener("keydown", function (e) {
    if (!shown()) { return; }
    if (e.key === "Escape") { e.preventDefault(); hideDialog(true); }
    else if (e.key === "Tab") {
      var items = focusables(), i = items.indexOf(document.activeElement);
      if (i < 0) { e.preventDefault(); closeBtn.focus(); }
    }
  }, true);

  window.HamrahSupport = {
    open: open,
    close: function () { hideDialog(true); },
    onUnread: function (fn) { unreadFns.push(fn); if (lastData) { fn(lastData); } },
    onTicketCreated: function (fn) { createdFns.push(fn); },
    polling: function () { return timer !== null; }  /* is the badge being refreshed now? */
  };
  function attach() {
    document.body.appendChild(button);
    if (perf && perf.mark) { perf.mark("hamrah-support:button"); }
    poll(); schedule();
  }
  if (document.body) { attach(); } else { document.addEventListener("DOMContentLoaded", attach); }
})();
