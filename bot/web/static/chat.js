// Homeward chat page. Messages are always inserted as text (textContent), never as HTML.
(function () {
  "use strict";
  var log = document.getElementById("log");
  var form = document.getElementById("chat-form");
  var input = document.getElementById("message");
  var status = document.getElementById("status");
  var restart = document.getElementById("restart");
  var senderKey = "homeward-sender";

  function newSender() {
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, function (b) { return b.toString(16).padStart(2, "0"); }).join("");
  }
  var senderId = sessionStorage.getItem(senderKey) || newSender();
  sessionStorage.setItem(senderKey, senderId);

  function addMessage(who, text) {
    var item = document.createElement("div");
    item.className = "message " + (who === "You" ? "from-user" : "from-bot");
    var label = document.createElement("span");
    label.className = "who";
    label.textContent = who + ":";
    item.appendChild(label);
    item.appendChild(document.createTextNode(text));
    log.appendChild(item);
    log.scrollTop = log.scrollHeight;
  }

  function addChoices(buttons) {
    var group = document.createElement("div");
    group.className = "choices";
    buttons.forEach(function (b) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = b.title;
      button.addEventListener("click", function () {
        group.remove();
        send(b.payload, b.title);
      });
      group.appendChild(button);
    });
    log.appendChild(group);
  }

  function send(message, shown) {
    addMessage("You", shown || message);
    status.textContent = "Homeward is typing…";
    fetch("/api/chat", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ sender_id: senderId, message: message })
    })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        status.textContent = "";
        if (data.error) { addMessage("Homeward", data.error); return; }
        (data.messages || []).forEach(function (m) {
          if (m.text) { addMessage("Homeward", m.text); }
          if (m.buttons && m.buttons.length) { addChoices(m.buttons); }
        });
      })
      .catch(function () {
        status.textContent = "";
        addMessage("Homeward", "Sorry, I couldn't connect. Please check your connection and try again.");
      })
      .finally(function () { input.focus(); });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) { status.textContent = "Please type a message first."; input.focus(); return; }
    input.value = "";
    send(text);
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); form.requestSubmit(); }
  });
  restart.addEventListener("click", function () {
    log.textContent = "";
    send("/restart", "Start again");
  });
})();
