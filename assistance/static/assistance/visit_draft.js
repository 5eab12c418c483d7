/* Visit-note draft kept in localStorage: typed text survives a dropped connection or a
   reload, is restored when the form is opened again and cleared once the note is saved. */
(function () {
  "use strict";
  var form = document.getElementById("visit-form");
  if (!form) { return; }
  var key = form.getAttribute("data-draft-key");
  var fields = ["member", "visited_on", "findings", "needs", "actions"];
  var store = null;
  try { store = window.localStorage; } catch (e) { store = null; }

  function field(name) { return form.elements.namedItem(name); }

  function save() {
    if (!store) { return; }
    var draft = {};
    fields.forEach(function (name) { var el = field(name); if (el) { draft[name] = el.value; } });
    try { store.setItem(key, JSON.stringify(draft)); } catch (e) { /* storage full: nothing to do */ }
  }

  function restore() {
    // A form sent back with errors shows what was posted; the draft is not needed.
    if (!store || form.hasAttribute("data-bound")) { return; }
    var raw = store.getItem(key);
    if (!raw) { return; }
    var draft;
    try { draft = JSON.parse(raw); } catch (e) { store.removeItem(key); return; }
    var member = field("member");
    // Opened for another member (a "visit" link): that draft belongs to a different visit.
    if (member && member.value && draft.member && member.value !== draft.member) { return; }
    var restored = false;
    fields.forEach(function (name) {
      var el = field(name);
      if (el && draft[name]) { el.value = draft[name]; restored = true; }
    });
    if (restored) { document.getElementById("draft-restored").classList.remove("d-none"); }
  }

  restore();
  form.addEventListener("input", save);
  form.addEventListener("change", save);
  form.addEventListener("submit", function () {
    // Kept until the server confirms the save: the saved note's page clears it (visit_saved.js).
    if (store) { try { store.setItem("visit-draft-pending", key); } catch (e) { /* ignore */ } }
  });
  var discard = document.getElementById("draft-discard");
  if (discard) {
    discard.addEventListener("click", function () {
      if (store) { store.removeItem(key); }
      form.reset();
      document.getElementById("draft-restored").classList.add("d-none");
    });
  }

  var photo = field("photo");
  var photoName = document.getElementById("photo-name");
  if (photo && photoName) {
    photo.addEventListener("change", function () {
      photoName.textContent = photo.files && photo.files.length ? photo.files[0].name : "";
    });
  }

  var search = document.getElementById("member-search");
  var select = field("member");
  if (search && select && select.options) {
    search.addEventListener("input", function () {
      var text = search.value.trim();
      var first = null;
      Array.prototype.forEach.call(select.options, function (option) {
        var show = !option.value || !text || option.text.indexOf(text) !== -1;
        option.hidden = !show;
        if (show && option.value && first === null) { first = option; }
      });
      var current = select.selectedIndex < 0 ? null : select.options[select.selectedIndex];
      if (text && first && (!current || !current.value || current.hidden)) {
        select.value = first.value;
        save();
      }
    });
  }
})();
