/* The live ticket page and message box (issue 18, items 3 and 4): light polling of a small
 * JSON endpoint with ETag/304, paused while the tab is hidden. New messages arrive as the
 * server-rendered markup of the thread; the status, the message box's rows and (support
 * only) who else has the ticket open are replaced in place and announced politely. */
(function () {
  "use strict";
  if (!window.fetch) { return; }

  function poller(url, interval, query, apply) {
    var etag = null, timer = null, busy = false;
    function schedule(delay) {
      clearTimeout(timer);
      if (!document.hidden) { timer = setTimeout(poll, delay); }
    }
    function poll() {
      if (busy || document.hidden) { return; }
      busy = true;
      var headers = {"Accept": "application/json"};
      if (etag) { headers["If-None-Match"] = etag; }
      fetch(url + "?" + query(), {headers: headers, credentials: "same-origin", cache: "no-store"})
        .then(function (response) {
          if (response.status === 304) { return null; }
          var type = response.headers.get("Content-Type") || "";
          if (!response.ok || type.indexOf("application/json") !== 0) { throw new Error("stop"); }
          etag = response.headers.get("ETag") || etag;
          return response.json();
        })
        .then(function (data) {
          busy = false;
          if (data) { apply(data); }
          schedule(interval);
        })
        .catch(function (error) {  // signed out or gone: stop; a network blip: try later
          busy = false;
          if (error && error.message !== "stop") { schedule(interval * 3); }
        });
    }
    document.addEventListener("visibilitychange", function () {
      if (document.hidden) { clearTimeout(timer); } else { schedule(0); }
    });
    return {
      start: function (tag, delay) { etag = tag || null; schedule(delay); },
      now: function () { schedule(0); }
    };
  }

  function say(text) {
    var region = document.getElementById("live-announce");
    if (region && text) { region.textContent = text; }
  }

  function ticketPage(root) {
    var thread = document.querySelector(".ticket-page .thread");
    var form = document.getElementById("reply-form");
    var box = form && form.querySelector("textarea[name=body]");
    var lastSeen = form && form.querySelector("input[name=last_seen_message_id]");
    var presence = document.getElementById("ticket-presence");
    var after = root.getAttribute("data-after") || "0";
    var status = root.getAttribute("data-status");
    var support = root.hasAttribute("data-presence");
    var interval = Math.max(1000, Number(root.getAttribute("data-interval")) || 10000);
    function state() { return box && box.value.trim() ? "typing" : "viewing"; }
    var sentState = state();
    var live = poller(root.getAttribute("data-url"), interval, function () {
      sentState = state();
      return "after=" + encodeURIComponent(after) + (support ? "&state=" + sentState : "");
    }, function (data) {
      var notes = [];
      if (data.messages.length && thread) {
        data.messages.forEach(function (html) { thread.insertAdjacentHTML("beforeend", html); });
        notes = notes.concat(data.announce);
      }
      after = String(data.last_message_id);
      // The form says which messages its writer saw: not the ones that came while writing
      // (the server then holds the reply and shows them), but those before a word was typed.
      if (lastSeen && box && !box.value.trim()) { lastSeen.value = after; }
      if (status !== data.status) { notes.push(data.status_notice); }
      status = data.status;
      var badge = document.getElementById("ticket-status-badge");
      var cell = document.getElementById("ticket-status-cell");
      if (badge) { badge.innerHTML = data.status_badge; }
      if (cell) { cell.innerHTML = data.status_cell; }
      if (presence && data.presence !== undefined) {
        presence.innerHTML = data.presence;
        presence.hidden = !data.present;
      }
      say(notes.join(" "));
    });
    if (box && support) {
      box.addEventListener("input", function () { if (state() !== sentState) { live.now(); } });
    }
    var leaveUrl = root.getAttribute("data-leave-url");
    var token = form && form.querySelector("input[name=csrf_token]");
    if (leaveUrl && token && navigator.sendBeacon) {  // out of the others' list at once
      window.addEventListener("pagehide", function () {
        var data = new FormData();
        data.append("csrf_token", token.value);
        navigator.sendBeacon(leaveUrl, data);
      });
    }
    var etag = root.getAttribute("data-etag");
    live.start(etag, etag ? interval : 0);
  }

  function inbox(table) {
    var rows = table.querySelectorAll("tr[data-number]");
    if (!rows.length) { return; }
    var numbers = Array.prototype.map.call(rows, function (row) {
      return row.getAttribute("data-number");
    }).join(",");
    var interval = Math.max(1000, Number(table.getAttribute("data-interval")) || 10000);
    poller(table.getAttribute("data-live-url"), interval, function () {
      return "numbers=" + encodeURIComponent(numbers);
    }, function (data) {
      var notes = [];
      data.rows.forEach(function (item) {
        var row = table.querySelector("tr[data-number='" + item.number + "']");
        var cell = row && row.querySelector(".inbox-status");
        if (!cell) { return; }
        if (row.getAttribute("data-status") !== item.status) {
          if (row.getAttribute("data-status")) { notes.push(item.notice); }
          row.setAttribute("data-status", item.status);
          cell.innerHTML = item.status_badge;
        }
        row.classList.toggle("unread", item.unread);
        var mark = row.querySelector(".unread-mark");
        if (mark) { mark.hidden = !item.unread; }
      });
      say(notes.join(" "));
    }).start(null, interval);
  }

  var root = document.getElementById("live-ticket");
  if (root) { ticketPage(root); }
  var table = document.querySelector("table.inbox-table[data-live-url]");
  if (table) { inbox(table); }
}());
