/* Inside the widget's frame or window: tell the host page (and only its checked origin, which the
 * server took from HOST_ORIGINS) that the clerk has a session, hand it the read-only badge
 * token, report a new ticket's number, and close the dialog on Esc. */
(function () {
  "use strict";
  var script = document.getElementById("hamrah-host-bridge");
  var target = window.parent !== window ? window.parent : window.opener;
  if (!script || !target) { return; }
  var origin = script.getAttribute("data-host-origin");
  function send(message) {
    message.hamrah = 1;
    try { target.postMessage(message, origin); } catch (e) { /* host gone */ }
  }
  send({type: "hello", badge: script.getAttribute("data-badge") || ""});
  var created = script.getAttribute("data-created");
  if (created) { send({type: "created", number: parseInt(created, 10)}); }
  document.documentElement.setAttribute("data-host-bridge", "ready");
  if (window.parent !== window) {
    document.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && !e.defaultPrevented) { send({type: "close"}); }
    });
  }
})();
