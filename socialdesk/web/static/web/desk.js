// Socialdesk desk: keyboard shortcuts, saved replies into the composer, typing presence.
(function () {
  "use strict";
  var selectedId = null;

  function typingTarget(el) {
    return el && (el.tagName === "INPUT" || el.tagName === "TEXTAREA" || el.tagName === "SELECT" || el.isContentEditable);
  }

  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll("#rows tr[data-href], article.msg"));
  }

  function select(index) {
    var all = rows();
    if (!all.length) return;
    index = Math.max(0, Math.min(all.length - 1, index));
    all.forEach(function (r) { r.classList.remove("current"); r.removeAttribute("aria-current"); });
    var row = all[index];
    row.classList.add("current");
    row.setAttribute("aria-current", "true");
    row.scrollIntoView({ block: "nearest" });
    selectedId = row.getAttribute("data-id");
  }

  function currentIndex() {
    return rows().findIndex(function (r) { return r.classList.contains("current"); });
  }

  function focus(id) {
    var el = document.getElementById(id);
    if (el) { el.focus(); return true; }
    return false;
  }

  // The inbox's filters and sort, kept for this tab: `e` on a conversation goes on in the same list.
  var INBOX_KEY = "socialdesk.inbox";
  function inboxQuery() {
    try { return window.sessionStorage.getItem(INBOX_KEY) || ""; } catch (e) { return ""; }
  }
  if (document.getElementById("inbox")) {
    try { window.sessionStorage.setItem(INBOX_KEY, window.location.search.replace(/^\?/, "")); } catch (e) { /* private mode */ }
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (typingTarget(event.target)) {
      if (event.key === "Escape") event.target.blur();
      return;
    }
    var key = event.key;
    if (key === "j") { select(currentIndex() + 1); }
    else if (key === "k") { select(currentIndex() - 1); }
    else if (key === "Enter") {
      var row = rows()[currentIndex()];
      if (row && row.getAttribute("data-href")) window.location = row.getAttribute("data-href");
      else return;
    }
    else if (key === "r") { if (!focus("reply-text")) return; }
    else if (key === "n") { if (!focus("note-text")) return; }
    else if (key === "a") { if (!focus("assignee")) return; }
    else if (key === "e") {
      // Resolve, then open the next conversation of the inbox this one was opened from.
      var form = document.getElementById("resolve-form");
      if (!form) return;
      var next = document.createElement("input");
      next.type = "hidden";
      next.name = "inbox";
      next.value = inboxQuery();
      form.appendChild(next);
      form.submit();
    }
    else if (key === "?") {
      var help = document.getElementById("help");
      if (help && help.showModal) help.showModal();
    }
    else return;
    event.preventDefault();
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest(".use-saved") : null;
    if (!button) return;
    var text = document.getElementById("reply-text");
    if (!text) return;
    text.value = button.getAttribute("data-text");
    var priv = document.querySelector("#composer input[name=private]");
    if (priv) priv.checked = button.getAttribute("data-private") === "1";
    text.dispatchEvent(new Event("input", { bubbles: true }));
    text.focus();
  });

  var typingTimer = null;
  document.addEventListener("input", function (event) {
    if (event.target && event.target.id === "reply-text") {
      window.socialdeskTyping = true;
      clearTimeout(typingTimer);
      typingTimer = setTimeout(function () { window.socialdeskTyping = false; }, 10000);
    }
  });

  // SLA timers: "in 12 min" / "overdue 5 min", refreshed every 30 s (the title keeps the exact time).
  function minutes(ms) {
    var m = Math.round(Math.abs(ms) / 60000);
    if (m < 60) return m + " min";
    var h = Math.floor(m / 60);
    return h < 48 ? h + " h " + (m % 60) + " min" : Math.floor(h / 24) + " days";
  }
  function tick() {
    var now = Date.now();
    document.querySelectorAll("time.due[datetime]").forEach(function (el) {
      var at = Date.parse(el.getAttribute("datetime"));
      if (isNaN(at)) return;
      if (!el.title) el.title = el.textContent;
      var left = at - now;
      el.textContent = left >= 0 ? "in " + minutes(left) : "overdue " + minutes(left);
      el.classList.toggle("bad", left < 0);
    });
  }
  tick();
  setInterval(tick, 30000);

  // The inbox rows are replaced every few seconds: keep the selection on the same conversation.
  document.addEventListener("htmx:afterSwap", function () {
    tick();
    if (!selectedId) return;
    var all = rows();
    var index = all.findIndex(function (r) { return r.getAttribute("data-id") === selectedId; });
    if (index >= 0) select(index);
  });

  // Think twice: "Undo (Ns)" counts down from the seconds the server gave (not the machine's clock,
  // which may differ from the server's); at zero the reply is on its way and the button goes.
  var undoStarted = Date.now();
  function undoTick() {
    document.querySelectorAll("button.undo[data-seconds]").forEach(function (button) {
      var left = Math.ceil(Number(button.getAttribute("data-seconds")) - (Date.now() - undoStarted) / 1000);
      if (left > 0) { button.textContent = "Undo (" + left + "s)"; return; }
      var sent = document.createElement("span");
      sent.className = "meta";
      sent.textContent = "Sending now";
      button.replaceWith(sent);
    });
  }
  undoTick();
  setInterval(undoTick, 1000);

  // A refused undo (409: the delay ran out) is shown in place of the button, not dropped.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var elt = event.detail.requestConfig && event.detail.requestConfig.elt;
    if (elt && elt.classList && elt.classList.contains("undo") && event.detail.xhr.status === 409) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // An undone reply leaves the thread and its text goes back into the composer.
  document.addEventListener("htmx:afterSwap", function () {
    document.querySelectorAll("[data-undone-text]").forEach(function (note) {
      var text = document.getElementById("reply-text");
      if (text) {
        text.value = note.getAttribute("data-undone-text");
        text.dispatchEvent(new Event("input", { bubbles: true }));
      }
      note.removeAttribute("data-undone-text");
      var article = note.closest("article");
      if (article) article.replaceWith(note);
    });
  });

  window.socialdeskReady = true;  // the shortcuts are listening (tests wait for this)
})();
