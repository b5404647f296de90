// Signalboost dashboard: small progressive enhancements; every page works without JavaScript.
(function () {
  "use strict";
  // Client-side sorting of tables marked data-sortable (headers become buttons, keyboard-accessible).
  function sortTable(table, col, btn) {
    var body = table.tBodies[0];
    if (!body) return;
    var asc = btn.getAttribute("aria-sort") !== "ascending";
    table.querySelectorAll("th[aria-sort]").forEach(function (th) { th.removeAttribute("aria-sort"); });
    btn.closest("th").setAttribute("aria-sort", asc ? "ascending" : "descending");
    btn.setAttribute("aria-sort", asc ? "ascending" : "descending");
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = a.cells[col].getAttribute("data-v") || a.cells[col].textContent.trim();
      var y = b.cells[col].getAttribute("data-v") || b.cells[col].textContent.trim();
      var nx = parseFloat(x), ny = parseFloat(y);
      var c = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y);
      return asc ? c : -c;
    });
    rows.forEach(function (r) { body.appendChild(r); });
  }
  document.querySelectorAll("table[data-sortable] thead th").forEach(function (th, i) {
    var btn = document.createElement("button");
    btn.type = "button";
    btn.className = "sort";
    btn.textContent = th.textContent;
    th.textContent = "";
    th.appendChild(btn);
    btn.addEventListener("click", function () { sortTable(th.closest("table"), i, btn); });
  });
  // Live filter of a table by a text box (data-filter="table-id").
  document.querySelectorAll("input[data-filter]").forEach(function (input) {
    var table = document.getElementById(input.getAttribute("data-filter"));
    if (!table) return;
    input.addEventListener("input", function () {
      var q = input.value.toLowerCase();
      Array.prototype.forEach.call(table.tBodies[0].rows, function (r) {
        r.hidden = q && r.textContent.toLowerCase().indexOf(q) < 0;
      });
    });
  });
  // A page showing figures from before the latest change reloads itself once they are recomputed.
  // (not while the person is typing in a form)
  if (document.querySelector(".stale")) {
    setTimeout(function () {
      var a = document.activeElement;
      if (!a || a === document.body || !a.form) { window.location.reload(); }
    }, 2500);
  }
  // Upload with a progress bar (bytes sent); the import's own progress is then polled below.
  var upload = document.getElementById("upload-form");
  if (upload && window.XMLHttpRequest && window.FormData) {
    upload.addEventListener("submit", function (ev) {
      var bar = document.getElementById("upload-progress");
      if (!bar) return;
      ev.preventDefault();
      var xhr = new XMLHttpRequest();
      xhr.open("POST", upload.action);
      bar.hidden = false;
      xhr.upload.onprogress = function (e) {
        if (e.lengthComputable) { bar.max = e.total; bar.value = e.loaded; bar.textContent = Math.round(100 * e.loaded / e.total) + " %"; }
      };
      xhr.onload = function () {
        if (xhr.status < 400 && xhr.responseURL) { window.location.href = xhr.responseURL; return; }
        document.open(); document.write(xhr.responseText); document.close();
      };
      xhr.onerror = function () { bar.hidden = true; upload.submit(); };
      xhr.send(new FormData(upload));
    });
  }
  // Background jobs (an upload's import, a "sync now"): poll running ones and update their status until they finish.
  document.querySelectorAll("li.job").forEach(function (li) {
    var phase = li.getAttribute("data-phase");
    if (phase !== "queued" && phase !== "importing" && phase !== "syncing") return;
    var id = li.getAttribute("data-job");
    var url = li.getAttribute("data-url") || "/imports/jobs/" + encodeURIComponent(id) + ".json";
    var back = li.getAttribute("data-return") || "/imports";
    var timer = setInterval(function () {
      fetch(url, { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (job) {
          var s = li.querySelector(".phase");
          var p = job.progress && job.progress.stream && job.phase !== "failed" ? ": " + job.progress.stream + ", " + job.progress.items + " items" : "";
          if (s) s.textContent = job.phase + " after " + job.elapsed_s + " s" + p;
          if (job.phase === "done" || job.phase === "failed") { clearInterval(timer); window.location.href = back; }
        })
        .catch(function () { clearInterval(timer); });
    }, 700);
  });
  // The post editor's live length, counted as the network counts it (the same rule as the server's
  // signalboost.connect.compose.text_length: graphemes via Intl.Segmenter; on Mastodon a link counts 23 and
  // @user@domain counts as @user). The server counts again when the text is saved.
  var postText = document.getElementById("post-text");
  var postLength = document.getElementById("post-length");
  if (postText && postLength && typeof Intl !== "undefined" && Intl.Segmenter) {
    var segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });
    var count = function () {
      var text = postText.value.replace(/\r\n/g, "\n");
      if (postText.getAttribute("data-network") === "mastodon") {
        text = text.replace(/(?<![\w@\/])(https?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]])/g, "x".repeat(23));
        text = text.replace(/(?<![\w@\/])(@[a-zA-Z0-9_]+(?:[a-zA-Z0-9_.-]+[a-zA-Z0-9_]+)?)@[a-zA-Z0-9.-]+\.[a-zA-Z]+/g, "$1");
      }
      var n = 0;
      for (var it = segmenter.segment(text)[Symbol.iterator](), s = it.next(); !s.done; s = it.next()) { n++; }
      postLength.textContent = String(n);
      var limit = parseInt(postText.getAttribute("data-limit"), 10);
      var box = document.getElementById("post-count");
      if (box && !isNaN(limit)) { box.className = n > limit ? "over" : "muted"; }
    };
    postText.addEventListener("input", count);
  }
})();
