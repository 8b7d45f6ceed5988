// Samverkan's own script. Every page works without it; it only makes
// things quicker. Loaded with `defer` from a content-hashed file (the pages'
// Content-Security-Policy allows no inline script).
"use strict";

// An error summary takes focus when the page opens, so a screen reader
// announces the problems and a keyboard user starts from the list of them
// (the GOV.UK Design System's error summary pattern).
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector("[data-module='error-summary']");
  if (summary) {
    summary.focus();
  }
  // A link in the summary moves focus into its field, not just the view.
  document.querySelectorAll(".error-summary a[href^='#']").forEach(function (link) {
    link.addEventListener("click", function (event) {
      var field = document.getElementById(link.getAttribute("href").slice(1));
      if (field) {
        event.preventDefault();
        field.focus();
        field.scrollIntoView({ block: "center" });
      }
    });
  });
});
