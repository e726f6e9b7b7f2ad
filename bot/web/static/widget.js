/*
 * Homeward chat widget: the same script runs the gateway's own chat page and the chat box that an
 * allowed council or NHS site embeds with
 *   <div data-homeward-chat></div>
 *   <script src="https://GATEWAY/static/widget.js" defer></script>
 * It draws into a shadow root, so the host page's styles and ours do not mix, and talks to the
 * gateway that served this script (CORS allows the embedding origins named in HOMEWARD_ALLOWED_ORIGINS).
 *
 * Safety: text from messages is only ever inserted with textContent / text nodes, never as HTML;
 * only http(s) addresses become links.
 * Reliability: every message carries a client_message_id; an unsent message is kept in sessionStorage
 * and retried with backoff under the same id, and the gateway answers a repeat from its cache, so a
 * message is neither lost nor processed twice. The transcript also lives in sessionStorage and is
 * checked against the gateway's copy of Rasa's tracker after a reload.
 * Talking to a person (issue 5, docs/handoff.md): when the gateway says the user is waiting for or talking
 * to helpline staff, a status bar says so and the widget polls /api/updates for their replies until the
 * gateway says the handoff is over.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var scriptUrl = new URL(script ? script.src : "/static/widget.js", window.location.href);
  var API = scriptUrl.origin;
  var STYLESHEETS = [API + "/static/vendor/nhsuk/homeward-nhsuk.css", API + "/static/widget.css"];
  var STORE_KEY = "homeward-chat:v1";
  var MAX_KEPT_MESSAGES = 200;
  var MAX_MESSAGE_CHARS = 2000;
  var REQUEST_TIMEOUT_MS = 35000;
  var RETRY_FIRST_MS = 1000;
  var RETRY_MAX_MS = 30000;
  var FAILURES_BEFORE_HELP = 2;
  var HUMAN_PAYLOAD = "/request_human";
  var HUMAN_SHOWN = "I'd like to talk to a person";
  var HELP_NOW = "Sorry, we can't reach the assistant at the moment. If you need help now, contact the " +
    "hospital ward team, or call NHS 111. In an emergency, call 999.";
  // Issue 5, handoff: while a person is (or will be) answering, the widget asks the gateway for their replies.
  var UPDATES_EVERY_MS = 3000;
  var URL_IN_TEXT = /https?:\/\/[^\s<>"]+/gi;
  var TRAILING_PUNCTUATION = /[.,;:!?)\]'"]+$/;
  // Staff mode, for the staff console's own chat page only:
  //   <div data-homeward-chat data-audience="staff" data-csrf-token="...">
  // Messages then go to /console/api/chat with the console's session cookie and CSRF token (the
  // gateway checks both before it tells Rasa the audience is staff), and the conversation is kept
  // apart from the public one. Never on another site's page: the cookie and token are same-origin.
  var CHAT_PATH = "/api/chat";
  var STAFF_CSRF_TOKEN = null;

  function configureAudience(host) {
    if (host.getAttribute("data-audience") === "staff" && API === window.location.origin) {
      CHAT_PATH = "/console/api/chat";
      STORE_KEY = STORE_KEY + ":staff";
      STAFF_CSRF_TOKEN = host.getAttribute("data-csrf-token") || "";
    }
  }

  // ---- small helpers -------------------------------------------------------------------------

  function el(tag, props, children) {
    var node = document.createElement(tag);
    Object.keys(props || {}).forEach(function (key) {
      var value = props[key];
      if (value === null || value === undefined || value === false) { return; }
      if (key === "text") { node.textContent = value; }
      else if (key === "className") { node.className = value; }
      else if (key === "onclick") { node.addEventListener("click", value); }
      else { node.setAttribute(key, value === true ? "" : String(value)); }
    });
    (children || []).forEach(function (child) { if (child) { node.appendChild(child); } });
    return node;
  }

  function randomId(bytes) {
    var values = new Uint8Array(bytes);
    window.crypto.getRandomValues(values);
    return Array.prototype.map.call(values, function (b) { return (b < 16 ? "0" : "") + b.toString(16); }).join("");
  }

  function safeHttpUrl(text) {
    try {
      var url = new URL(text);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch (error) {
      return null;
    }
  }

  // Text with web addresses: plain text nodes, and an <a> only for a well-formed http(s) address.
  function textWithLinks(text) {
    var fragment = document.createDocumentFragment();
    var last = 0;
    var match;
    URL_IN_TEXT.lastIndex = 0;
    while ((match = URL_IN_TEXT.exec(text)) !== null) {
      var address = match[0].replace(TRAILING_PUNCTUATION, "");
      var href = safeHttpUrl(address);
      fragment.appendChild(document.createTextNode(text.slice(last, match.index)));
      if (href) {
        fragment.appendChild(el("a", { className: "nhsuk-link", href: href, target: "_blank", rel: "noopener noreferrer" }, [
          document.createTextNode(address),
          el("span", { className: "hw-new-tab", text: " (opens in a new tab)" })
        ]));
      } else {
        fragment.appendChild(document.createTextNode(address));
      }
      last = match.index + address.length;
      URL_IN_TEXT.lastIndex = last;
    }
    fragment.appendChild(document.createTextNode(text.slice(last)));
    return fragment;
  }

  function postJson(path, body) {
    var controller = typeof AbortController === "function" ? new AbortController() : null;
    var timer = controller ? setTimeout(function () { controller.abort(); }, REQUEST_TIMEOUT_MS) : null;
    var headers = { "Content-Type": "application/json" };
    if (STAFF_CSRF_TOKEN !== null) { headers["X-CSRF-Token"] = STAFF_CSRF_TOKEN; }
    return fetch(API + path, {
      method: "POST",
      mode: "cors",
      credentials: STAFF_CSRF_TOKEN !== null ? "same-origin" : "omit",
      headers: headers,
      body: JSON.stringify(body),
      signal: controller ? controller.signal : undefined
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        return { status: response.status, data: data || {} };
      });
    }, function () {
      return { status: 0, data: {} };  // offline, refused, or timed out
    }).then(function (result) {
      if (timer) { clearTimeout(timer); }
      return result;
    });
  }

  function isRetryable(status) {
    return status === 0 || status === 429 || status === 502 || status === 503 || status === 504;
  }

  // ---- state kept across reloads -------------------------------------------------------------

  function freshState() {
    return { senderId: randomId(16), messages: [], outbox: [], rated: {} };
  }

  function loadState() {
    try {
      var state = JSON.parse(window.sessionStorage.getItem(STORE_KEY));
      if (state && typeof state.senderId === "string" && Array.isArray(state.messages) &&
          Array.isArray(state.outbox) && state.rated && typeof state.rated === "object") {
        return state;
      }
    } catch (error) { /* no storage, or nothing valid stored: start a new conversation */ }
    return null;
  }

  function saveState(state) {
    try {
      state.messages = state.messages.slice(-MAX_KEPT_MESSAGES);
      window.sessionStorage.setItem(STORE_KEY, JSON.stringify(state));
    } catch (error) { /* storage blocked or full: the chat still works, it just won't survive a reload */ }
  }

  // Bot messages are numbered after the user message they answer, so the ids of live replies and of
  // the transcript rebuilt from Rasa's tracker agree (they are what feedback refers to).
  function botMessages(userKey, replies) {
    var result = [];
    (replies || []).forEach(function (reply) {
      var buttons = Array.isArray(reply && reply.buttons) ? reply.buttons : [];
      if (!reply || (!reply.text && !buttons.length)) { return; }
      result.push({
        id: userKey + "-" + (result.length + 1), from: "bot", text: String(reply.text || ""),
        buttons: buttons.map(function (b) { return { title: String(b.title), payload: String(b.payload) }; }),
        answer: reply.answer === true
      });
    });
    return result;
  }

  function messagesFromTranscript(turns, local) {
    var byId = {};
    local.forEach(function (m) { byId[m.id] = m; });
    var messages = [];
    var userKey = "s";
    var pendingReplies = [];
    function flush() { messages.push.apply(messages, botMessages(userKey, pendingReplies)); pendingReplies = []; }
    turns.forEach(function (turn, index) {
      if (typeof turn.id === "string") {  // issue 5: a staff reply or notice, numbered by the gateway
        flush();
        messages.push(handoffMessage(turn));
        return;
      }
      if (turn.from === "user") {
        flush();
        userKey = typeof turn.client_message_id === "string" ? turn.client_message_id : "t" + index;
        var mine = byId["u-" + userKey];
        // The user's own words as they typed them (the server's copy may have personal details removed).
        messages.push({ id: "u-" + userKey, from: "user", text: mine ? mine.text : String(turn.text || "") });
      } else {
        pendingReplies.push(turn);
      }
    });
    flush();
    return messages;
  }

  // Issue 5: a staff member's reply ("staff") or a notice about the handoff, as the page keeps it.
  function handoffMessage(item) {
    return {
      id: String(item.id), from: item.from === "staff" ? "staff" : "bot", text: String(item.text || ""),
      name: item.name ? String(item.name) : null, buttons: [], answer: false
    };
  }

  // ---- the widget ----------------------------------------------------------------------------

  function Chat(host) {
    this.host = host;
    this.state = loadState() || freshState();
    this.generation = 0;      // bumped by "Start again" so late answers to the old conversation are dropped
    this.inFlight = false;
    this.failures = 0;
    this.retryTimer = null;
    this.updatesTimer = null;  // issue 5
    this.nodes = {};
    this.build();
    this.buildHandoffBar();  // issue 5
    this.renderAll();
    var self = this;
    this.showHandoff();  // issue 5: carry on waiting for, or talking to, a person after a reload
    window.addEventListener("online", function () { self.retryNow(); });
    if (this.state.messages.length || this.state.outbox.length) {
      var pump = function () { self.pump(); };
      this.syncFromServer().then(pump, pump);
    }
  }

  Chat.prototype.build = function () {
    var self = this;
    var root = this.host.attachShadow ? this.host.attachShadow({ mode: "open" }) : this.host;
    this.host.textContent = "";
    STYLESHEETS.forEach(function (href) { root.appendChild(el("link", { rel: "stylesheet", href: href })); });

    this.log = el("div", {
      className: "hw-log", role: "log", "aria-live": "polite", "aria-label": "Conversation", tabindex: "0"
    });
    this.empty = el("p", { className: "hw-empty", text: "No messages yet. Type your question below, for example: what happens when someone leaves hospital?" });
    this.status = el("div", { className: "hw-status", role: "status" });
    this.input = el("textarea", {
      className: "nhsuk-textarea", id: "hw-message", name: "message", rows: "3", maxlength: String(MAX_MESSAGE_CHARS),
      autocomplete: "off", "aria-describedby": "hw-hint"
    });
    this.error = el("p", { className: "nhsuk-error-message", id: "hw-error", hidden: true });
    this.formGroup = el("div", { className: "nhsuk-form-group" }, [
      el("label", { className: "nhsuk-label", "for": "hw-message", text: "Your message" }),
      el("div", { className: "nhsuk-hint", id: "hw-hint", text: "Press Enter to send. Press Shift and Enter for a new line." }),
      this.error,
      this.input
    ]);
    this.form = el("form", { className: "hw-form", novalidate: true }, [
      this.formGroup,
      el("button", { className: "nhsuk-button hw-send", type: "submit", text: "Send" })
    ]);

    var chat = el("section", { className: "hw-chat", "aria-labelledby": "hw-title" }, [
      el("h2", { className: "nhsuk-heading-m hw-title", id: "hw-title", text: "Homeward chat" }),
      el("p", { className: "hw-intro", text: "Information about leaving hospital in England, not medical advice. In an emergency, call 999." }),
      this.log,
      this.status,
      this.form,
      el("div", { className: "hw-tools" }, [
        el("button", {
          className: "nhsuk-button nhsuk-button--secondary nhsuk-button--small", type: "button",
          text: "Talk to a person", onclick: function () { self.send(HUMAN_PAYLOAD, HUMAN_SHOWN); self.input.focus(); }
        }),
        el("button", {
          className: "nhsuk-button nhsuk-button--secondary nhsuk-button--small", type: "button",
          text: "Start again", onclick: function () { self.startAgain(); }
        })
      ])
    ]);
    root.appendChild(chat);

    this.form.addEventListener("submit", function (event) {
      event.preventDefault();
      self.submitTyped();
    });
    this.input.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        self.submitTyped();
      }
    });
  };

  Chat.prototype.submitTyped = function () {
    var text = this.input.value.trim();
    if (!text) {
      this.showError("Type a message first");
      this.input.focus();
      return;
    }
    this.showError("");
    this.input.value = "";
    this.send(text, null);
    this.input.focus();  // stay in the box, ready for the next message
  };

  Chat.prototype.showError = function (message) {
    this.error.textContent = "";
    if (message) {
      this.error.appendChild(el("span", { className: "nhsuk-u-visually-hidden", text: "Error: " }));
      this.error.appendChild(document.createTextNode(message));
    }
    this.error.hidden = !message;
    this.formGroup.classList.toggle("nhsuk-form-group--error", !!message);
    this.input.classList.toggle("nhsuk-textarea--error", !!message);
    this.input.setAttribute("aria-describedby", message ? "hw-hint hw-error" : "hw-hint");
    if (message) { this.input.setAttribute("aria-invalid", "true"); } else { this.input.removeAttribute("aria-invalid"); }
  };

  // ---- rendering -----------------------------------------------------------------------------

  Chat.prototype.renderAll = function () {
    this.log.textContent = "";
    this.nodes = {};
    this.log.appendChild(this.empty);
    var self = this;
    this.state.messages.forEach(function (m) { self.appendMessage(m); });
    this.renderChoices();
  };

  Chat.prototype.appendMessage = function (m) {
    if (this.nodes[m.id]) { return; }  // already shown: never show a message twice
    if (this.empty.parentNode) { this.empty.remove(); }
    var text = el("div", { className: "hw-text" });
    text.appendChild(textWithLinks(m.text));
    var who = m.from === "user" ? "You:" : "Homeward:";
    if (m.from === "staff") { who = (m.name || "Staff") + " (helpline team):"; }  // issue 5
    var node = el("div", { className: "hw-msg hw-msg--" + (m.from === "staff" ? "bot hw-msg--staff" : m.from) }, [
      el("p", { className: "hw-who", text: who }),
      text
    ]);
    if (m.from === "user") {
      node.appendChild(el("p", { className: "hw-state" }));
    } else if (m.answer) {
      node.appendChild(this.feedbackNode(m));
    }
    this.nodes[m.id] = node;
    this.log.appendChild(node);
    this.showDelivery(m);
    this.scrollToEnd();
  };

  Chat.prototype.scrollToEnd = function () {
    this.log.scrollTop = this.log.scrollHeight;
  };

  Chat.prototype.showDelivery = function (m) {
    var node = this.nodes[m.id];
    var state = node && node.querySelector(".hw-state");
    if (!state) { return; }
    var words = "";
    if (m.failed) { words = "Not sent: " + m.failed; }
    else if (m.pending) { words = this.failures ? "Not sent yet. We'll keep trying." : "Sending…"; }
    state.textContent = words;
    state.hidden = !words;
  };

  // Answer buttons are offered only on the latest message, and only while nothing is waiting to send.
  Chat.prototype.renderChoices = function () {
    Array.prototype.forEach.call(this.log.querySelectorAll(".hw-choices"), function (group) { group.remove(); });
    var last = this.state.messages[this.state.messages.length - 1];
    if (!last || last.from !== "bot" || !last.buttons || !last.buttons.length || this.state.outbox.length) { return; }
    var self = this;
    var group = el("div", { className: "hw-choices", role: "group", "aria-label": "Choose an answer" });
    last.buttons.forEach(function (button) {
      group.appendChild(el("button", {
        className: "nhsuk-button nhsuk-button--secondary nhsuk-button--small", type: "button", text: button.title,
        onclick: function () { self.send(button.payload, button.title); self.input.focus(); }
      }));
    });
    this.nodes[last.id].appendChild(group);
    this.scrollToEnd();
  };

  Chat.prototype.feedbackNode = function (m) {
    if (Object.prototype.hasOwnProperty.call(this.state.rated, m.id)) {
      return el("p", { className: "hw-thanks", text: "Thank you for your feedback." });
    }
    var self = this;
    var questionId = "hw-q-" + m.id;
    var note = el("p", { className: "hw-feedback-note", hidden: true });
    var group = el("div", { className: "hw-feedback", role: "group", "aria-labelledby": questionId }, [
      el("p", { className: "hw-feedback-question", id: questionId, text: "Was this answer helpful?" })
    ]);
    var buttons = el("div", { className: "hw-feedback-buttons" });
    [["Yes", true], ["No", false]].forEach(function (choice) {
      buttons.appendChild(el("button", {
        className: "nhsuk-button nhsuk-button--secondary nhsuk-button--small", type: "button", text: choice[0],
        onclick: function () { self.rate(m, choice[1], group, note); }
      }));
    });
    group.appendChild(buttons);
    group.appendChild(note);
    return group;
  };

  Chat.prototype.rate = function (m, helpful, group, note) {
    var self = this;
    var buttons = group.querySelectorAll("button");
    Array.prototype.forEach.call(buttons, function (b) { b.disabled = true; });
    postJson("/api/feedback", { sender_id: this.state.senderId, message_id: m.id, helpful: helpful }).then(function (result) {
      if (result.status === 200) {
        self.state.rated[m.id] = helpful;
        saveState(self.state);
        var thanks = el("p", { className: "hw-thanks", tabindex: "-1", text: "Thank you for your feedback." });
        group.replaceWith(thanks);
        thanks.focus();  // the button that had focus is gone: keep the place in the conversation
      } else {
        Array.prototype.forEach.call(buttons, function (b) { b.disabled = false; });
        note.textContent = "Sorry, your feedback wasn't sent. Please try again.";
        note.hidden = false;
      }
    });
  };

  Chat.prototype.setStatus = function (kind, help) {
    this.status.textContent = "";
    if (kind === "typing") {
      this.status.appendChild(el("p", { className: "hw-typing" }, [
        document.createTextNode("Homeward is typing"),
        el("span", { className: "hw-dots", "aria-hidden": "true" }, [el("span"), el("span"), el("span")])
      ]));
    } else if (kind === "reconnecting") {
      this.status.appendChild(el("p", { className: "hw-reconnecting", text: "Reconnecting… Your message will be sent when the connection is back." }));
      if (help) { this.status.appendChild(el("p", { className: "hw-help", text: help })); }
    } else if (kind === "connected") {
      this.status.appendChild(el("p", { className: "hw-connected", text: "Connected again." }));
    } else if (kind === "restarted") {
      this.status.appendChild(el("p", { text: "You started a new conversation." }));
    }
  };

  // ---- sending -------------------------------------------------------------------------------

  Chat.prototype.send = function (message, shown) {
    var clientMessageId = randomId(12);
    var m = { id: "u-" + clientMessageId, from: "user", text: shown || message, pending: true };
    this.state.messages.push(m);
    this.state.outbox.push({ clientMessageId: clientMessageId, message: message, shown: shown || null });
    saveState(this.state);
    this.appendMessage(m);
    this.renderChoices();
    this.pump();
  };

  Chat.prototype.findMessage = function (id) {
    for (var i = this.state.messages.length - 1; i >= 0; i -= 1) {
      if (this.state.messages[i].id === id) { return this.state.messages[i]; }
    }
    return null;
  };

  // Sends the oldest waiting message; one at a time, so Rasa sees them in the order they were typed.
  Chat.prototype.pump = function () {
    if (this.inFlight || this.retryTimer || !this.state.outbox.length) { return; }
    var self = this;
    var generation = this.generation;
    var item = this.state.outbox[0];
    var body = { sender_id: this.state.senderId, message: item.message, client_message_id: item.clientMessageId };
    if (item.shown) { body.shown = item.shown; }
    this.inFlight = true;
    if (!this.failures && !this.state.handoff) { this.setStatus("typing"); }
    postJson(CHAT_PATH, body).then(function (result) {
      if (generation !== self.generation) { return; }
      self.inFlight = false;
      var mine = self.findMessage("u-" + item.clientMessageId);
      if (result.status === 200) {
        var wasDown = self.failures > 0;
        self.failures = 0;
        self.state.outbox.shift();
        if (mine) { delete mine.pending; }
        var replies = botMessages(item.clientMessageId, result.data.messages);
        self.state.messages.push.apply(self.state.messages, replies);
        saveState(self.state);
        if (mine) { self.showDelivery(mine); }
        replies.forEach(function (m) { self.appendMessage(m); });
        self.renderChoices();
        self.setStatus(wasDown ? "connected" : "");
        if (result.data.handoff) { self.applyHandoff(result.data.handoff); }  // issue 5
        self.pump();
      } else if (isRetryable(result.status)) {
        self.failures += 1;
        var help = null;
        if (self.failures >= FAILURES_BEFORE_HELP) {
          var serverWords = result.data.degraded && result.data.messages && result.data.messages[0];
          help = serverWords && serverWords.text ? String(serverWords.text) : HELP_NOW;
        }
        self.setStatus("reconnecting", help);
        if (mine) { self.showDelivery(mine); }
        self.scheduleRetry();
      } else {
        // The gateway refused this message (e.g. too long): say why, and go on with the next one.
        self.state.outbox.shift();
        if (mine) {
          delete mine.pending;
          mine.failed = String(result.data.error || "the message could not be sent.");
          self.showDelivery(mine);
        }
        saveState(self.state);
        self.setStatus("");
        self.renderChoices();
        self.pump();
      }
    });
  };

  Chat.prototype.scheduleRetry = function () {
    var self = this;
    var delay = Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * Math.pow(2, this.failures - 1));
    delay = delay * (0.75 + Math.random() * 0.5);  // spread out retries from many pages after an outage
    this.retryTimer = setTimeout(function () { self.retryTimer = null; self.pump(); }, delay);
  };

  Chat.prototype.retryNow = function () {
    if (!this.retryTimer) { return; }
    clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.pump();
  };

  Chat.prototype.startAgain = function () {
    // A new conversation id: the old conversation is left as it was, and can't be read back from here.
    if (this.state.handoff) { this.leaveHandoff(); }  // issue 5: don't leave staff waiting for nobody
    this.stopUpdates();
    this.generation += 1;
    if (this.retryTimer) { clearTimeout(this.retryTimer); this.retryTimer = null; }
    this.inFlight = false;
    this.failures = 0;
    this.state = freshState();
    saveState(this.state);
    this.showError("");
    this.renderAll();
    this.showHandoff();
    this.setStatus("restarted");
    this.input.focus();
  };

  // ---- issue 5: talking to a person ------------------------------------------------------------
  // The gateway decides: /api/chat says when the user starts waiting; /api/updates brings staff replies,
  // notices ("Sam has joined", "handed you back") and the state, until the handoff is over.

  Chat.prototype.buildHandoffBar = function () {
    var self = this;
    this.handoffText = el("p", { className: "hw-handoff-text" });
    this.handoffButton = el("button", {
      className: "nhsuk-button nhsuk-button--secondary nhsuk-button--small", type: "button",
      onclick: function () { self.leaveHandoff(); self.input.focus(); }
    });
    // In the page only while it applies, so no hidden button is left for keyboard or screen reader users.
    this.handoffBar = el("div", { className: "nhsuk-inset-text hw-handoff" }, [
      el("div", { role: "status" }, [this.handoffText]),
      this.handoffButton
    ]);
  };

  Chat.prototype.applyHandoff = function (handoff) {
    if (!handoff || (handoff.state !== "queued" && handoff.state !== "active")) {
      this.state.handoff = null;
    } else {
      var after = this.state.handoff ? this.state.handoff.after : 0;
      this.state.handoff = { state: handoff.state, talkingTo: handoff.talking_to || null, after: after };
    }
    saveState(this.state);
    this.showHandoff();
  };

  Chat.prototype.showHandoff = function () {
    var handoff = this.state.handoff;
    if (!handoff) {
      this.handoffText.textContent = "";
      this.handoffBar.remove();
      this.stopUpdates();
      return;
    }
    if (!this.handoffBar.parentNode) { this.log.parentNode.insertBefore(this.handoffBar, this.log); }
    var words = handoff.state === "active"
      ? "You're talking to " + (handoff.talkingTo || "a member of staff") + " from the helpline team. " +
        "The assistant won't reply while you're talking to them."
      : "Waiting for a member of the helpline team. You can type your question now: they'll see it when they join.";
    if (this.handoffText.textContent !== words) { this.handoffText.textContent = words; }
    this.handoffButton.textContent = handoff.state === "active" ? "Go back to the assistant" : "Stop waiting";
    this.scheduleUpdates(0);
  };

  Chat.prototype.scheduleUpdates = function (delay) {
    if (this.updatesTimer) { return; }
    var self = this;
    this.updatesTimer = setTimeout(function () { self.updatesTimer = null; self.fetchUpdates("/api/updates"); }, delay);
  };

  Chat.prototype.stopUpdates = function () {
    if (this.updatesTimer) { clearTimeout(this.updatesTimer); this.updatesTimer = null; }
  };

  Chat.prototype.fetchUpdates = function (path) {
    var self = this;
    var generation = this.generation;
    if (!this.state.handoff) { return; }
    postJson(path, { sender_id: this.state.senderId, after: this.state.handoff.after }).then(function (result) {
      if (generation !== self.generation || !self.state.handoff) { return; }
      if (result.status === 200 && Array.isArray(result.data.messages)) {
        var fresh = result.data.messages.map(handoffMessage);
        self.state.messages.push.apply(self.state.messages, fresh.filter(function (m) { return !self.nodes[m.id]; }));
        self.state.handoff.after = Math.max(self.state.handoff.after, Number(result.data.after) || 0);
        fresh.forEach(function (m) { self.appendMessage(m); });
        self.applyHandoff(result.data.handoff);
      }
      self.scheduleUpdates(UPDATES_EVERY_MS);  // after a failure too: the gateway may be back next time
    });
  };

  Chat.prototype.leaveHandoff = function () {
    this.stopUpdates();
    this.fetchUpdates("/api/handoff/leave");
  };

  // After a reload: bring in anything Rasa answered that this page never received, and drop waiting
  // messages Rasa already has. If the gateway or Rasa can't be reached, the stored copy is shown as it is.
  Chat.prototype.syncFromServer = function () {
    var self = this;
    var generation = this.generation;
    return postJson("/api/transcript", { sender_id: this.state.senderId }).then(function (result) {
      var turns = result.data && result.data.turns;
      if (generation !== self.generation || result.status !== 200 || !Array.isArray(turns) || !turns.length) { return; }
      var received = {};
      turns.forEach(function (turn) { if (turn.client_message_id) { received[turn.client_message_id] = true; } });
      var waiting = self.state.outbox.filter(function (item) { return !received[item.clientMessageId]; });
      var messages = messagesFromTranscript(turns, self.state.messages);
      waiting.forEach(function (item) {
        var mine = self.findMessage("u-" + item.clientMessageId);
        messages.push(mine || { id: "u-" + item.clientMessageId, from: "user", text: item.shown || item.message, pending: true });
      });
      self.state.messages = messages;
      self.state.outbox = waiting;
      saveState(self.state);
      self.renderAll();
    });
  };

  function mount() {
    var host = document.querySelector("[data-homeward-chat]");
    if (host && !host.homewardChat) {
      configureAudience(host);
      host.homewardChat = new Chat(host);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", mount);
  } else {
    mount();
  }
})();
