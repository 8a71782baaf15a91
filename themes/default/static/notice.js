// Dismissible notices (level: info) are <details open> elements: closing
// one works without this script. This only remembers the choice, in
// localStorage (no cookie), keyed by notice and version: a new version of
// the notice is shown again.
(function () {
  "use strict";
  var store;
  try {
    store = window.localStorage;
  } catch (e) {
    return; // storage disabled: notices stay open on every page
  }
  var notices = document.querySelectorAll("details.site-notice[data-notice]");
  Array.prototype.forEach.call(notices, function (el) {
    var key = "vitrine-notice:" + el.getAttribute("data-notice") + ":" + el.getAttribute("data-version");
    if (store.getItem(key) === "dismissed") {
      el.open = false;
    }
    el.addEventListener("toggle", function () {
      try {
        if (el.open) {
          store.removeItem(key);
        } else {
          store.setItem(key, "dismissed");
        }
      } catch (e) {
        // a full or read-only storage: the notice is just not remembered
      }
    });
  });
})();
