/* Expand and collapse every part; script errors are shown on the page (tests read them). */
(function () {
  var box = document.getElementById("js-errors");
  window.addEventListener("error", function (e) {
    box.hidden = false;
    box.textContent += "script error: " + e.message + "\n";
  });
  function all(open) {
    document.querySelectorAll("details").forEach(function (d) { d.open = open; });
  }
  document.getElementById("expand").addEventListener("click", function () { all(true); });
  document.getElementById("collapse").addEventListener("click", function () { all(false); });
  document.body.setAttribute("data-script", "ran");
})();
