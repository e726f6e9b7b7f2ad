/*
 * Staff console, chat queue and chat pages: keeps them up to date without reloading.
 * The pages work without this script (reload to see changes). Fetching the queue or a chat's new
 * messages also tells the gateway this member of staff is still here, so users can be passed to them.
 * New HTML comes from the gateway, which escapes every value; nothing typed by a user is inserted here.
 */
(function () {
  "use strict";
  var QUEUE_EVERY_MS = 5000;
  var CHAT_EVERY_MS = 3000;

  function get(url) {
    return fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json, text/html" } });
  }

  function watchQueue(queue) {
    var announce = document.getElementById("queue-announce");
    var lastSummary = (document.getElementById("queue-summary") || {}).textContent || "";
    var lastHtml = null;
    setInterval(function () {
      get(queue.getAttribute("data-refresh")).then(function (response) {
        return response.ok ? response.text() : null;
      }).then(function (html) {
        if (html === null || html === lastHtml) { return; }
        lastHtml = html;
        var hadFocus = queue.contains(document.activeElement);
        queue.innerHTML = html;
        var summary = (document.getElementById("queue-summary") || {}).textContent || "";
        if (summary !== lastSummary && announce) { announce.textContent = summary; }
        lastSummary = summary;
        if (hadFocus) { queue.setAttribute("tabindex", "-1"); queue.focus(); }
      }).catch(function () { /* offline for a moment: try again next time */ });
    }, QUEUE_EVERY_MS);
  }

  function watchChat(list) {
    var status = document.getElementById("chat-status");
    var state = null;
    setInterval(function () {
      var url = list.getAttribute("data-poll") + "?after=" + encodeURIComponent(list.getAttribute("data-after"));
      get(url).then(function (response) {
        return response.ok ? response.json() : null;
      }).then(function (data) {
        if (!data) { return; }
        data.items.forEach(function (item) { list.insertAdjacentHTML("beforeend", item); });
        list.setAttribute("data-after", String(data.after));
        if (status && status.textContent !== data.status) { status.textContent = data.status; }
        if (state !== null && state !== data.state) {
          var reply = document.getElementById("reply");
          if (!reply || !reply.value) { window.location.reload(); }  // new buttons for the new state
        }
        state = data.state;
      }).catch(function () { /* try again next time */ });
    }, CHAT_EVERY_MS);
  }

  var queue = document.getElementById("queue");
  if (queue) { watchQueue(queue); }
  var list = document.getElementById("transcript");
  if (list) { watchChat(list); }
})();
