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

// Type-ahead, wherever a field has `data-suggest` (the meeting form's
// names, the lists' organisation filters): without this script the name is
// found on the server when the form is sent.
document.addEventListener("DOMContentLoaded", function () {
  // Type-ahead: each field with `data-suggest` fills its datalist from the
  // server's suggestions (the browser shows them, and keyboard arrows and
  // Enter pick one). Picking a person fills the row's hidden id, so the
  // server need not search again, and its organisation if empty.
  var sources = { "people-names": "/people/suggest", "organisation-names": "/organisations/suggest" };
  var found = {};
  // One pending request per field, so typing in the next row does not
  // cancel the suggestions of the one before.
  var timers = new Map();
  function fill(list, suggestions) {
    var datalist = document.getElementById(list);
    if (!datalist) {
      return;
    }
    datalist.replaceChildren();
    suggestions.forEach(function (suggestion) {
      var option = document.createElement("option");
      option.value = suggestion.name;
      if (suggestion.organisation) {
        option.label = suggestion.organisation;
      }
      datalist.appendChild(option);
      found[list + "\n" + suggestion.name.toLowerCase()] = suggestion;
    });
  }
  function picked(input) {
    var row = input.closest("[data-row]");
    var hidden = row && row.querySelector("[data-person-id]");
    if (!hidden || input.name.slice(-7) !== "-person") {
      return;
    }
    var suggestion = found["people-names\n" + input.value.trim().toLowerCase()];
    hidden.value = suggestion ? suggestion.id : "";
    var organisation = row.querySelector("input[name$='-organisation']");
    if (suggestion && organisation && !organisation.value && suggestion.organisation) {
      organisation.value = suggestion.organisation;
    }
  }
  document.addEventListener("input", function (event) {
    var input = event.target;
    var list = input.getAttribute && input.getAttribute("data-suggest");
    if (!list || !sources[list]) {
      return;
    }
    picked(input);
    var query = input.value.trim();
    clearTimeout(timers.get(input));
    if (query.length < 2) {
      return;
    }
    timers.set(input, setTimeout(function () {
      fetch(sources[list] + "?q=" + encodeURIComponent(query), { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : []; })
        .then(function (suggestions) {
          fill(list, suggestions);
          picked(input);
        })
        .catch(function () {});
    }, 150));
  });

});

// The meeting form (/meetings/new). Without this script a name is found on
// the server when the form is sent, and "More rows" sends the form to be
// shown again with more blank rows; with it, suggestions come as one types
// and rows are added at once.
document.addEventListener("DOMContentLoaded", function () {
  var form = document.querySelector("form.meeting-form");
  if (!form) {
    return;
  }

  // "More rows": a blank copy of each section's last row, numbered on.
  var more = form.querySelector("[data-more-rows]");
  if (more) {
    more.addEventListener("click", function (event) {
      event.preventDefault();
      var first = null;
      form.querySelectorAll("[data-rows]").forEach(function (rows) {
        var section = rows.getAttribute("data-rows");
        var last = rows.lastElementChild;
        if (!last) {
          return;
        }
        var count = rows.children.length;
        var added = section === "new_organisations" ? 1 : 5;
        for (var n = 0; n < added; n++) {
          var row = last.cloneNode(true);
          var index = count + n;
          var pattern = new RegExp("^" + section + "-\\d+-");
          row.querySelectorAll("[id], [name], [for], [value^='remove:']").forEach(function (element) {
            ["id", "name", "for"].forEach(function (attribute) {
              var value = element.getAttribute(attribute);
              if (value && pattern.test(value)) {
                element.setAttribute(attribute, value.replace(pattern, section + "-" + index + "-"));
              }
            });
            var action = element.getAttribute("value");
            if (element.tagName === "BUTTON" && action) {
              element.setAttribute("value", action.replace(/\d+$/, String(index)));
            }
          });
          row.querySelectorAll("input, textarea").forEach(function (field) {
            if (field.type === "checkbox") {
              field.checked = false;
            } else {
              field.value = "";
            }
          });
          // A blank row's choices, as the server draws one (the row copied
          // may have another role or status chosen).
          var blank = { "role": "participant", "attendees-status": "attended", "follow_ups-status": "open" };
          row.querySelectorAll("select").forEach(function (select) {
            var field = select.name.replace(/^[a-z_]+-\d+-/, "");
            var value = blank[field] || blank[section + "-" + field];
            if (value) {
              select.value = value;
            } else if (select.options[0] && select.options[0].value === "") {
              select.selectedIndex = 0;
            }
          });
          row.querySelectorAll(".error-message").forEach(function (message) { message.remove(); });
          row.querySelectorAll(".form-group--error").forEach(function (group) {
            group.classList.remove("form-group--error");
          });
          row.querySelectorAll("[aria-invalid]").forEach(function (field) {
            field.removeAttribute("aria-invalid");
            field.removeAttribute("aria-describedby");
          });
          row.querySelectorAll(".row-legend, .visually-hidden").forEach(function (label) {
            label.textContent = label.textContent.replace(/\d+\s*$/, String(index + 1));
          });
          rows.appendChild(row);
          if (!first && section === "attendees") {
            first = row.querySelector("input[type='text']");
          }
        }
      });
      if (first) {
        first.focus();
      }
    });
  }
});
