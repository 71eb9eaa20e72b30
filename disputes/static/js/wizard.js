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
  /* form.action would be the buttons named "action" */
  var url = form.getAttribute("action");
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

  /* Save now; the promise settles when the server answered (at once if nothing to save).
     Saves go one after another: two in flight could commit out of order, older values last. */
  var queue = Promise.resolve();

  function send() {
    if (!unsaved) {
      return Promise.resolve();
    }
    unsaved = false;
    form.dataset.autosave = "saving";
    return fetch(url, {
      method: "POST",
      body: values(),
      credentials: "same-origin",
      redirect: "manual"
    }).then(function (response) {
      failed = response.status !== 204;
    }, function () {
      failed = true;
    });
  }

  function save() {
    window.clearTimeout(timer);
    timer = null;
    if (!unsaved || submitting) {
      return queue;
    }
    pending += 1;
    queue = queue.then(send).then(function () {
      pending -= 1;
      if (failed) {
        unsaved = true;
      }
      form.dataset.autosave = failed ? "failed" : (unsaved || pending ? "saving" : "saved");
    });
    return queue;
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
  /* A link followed with something unsaved waits (briefly) for the save, so the next page
     (我的案件, say) already shows it. */
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[href]") : null;
    if (!link || !(unsaved || pending) || link.target || link.origin !== window.location.origin ||
        event.defaultPrevented || event.button !== 0 || event.ctrlKey || event.metaKey ||
        event.shiftKey || event.altKey || link.getAttribute("href").charAt(0) === "#") {
      return;
    }
    event.preventDefault();
    var go = function () {
      submitting = !failed;  /* saved: leave without the warning */
      window.location.assign(link.href);
    };
    Promise.race([save(), new Promise(function (done) { window.setTimeout(done, 3000); })])
      .then(go, go);
  });
  window.addEventListener("pageshow", function () {
    submitting = false;  /* back from the next page (bfcache): this page is live again */
  });
  window.addEventListener("beforeunload", function (event) {
    if (submitting || !(unsaved || pending)) {
      return;
    }
    if (!failed && navigator.sendBeacon && navigator.sendBeacon(url, values())) {
      unsaved = false;
      return;
    }
    event.preventDefault();
    event.returnValue = "";
  });
  /* autofocus is skipped when the URL's #fragment names an element, as after 添加问题 (its
     fragment scrolls to the new row): focus the new row's first field here. */
  var first = form.querySelector("[autofocus]");
  if (first) {
    window.addEventListener("load", function () {
      if (document.activeElement !== first) {
        first.focus();
      }
    });
  }
}());
