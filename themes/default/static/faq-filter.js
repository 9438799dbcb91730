// Narrows the FAQ as the reader types. Without JavaScript every question shows.
(function () {
  "use strict";
  var box = document.getElementById("faq-filter");
  var input = document.getElementById("faq-search");
  var count = document.getElementById("faq-count");
  if (!box || !input || !count) return;
  var entries = Array.prototype.slice.call(document.querySelectorAll(".faq-entry"));
  var sections = Array.prototype.slice.call(document.querySelectorAll(".faq-category"));
  var texts = entries.map(function (e) { return e.textContent.toLowerCase(); });
  box.hidden = false;
  input.addEventListener("input", function () {
    var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    entries.forEach(function (entry, i) {
      var match = words.every(function (w) { return texts[i].indexOf(w) !== -1; });
      entry.hidden = !match;
      if (match) shown++;
    });
    sections.forEach(function (s) {
      s.hidden = !s.querySelector(".faq-entry:not([hidden])");
    });
    // The words come from the page, in its language: "{shown} of {total} questions".
    var pattern = count.getAttribute(shown === 1 ? "data-one" : "data-many") || "{shown} of {total}";
    count.textContent = words.length
      ? pattern.replace("{shown}", shown).replace("{total}", entries.length)
      : "";
  });
})();
