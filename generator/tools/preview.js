// Live preview only: `heritage serve` adds this to every page it serves; it is never published.
// It asks the preview server for the state of the builds (the request is held until a build
// ends), reloads the page when a newer build is published, and shows a failed build's problems
// over the page until a build succeeds. <html data-heritage-preview> says what it is doing.
(function () {
  "use strict";
  var script = document.currentScript;
  var run = script.dataset.run;
  var shown = Number(script.dataset.generation);
  var root = document.documentElement;
  var box = null;

  function line(problem) {
    var where = problem.path + (problem.line ? ":" + problem.line : "") +
      (problem.column ? ":" + problem.column : "");
    var item = document.createElement("li");
    var head = document.createElement("code");
    head.textContent = where;
    item.appendChild(head);
    item.appendChild(document.createTextNode(" " + problem.message));
    if (problem.hint) {
      var hint = document.createElement("div");
      hint.className = "heritage-preview-hint";
      hint.textContent = problem.hint;
      item.appendChild(hint);
    }
    return item;
  }

  function show(state) {
    if (box === null) {
      box = document.createElement("section");
      box.id = "heritage-preview-problems";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;" +
        "z-index:100000;margin:0;padding:1em 1.2em;background:#fff8e1;color:#1a1a1a;" +
        "border-top:4px solid #b3261e;font:15px/1.45 system-ui,sans-serif;" +
        "box-shadow:0 -4px 16px rgba(0,0,0,.25)";
      document.body.appendChild(box);
    }
    box.lang = state.lang;
    box.textContent = "";
    var title = document.createElement("strong");
    title.textContent = state.title;
    box.appendChild(title);
    var list = document.createElement("ol");
    state.problems.forEach(function (problem) { list.appendChild(line(problem)); });
    box.appendChild(list);
  }

  function watch(after) {
    fetch("/.heritage/preview.json?after=" + after, {cache: "no-store"})
      .then(function (response) { return response.json(); })
      .then(function (state) {
        if (state.published && (state.run !== run || state.generation > shown)) {
          root.dataset.heritagePreview = "reloading";
          location.reload();
          return;
        }
        if (state.published) {
          if (box !== null) { box.remove(); box = null; }
        } else {
          show(state);
        }
        root.dataset.heritagePreview = state.published ? "watching" : "failed";
        watch(state.generation);
      })
      .catch(function () {  // the server was stopped or restarted: ask again shortly
        root.dataset.heritagePreview = "offline";
        window.setTimeout(function () { watch(after); }, 1000);
      });
  }

  watch(-1);
})();
