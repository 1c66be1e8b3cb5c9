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
