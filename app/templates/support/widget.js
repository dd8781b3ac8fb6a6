/* Hamrah Support widget: one <script> tag on any host page draws the floating support button.
 *   <script src="https://support.example/support/widget.js" data-tracking-number="..."
 *           data-national-id="..." data-activity="..." data-token="..." data-mode="dialog"></script>
 * data-mode "dialog" (default) opens the popup in a dialog over the page (an iframe: the
 * helpdesk must be on the same site as the host, or listed in HOST_ORIGINS and served so
 * that its cookies reach the frame); "window" opens a small window instead. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || window.__hamrahSupportWidget) { return; }
  window.__hamrahSupportWidget = true;
  var base = new URL(script.src, document.baseURI).origin;
  var data = script.dataset;
  var rtl = (document.documentElement.getAttribute("dir") || "rtl") === "rtl";
  var label = data.label || (rtl ? "\u067e\u0634\u062a\u06cc\u0628\u0627\u0646\u06cc \u0647\u0645\u0631\u0627\u0647" : "Support");
  var token = data.token || "";

  function popupUrl() {
    var params = new URLSearchParams();
    if (data.trackingNumber) { params.set("tracking_number", data.trackingNumber); }
    if (data.nationalId) { params.set("national_id", data.nationalId); }
    if (data.activity) { params.set("activity", data.activity); }
    if (token) { params.set("token", token); token = ""; }  /* single use */
    return base + "/support/popup?" + params.toString();
  }

  var button = document.createElement("button");
  button.type = "button";
  button.id = "hamrah-support-button";
  button.setAttribute("aria-label", label);
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
  var s = button.style;
  s.position = "fixed"; s.bottom = "20px"; s.zIndex = "2147483000";
  s[rtl ? "left" : "right"] = "20px";
  s.padding = "12px 18px"; s.borderRadius = "24px"; s.border = "0";
  s.background = "#1f6fb2"; s.color = "#fff"; s.fontSize = "15px"; s.cursor = "pointer";
  s.boxShadow = "0 2px 8px rgba(0,0,0,.3)"; s.fontFamily = "inherit";

  var overlay = null;
  function openDialog() {
    if (overlay) { overlay.style.display = "flex"; return; }
    overlay = document.createElement("div");
    overlay.id = "hamrah-support-dialog";
    var o = overlay.style;
    o.position = "fixed"; o.top = "0"; o.left = "0"; o.right = "0"; o.bottom = "0";
    o.background = "rgba(0,0,0,.35)"; o.zIndex = "2147483001"; o.display = "flex";
    o.alignItems = "center"; o.justifyContent = "center";
    var box = document.createElement("div");
    var b = box.style;
    b.width = "min(960px, 96vw)"; b.height = "min(720px, 92vh)"; b.background = "#fff";
    b.borderRadius = "8px"; b.overflow = "hidden"; b.position = "relative";
    var close = document.createElement("button");
    close.type = "button"; close.id = "hamrah-support-close"; close.textContent = "\u00d7";
    close.setAttribute("aria-label", rtl ? "\u0628\u0633\u062a\u0646" : "Close");
    var c = close.style;
    c.position = "absolute"; c.top = "6px"; c[rtl ? "left" : "right"] = "8px"; c.zIndex = "2";
    c.border = "0"; c.background = "transparent"; c.fontSize = "20px"; c.cursor = "pointer";
    close.addEventListener("click", function () { overlay.style.display = "none"; });
    var frame = document.createElement("iframe");
    frame.id = "hamrah-support-frame";
    frame.title = label;
    frame.src = popupUrl();
    frame.style.width = "100%"; frame.style.height = "100%"; frame.style.border = "0";
    box.appendChild(close); box.appendChild(frame); overlay.appendChild(box);
    overlay.addEventListener("click", function (e) { if (e.target === overlay) { overlay.style.display = "none"; } });
    document.body.appendChild(overlay);
  }

  button.addEventListener("click", function () {
    if (data.mode === "window") {
      window.open(popupUrl(), "hamrah-support", "width=960,height=720,noopener=no");
    } else {
      openDialog();
    }
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && overlay) { overlay.style.display = "none"; }
  });
  if (document.body) { document.body.appendChild(button); }
  else { document.addEventListener("DOMContentLoaded", function () { document.body.appendChild(button); }); }
})();
