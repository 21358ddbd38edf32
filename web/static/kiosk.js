// The kiosk's on-screen keyboard, idle reset and print button. The pages
// work without this file (a physical keyboard, links); it only adds touch.
(function () {
  "use strict";
  var body = document.body;
  var home = body.getAttribute("data-home") || "/kiosk";
  var idle = parseInt(body.getAttribute("data-idle-seconds"), 10) || 120;

  // Back to the start screen after idle seconds without a touch, a key or
  // a scroll (not when already there with nothing typed).
  var timer;
  function reset() {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var input = document.getElementById("k-q");
      if (location.pathname === home && (!input || input.value === "")) { reset(); return; }
      location.href = home;
    }, idle * 1000);
  }
  ["pointerdown", "keydown", "scroll", "touchstart", "input"].forEach(function (ev) {
    window.addEventListener(ev, reset, { passive: true });
  });
  reset();

  // The on-screen keyboard types into the search box.
  var input = document.getElementById("k-q");
  var keyboard = document.querySelector(".k-keyboard");
  if (input && keyboard) {
    keyboard.hidden = false;
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

  // Printing: the button appears only where script runs.
  document.querySelectorAll('[data-action="print"]').forEach(function (b) {
    b.hidden = false;
    b.addEventListener("click", function () { window.print(); });
  });

  // No way out of the kiosk: links that leave /kiosk are not followed.
  document.addEventListener("click", function (e) {
    var a = e.target.closest("a[href]");
    if (a && a.origin === location.origin && a.pathname.indexOf(home) !== 0) { e.preventDefault(); }
    if (a && a.origin !== location.origin) { e.preventDefault(); }
  });
  document.addEventListener("contextmenu", function (e) { e.preventDefault(); });
})();
