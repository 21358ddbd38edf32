// The kiosk's on-screen keyboard, idle reset and print button. The pages
// work without this file (a physical keyboard, links); it only adds touch.
(function () {
  "use strict";
  var body = document.body;
  var home = body.getAttribute("data-home") || "/kiosk";
  var idle = parseInt(body.getAttribute("data-idle-seconds"), 10) || 120;

  // Back to the start screen after idle seconds without a touch, a key or
  // a scroll (not when already there, at the top, with nothing typed), in
  // the normal text size and contrast: the next visitor starts afresh.
  var timer;
  function reset() {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var input = document.getElementById("k-q");
      var cls = document.documentElement.classList;
      var prefs = cls.contains("large-text") || cls.contains("high-contrast");
      if (prefs) { resetPrefs(); return; }
      if (location.pathname === home && location.search === "" && window.scrollY === 0 && (!input || input.value === "")) { reset(); return; }
      location.href = home;
    }, idle * 1000);
  }
  // The preferences cookie is the server's (HttpOnly): ask it to clear
  // them, as the switches do, and to come back to the start screen.
  function resetPrefs() {
    var f = document.createElement("form");
    f.method = "post";
    f.action = "/kiosk/prefs";
    [["toggle", "reset"], ["return", home]].forEach(function (kv) {
      var i = document.createElement("input");
      i.type = "hidden";
      i.name = kv[0];
      i.value = kv[1];
      f.appendChild(i);
    });
    body.appendChild(f);
    f.submit();
  }
  ["pointerdown", "keydown", "scroll", "touchstart", "input"].forEach(function (ev) {
    window.addEventListener(ev, reset, { passive: true });
  });
  reset();

  // The on-screen keyboard types into the search box.
  var input = document.getElementById("k-q");
  var keyboard = document.querySelector(".k-keyboard");
  if (input && keyboard) {
    // Above a result list the keyboard waits for a touch on the box, so
    // that the results, not the keys, fill the screen.
    var open = function () { keyboard.hidden = false; };
    if (input.form && input.form.hasAttribute("data-folded")) {
      input.addEventListener("focus", open);
      input.addEventListener("pointerdown", open);
    } else {
      open();
    }
    keyboard.addEventListener("click", function (e) {
      var key = e.target.closest("button");
      if (!key) { return; }
      var action = key.getAttribute("data-action");
      if (action === "back") {
        input.value = Array.from(input.value).slice(0, -1).join("");
      } else if (action === "clear") {
        input.value = "";
      } else {
        input.value += key.getAttribute("data-key");
      }
      input.dispatchEvent(new Event("input", { bubbles: true }));
    });
  }

  // Printing: the buttons appear only where script runs. The brief one
  // prints the first page alone: the table, the summary and the QR code.
  var root = document.documentElement;
  window.addEventListener("afterprint", function () { root.classList.remove("print-brief"); });
  document.querySelectorAll('[data-action="print"]').forEach(function (b) {
    b.hidden = false;
    b.addEventListener("click", function () {
      root.classList.toggle("print-brief", b.getAttribute("data-print") === "brief");
      window.print();
    });
  });

  // No way out of the kiosk: links that leave /kiosk are not followed.
  document.addEventListener("click", function (e) {
    var a = e.target.closest("a[href]");
    if (a && a.origin === location.origin && a.pathname.indexOf(home) !== 0) { e.preventDefault(); }
    if (a && a.origin !== location.origin) { e.preventDefault(); }
  });
  document.addEventListener("contextmenu", function (e) { e.preventDefault(); });
})();
