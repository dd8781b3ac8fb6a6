/* Hamrah Support: a small Jalali (Solar Hijri) date picker for inputs with class
 * "hamrah-jalali" (rendered by app/views/widgets.py in Persian). No dependencies, nothing
 * from a CDN. FAB's bootstrap-datepicker is Gregorian only. The picker only helps typing: the
 * server parses the text (app/persian/jalali.py), so typing by hand works just as well.
 * Calendar arithmetic: the Borkowski algorithm (as in jalaali-js), checked day by day against
 * jdatetime for 1950-2080. Labels come from window.hamrahPickerText (init.html, via Babel). */
(function () {
  "use strict";

  var BREAKS = [-61, 9, 38, 199, 426, 686, 756, 818, 1111, 1181, 1210, 1635, 2060, 2097,
    2192, 2262, 2324, 2394, 2456, 3178];
  var MONTHS = ["فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان",
    "آذر", "دی", "بهمن", "اسفند"];
  var WEEKDAYS = ["ش", "ی", "د", "س", "چ", "پ", "ج"]; // Saturday first
  var FA_DIGITS = "۰۱۲۳۴۵۶۷۸۹";
  var TEXT = window.hamrahPickerText || {today: "Today", clear: "Clear", time: "Time",
    previous: "Previous month", next: "Next month"};

  function div(a, b) { return ~~(a / b); }
  function mod(a, b) { return a - ~~(a / b) * b; }

  function jalCal(jy, withoutLeap) {
    var gy = jy + 621, leapJ = -14, jp = BREAKS[0], jm, jump = 0, n, i;
    if (jy < jp || jy >= BREAKS[BREAKS.length - 1]) { throw new Error("year"); }
    for (i = 1; i < BREAKS.length; i += 1) {
      jm = BREAKS[i];
      jump = jm - jp;
      if (jy < jm) { break; }
      leapJ = leapJ + div(jump, 33) * 8 + div(mod(jump, 33), 4);
      jp = jm;
    }
    n = jy - jp;
    leapJ = leapJ + div(n, 33) * 8 + div(mod(n, 33) + 3, 4);
    if (mod(jump, 33) === 4 && jump - n === 4) { leapJ += 1; }
    var leapG = div(gy, 4) - div((div(gy, 100) + 1) * 3, 4) - 150;
    var march = 20 + leapJ - leapG;
    if (withoutLeap) { return {gy: gy, march: march}; }
    if (jump - n < 6) { n = n - jump + div(jump + 4, 33) * 33; }
    var leap = mod(mod(n + 1, 33) - 1, 4);
    if (leap === -1) { leap = 4; }
    return {leap: leap, gy: gy, march: march};
  }

  function g2d(gy, gm, gd) {
    var d = div((gy + div(gm - 8, 6) + 100100) * 1461, 4) + div(153 * mod(gm + 9, 12) + 2, 5) +
      gd - 34840408;
    return d - div(div(gy + 100100 + div(gm - 8, 6), 100) * 3, 4) + 752;
  }

  function d2g(jdn) {
    var j = 4 * jdn + 139361631;
    j = j + div(div(4 * jdn + 183187720, 146097) * 3, 4) * 4 - 3908;
    var i = div(mod(j, 1461), 4) * 5 + 308;
    var gd = div(mod(i, 153), 5) + 1;
    var gm = mod(div(i, 153), 12) + 1;
    return {gy: div(j, 1461) - 100100 + div(8 - gm, 6), gm: gm, gd: gd};
  }

  function j2d(jy, jm, jd) {
    var r = jalCal(jy, true);
    return g2d(r.gy, 3, r.march) + (jm - 1) * 31 - div(jm, 7) * (jm - 7) + jd - 1;
  }

  function d2j(jdn) {
    var gy = d2g(jdn).gy, jy = gy - 621, r = jalCal(jy, false);
    var k = jdn - g2d(gy, 3, r.march);
    if (k >= 0) {
      if (k <= 185) { return {jy: jy, jm: 1 + div(k, 31), jd: mod(k, 31) + 1}; }
      k -= 186;
    } else {
      jy -= 1;
      k += 179;
      if (r.leap === 1) { k += 1; }
    }
    return {jy: jy, jm: 7 + div(k, 30), jd: mod(k, 30) + 1};
  }

  function monthLength(jy, jm) {
    if (jm <= 6) { return 31; }
    if (jm <= 11) { return 30; }
    return jalCal(jy, false).leap === 0 ? 30 : 29;
  }

  function toFa(text) { return String(text).replace(/[0-9]/g, function (d) { return FA_DIGITS[d]; }); }
  function toLatin(text) {
    return String(text).replace(/[۰-۹]/g, function (d) { return FA_DIGITS.indexOf(d); })
      .replace(/[٠-٩]/g, function (d) { return d.charCodeAt(0) - 0x660; });
  }
  function pad(n) { return n < 10 ? "0" + n : String(n); }

  function parse(value) {
    var m = /^\s*(\d{4})[\/\-.](\d{1,2})[\/\-.](\d{1,2})(?:\s+(\d{1,2}):(\d{2}))?/.exec(toLatin(value || ""));
    if (!m || +m[1] < 1000 || +m[1] > 1700) { return null; }
    return {jy: +m[1], jm: +m[2], jd: +m[3], time: m[4] ? pad(+m[4]) + ":" + m[5] : ""};
  }

  // "Today" is the day in the application's zone (the input's data-zone, TIMEZONE), not the
  // browser's: a clerk's computer set to UTC would otherwise be a day off after 20:30 Tehran.
  function today(zone) {
    var now = new Date(), y = now.getFullYear(), m = now.getMonth() + 1, d = now.getDate();
    if (zone) {
      try {
        var parts = new Intl.DateTimeFormat("en-US", {timeZone: zone, year: "numeric",
          month: "numeric", day: "numeric"}).formatToParts(now);
        var part = function (type) {
          return +parts.filter(function (x) { return x.type === type; })[0].value;
        };
        y = part("year"); m = part("month"); d = part("day");
      } catch (e) { /* an unknown zone: the browser's day */ }
    }
    return d2j(g2d(y, m, d));
  }

  var picker = null; // {el, input, jy, jm}

  function close() {
    if (picker) { picker.el.parentNode.removeChild(picker.el); picker = null; }
  }

  function button(text, cls, title) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = cls || "";
    if (title) { b.title = title; b.setAttribute("aria-label", title); }
    b.innerHTML = text;
    return b;
  }

  function write(input, jy, jm, jd, time) {
    var text = jy + "/" + pad(jm) + "/" + pad(jd) + (time ? " " + time : "");
    input.value = toFa(text);
    input.dispatchEvent(new Event("change", {bubbles: true}));
  }

  function render() {
    var p = picker, el = p.el, withTime = p.input.getAttribute("data-jalali") !== "date";
    var chosen = parse(p.input.value), now = today(p.input.getAttribute("data-zone"));
    el.innerHTML = "";
    var head = document.createElement("div");
    head.className = "jp-head";
    var prev = button('<i class="fa fa-chevron-right"></i>', "jp-prev", TEXT.previous);
    var next = button('<i class="fa fa-chevron-left"></i>', "jp-next", TEXT.next);
    var title = document.createElement("strong");
    title.textContent = MONTHS[p.jm - 1] + " " + toFa(p.jy);
    prev.onclick = function () { shift(-1); };
    next.onclick = function () { shift(1); };
    head.appendChild(prev);
    head.appendChild(title);
    head.appendChild(next);
    el.appendChild(head);

    var table = document.createElement("table"), row = document.createElement("tr"), i;
    WEEKDAYS.forEach(function (w) {
      var th = document.createElement("th");
      th.textContent = w;
      row.appendChild(th);
    });
    table.appendChild(row);
    var first = d2g(j2d(p.jy, p.jm, 1));
    var offset = (new Date(first.gy, first.gm - 1, first.gd).getDay() + 1) % 7;
    row = document.createElement("tr");
    for (i = 0; i < offset; i += 1) { row.appendChild(document.createElement("td")); }
    for (i = 1; i <= monthLength(p.jy, p.jm); i += 1) {
      if (row.children.length === 7) { table.appendChild(row); row = document.createElement("tr"); }
      var cls = "";
      if (now.jy === p.jy && now.jm === p.jm && now.jd === i) { cls += " jp-today"; }
      if (chosen && chosen.jy === p.jy && chosen.jm === p.jm && chosen.jd === i) { cls += " jp-selected"; }
      var b = button(toFa(i), cls);
      b.setAttribute("data-day", i);
      b.onclick = function () {
        var time = timeBox ? toLatin(timeBox.value).trim() : "";
        write(p.input, p.jy, p.jm, +this.getAttribute("data-day"), /^\d{1,2}:\d{2}$/.test(time) ? time : "");
        close();
      };
      var td = document.createElement("td");
      td.appendChild(b);
      row.appendChild(td);
    }
    table.appendChild(row);
    el.appendChild(table);

    var foot = document.createElement("div"), timeBox = null;
    foot.className = "jp-foot";
    var todayButton = button(TEXT.today), clear = button(TEXT.clear);
    todayButton.onclick = function () {
      var t = today(p.input.getAttribute("data-zone"));
      p.jy = t.jy;
      p.jm = t.jm;
      render();
    };
    clear.onclick = function () { p.input.value = ""; close(); };
    foot.appendChild(todayButton);
    if (withTime) {
      timeBox = document.createElement("input");
      timeBox.className = "form-control input-sm jp-time";
      timeBox.placeholder = toFa("10:30");
      timeBox.title = TEXT.time;
      timeBox.value = chosen && chosen.time ? toFa(chosen.time) : "";
      foot.appendChild(timeBox);
    }
    foot.appendChild(clear);
    el.appendChild(foot);
  }

  function shift(months) {
    var m = picker.jm - 1 + months;
    picker.jy += Math.floor(m / 12);
    picker.jm = mod(mod(m, 12) + 12, 12) + 1;
    render();
  }

  function open(input) {
    if (picker && picker.input === input) { return; }
    close();
    var start = parse(input.value) || today(input.getAttribute("data-zone"));
    var el = document.createElement("div");
    el.className = "jalali-picker";
    el.setAttribute("dir", "rtl");
    document.body.appendChild(el);
    picker = {el: el, input: input, jy: start.jy, jm: Math.min(Math.max(start.jm, 1), 12)};
    render();
    var box = input.getBoundingClientRect();
    el.style.top = (box.bottom + window.pageYOffset + 2) + "px";
    el.style.left = Math.max(4, box.right + window.pageXOffset - el.offsetWidth) + "px";
  }

  document.addEventListener("focusin", function (e) {
    if (e.target.classList && e.target.classList.contains("hamrah-jalali")) { open(e.target); }
  });
  document.addEventListener("mousedown", function (e) {
    if (!picker) { return; }
    if (picker.el.contains(e.target) || e.target === picker.input) { return; }
    var addon = e.target.closest && e.target.closest(".hamrah-date");
    if (addon && addon.contains(picker.input)) { return; }
    close();
  });
  document.addEventListener("click", function (e) {
    var group = e.target.closest && e.target.closest(".hamrah-date .input-group-addon");
    if (group) { group.parentNode.querySelector("input.hamrah-jalali").focus(); }
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" || e.key === "Tab") { close(); }
  });

  window.hamrahJalali = {toJalali: function (gy, gm, gd) { return d2j(g2d(gy, gm, gd)); },
    toGregorian: function (jy, jm, jd) { return d2g(j2d(jy, jm, jd)); }, monthLength: monthLength};
}());
