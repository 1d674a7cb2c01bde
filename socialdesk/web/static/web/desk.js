// Socialdesk desk: keyboard shortcuts, bulk selection in the inbox, saved replies into the composer,
// typing presence.
(function () {
  "use strict";
  var selectedId = null;

  function typingTarget(el) {
    // A checkbox takes no text: after clicking one, the shortcuts still work.
    return el && ((el.tagName === "INPUT" && el.type !== "checkbox") || el.tagName === "TEXTAREA" || el.tagName === "SELECT" || el.isContentEditable);
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

  // Bulk selection in the inbox. The picked ids live here, not in the checkboxes: the rows are
  // replaced every few seconds and each new copy is ticked again from this set.
  var picked = new Set();
  var anchor = -1;  // the row last picked or unpicked: shift-click selects from there

  function onInbox() { return !!document.getElementById("bulk"); }

  function setPicked(row, on) {
    var id = row.getAttribute("data-id");
    if (on) picked.add(id); else picked.delete(id);
  }

  function showPicked() {
    var bar = document.getElementById("bulk");
    if (!bar) return;
    var all = rows();
    var visible = new Set();
    all.forEach(function (row) {
      var id = row.getAttribute("data-id");
      visible.add(id);
      var box = row.querySelector("input.pick");
      if (box) box.checked = picked.has(id);
      row.classList.toggle("picked", picked.has(id));
    });
    // A conversation that left the list (answered elsewhere, filtered out) is not acted on unseen.
    picked.forEach(function (id) { if (!visible.has(id)) picked.delete(id); });
    document.getElementById("bulk-count").textContent = String(picked.size);
    bar.hidden = picked.size === 0;
    var every = document.getElementById("pick-all");
    if (every) {
      every.checked = all.length > 0 && picked.size === all.length;
      every.indeterminate = picked.size > 0 && picked.size < all.length;
    }
  }

  function cursor() {
    if (currentIndex() < 0) select(0);
    return currentIndex();
  }

  function togglePicked() {
    var index = cursor();
    if (index < 0) return;
    var row = rows()[index];
    setPicked(row, !picked.has(row.getAttribute("data-id")));
    anchor = index;
    showPicked();
  }

  function extendPicked(step) {
    var index = cursor();
    if (index < 0) return;
    setPicked(rows()[index], true);
    select(index + step);
    anchor = currentIndex();
    setPicked(rows()[anchor], true);
    showPicked();
  }

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!target || !onInbox()) return;
    if (target.id === "pick-all") {
      var on = target.checked;
      rows().forEach(function (row) { setPicked(row, on); });
      anchor = -1;
    } else if (target.classList && target.classList.contains("pick")) {
      var all = rows();
      var index = all.indexOf(target.closest("tr"));
      // The box already shows its new state; a shift-click gives the whole range that state.
      var from = event.shiftKey && anchor >= 0 && anchor < all.length ? anchor : index;
      for (var i = Math.min(from, index); i <= Math.max(from, index); i++) setPicked(all[i], target.checked);
      anchor = index;
    } else if (target.id === "bulk-clear") {
      picked.clear();
    } else return;
    showPicked();
  });

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
    else if (key === "x" && onInbox()) { togglePicked(); }
    else if ((key === "J" || key === "K") && onInbox()) { extendPicked(key === "J" ? 1 : -1); }
    else if (key === "Escape" && onInbox() && picked.size) { picked.clear(); showPicked(); }
    else if (key === "e" && onInbox()) {
      // In the inbox: resolve the selected conversations.
      if (!picked.size) return;
      document.getElementById("bulk-resolve").click();
    }
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

  // Presence pings say whether this agent is typing. Added here rather than with `hx-vals="js:…"`,
  // which htmx evaluates: the Content-Security-Policy allows no eval.
  document.addEventListener("htmx:configRequest", function (event) {
    if (event.detail.elt && event.detail.elt.hasAttribute("data-presence")) {
      event.detail.parameters.typing = window.socialdeskTyping ? "1" : "0";
    }
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
    showPicked();
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

  showPicked();
  window.socialdeskReady = true;  // the shortcuts are listening (tests wait for this)
})();
