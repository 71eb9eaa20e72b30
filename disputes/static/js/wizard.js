/* The filing wizard keeps what the consumer types without a button press: each change is saved
   in the background (the step's own POST with action=autosave, answered 204), a page left
   before that finished sends its values with sendBeacon, and the browser's "leave this page?"
   warning appears only when neither could save them (offline, or the session ended).
   Without JavaScript the step's buttons still save; this only covers leaving by a link. */
(function () {
  "use strict";

  var form = document.querySelector("form.wizard");
  if (!form || !window.fetch || !window.FormData) {
    return;
  }
  var DELAY_MS = 800;
  var unsaved = false;   /* typed since the last save was sent */
  var failed = false;    /* the last save did not succeed */
  var pending = 0;       /* saves sent and not yet answered */
  var submitting = false;
  var timer = null;

  function values() {
    var data = new FormData(form);
    data.delete("files");  /* files go up only with the 上传 or 下一步 buttons */
    data.set("action", "autosave");
    return data;
  }

  function save() {
    window.clearTimeout(timer);
    timer = null;
    if (!unsaved || submitting) {
      return;
    }
    unsaved = false;
    pending += 1;
    fetch(form.action, {
      method: "POST",
      body: values(),
      credentials: "same-origin",
      redirect: "manual"
    }).then(function (response) {
      failed = response.status !== 204;
    }, function () {
      failed = true;
    }).then(function () {
      pending -= 1;
      if (failed) {
        unsaved = true;
      }
      form.dataset.autosave = failed ? "failed" : (unsaved || pending ? "saving" : "saved");
    });
    form.dataset.autosave = "saving";
  }

  function changed(event) {
    if (event.target.type === "file") {
      return;
    }
    unsaved = true;
    window.clearTimeout(timer);
    timer = window.setTimeout(save, DELAY_MS);
  }

  form.addEventListener("input", changed);
  form.addEventListener("change", function (event) {
    changed(event);
    save();
  });
  form.addEventListener("focusout", save);
  form.addEventListener("submit", function () {
    submitting = true;
    window.clearTimeout(timer);
  });
  window.addEventListener("pageshow", function () {
    submitting = false;  /* back from the next page (bfcache): this page is live again */
  });
  window.addEventListener("beforeunload", function (event) {
    if (submitting || !(unsaved || pending)) {
      return;
    }
    if (!failed && navigator.sendBeacon && navigator.sendBeacon(form.action, values())) {
      unsaved = false;
      return;
    }
    event.preventDefault();
    event.returnValue = "";
  });
}());
