// Speaker typeahead: asks the desk for close names (typos included) and offers them as a datalist
// and as buttons; without JavaScript the field still works and the server resolves the name.
(function () {
  "use strict";
  document.querySelectorAll("input[data-suggest-url]").forEach(function (input) {
    var list = document.getElementById("speaker-options");
    var box = document.getElementById("speaker-suggestions");
    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var query = input.value.trim();
      if (!query) { list.replaceChildren(); box.replaceChildren(); return; }
      timer = setTimeout(function () {
        fetch(input.dataset.suggestUrl + "?q=" + encodeURIComponent(query), { credentials: "same-origin" })
          .then(function (response) { return response.ok ? response.json() : { speakers: [] }; })
          .then(function (data) {
            list.replaceChildren();
            box.replaceChildren();
            data.speakers.forEach(function (speaker) {
              var option = document.createElement("option");
              option.value = speaker.name;
              list.appendChild(option);
              if (speaker.name.toLowerCase() === query.toLowerCase()) { return; }
              var button = document.createElement("button");
              button.type = "button";
              button.textContent = speaker.name + (speaker.role_title ? " (" + speaker.role_title + ")" : "");
              button.addEventListener("click", function () { input.value = speaker.name; box.replaceChildren(); input.focus(); });
              box.appendChild(button);
            });
          })
          .catch(function () { /* the server still resolves the typed name on submit */ });
      }, 150);
    });
  });
})();

// Character counter for fields with a limit: says the count while typing or pasting, and how far over
// the limit it is. Nothing is cut: the server refuses a text over the limit and says the same.
(function () {
  "use strict";
  document.querySelectorAll("textarea[data-max-chars]").forEach(function (area) {
    var limit = Number(area.dataset.maxChars);
    var counter = document.createElement("p");
    counter.className = "hint char-count";
    counter.id = area.id + "-count";
    counter.setAttribute("aria-live", "polite");
    area.insertAdjacentElement("afterend", counter);
    var described = area.getAttribute("aria-describedby");
    area.setAttribute("aria-describedby", (described ? described + " " : "") + counter.id);
    function update() {
      var count = area.value.length;
      var over = count > limit;
      counter.textContent = over
        ? count.toLocaleString("en") + " characters: " + (count - limit).toLocaleString("en") +
          " over the limit of " + limit.toLocaleString("en") + ". Shorten it before saving."
        : count.toLocaleString("en") + " of " + limit.toLocaleString("en") + " characters";
      counter.classList.toggle("over-limit", over);
    }
    area.addEventListener("input", update);
    update();
  });
})();
