/* Told before they ask (templates/support/_known_issue_suggestions.html): while the clerk types
   the subject, ask /support/known-issues/suggest (debounced) and list at most five published
   open known issues, each with a "follow" button (a POST form, reachable by Tab; ArrowDown
   from the subject goes to the first one). The count is announced through an aria-live region. */
(function () {
  "use strict";
  var box = document.getElementById("known-issue-suggestions");
  var subject = document.getElementById("subject");
  var status = document.getElementById("known-issue-suggestions-status");
  if (!box || !subject) { return; }
  var list = box.querySelector("ul");
  var department = document.getElementById("department");
  var timer = null, asked = "";
  var fa = document.documentElement.lang === "fa";

  function digits(n) {
    return fa ? String(n).replace(/[0-9]/g, function (d) { return "۰۱۲۳۴۵۶۷۸۹"[d]; }) : String(n);
  }

  function render(items) {
    list.textContent = "";
    items.forEach(function (item) {
      var li = document.createElement("li");
      li.className = "known-issue-suggestion";
      var form = document.createElement("form");
      form.method = "post";
      form.action = item.follow_url;
      form.className = "form-inline";
      var csrf = document.createElement("input");
      csrf.type = "hidden"; csrf.name = "csrf_token"; csrf.value = box.dataset.csrf;
      var title = document.createElement("strong");
      title.textContent = item.title;
      title.setAttribute("dir", "auto");
      var state = document.createElement("span");
      state.className = "label label-warning";
      state.textContent = item.status;
      var button = document.createElement("button");
      button.type = "submit";
      button.className = "btn btn-default btn-sm follow-known-issue";
      button.textContent = box.dataset.followLabel;
      form.append(csrf, title, " ", state, " ", button);
      if (item.description) {
        var text = document.createElement("div");
        text.className = "text-muted small";
        text.setAttribute("dir", "auto");
        text.textContent = item.description;
        form.append(text);
      }
      li.append(form);
      list.append(li);
    });
    box.hidden = items.length === 0;
    status.textContent = items.length ? box.dataset.foundLabel + " " + digits(items.length) : "";
  }

  function ask() {
    var q = subject.value.trim();
    var key = q + "|" + (department ? department.value : "");
    if (key === asked) { return; }
    asked = key;
    if (q.length < 3) { render([]); return; }
    var url = box.dataset.url + "?q=" + encodeURIComponent(q) +
      (department && department.value !== "0" ? "&department=" + encodeURIComponent(department.value) : "");
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : { result: [] }; })
      .then(function (data) { if (key === asked) { render(data.result || []); } })
      .catch(function () { render([]); });
  }

  function later() { clearTimeout(timer); timer = setTimeout(ask, 300); }
  subject.addEventListener("input", later);
  if (department) { department.addEventListener("change", later); }
  subject.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" && !box.hidden) {
      var first = box.querySelector("button");
      if (first) { event.preventDefault(); first.focus(); }
    }
  });
  if (subject.value) { later(); }
})();
