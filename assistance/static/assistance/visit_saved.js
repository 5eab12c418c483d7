/* Shown after a visit note was saved: its draft is no longer needed. */
(function () {
  "use strict";
  try {
    var key = window.localStorage.getItem("visit-draft-pending");
    if (key) {
      window.localStorage.removeItem(key);
      window.localStorage.removeItem("visit-draft-pending");
    }
  } catch (e) { /* no storage: nothing was kept */ }
})();
