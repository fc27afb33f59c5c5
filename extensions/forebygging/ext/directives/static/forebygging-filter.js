/* Forebyggingshåndboka: narrow the measure catalogue or the service directory as you type.
 *
 * The page holds the full list; this script only shows the filter box (hidden without
 * JavaScript) and hides the items that do not match. Each item is the <section> around a
 * hidden [data-fb-item] marker that carries the words to match, the level and the age range.
 * A measure without an age range never counts as fitting an age. Table rows that link to an
 * item follow it. Nothing is stored or sent. No dependencies.
 */
(function () {
  "use strict";

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, key) {
      return String(values[key]);
    });
  }

  function int(value) {
    if (value === null || value === "" || !/^\s*\d+\s*$/.test(value)) return null;
    return parseInt(value, 10);
  }

  function setHidden(el, hidden) {
    if (el.hidden !== hidden) el.hidden = hidden;
  }

  function init(box) {
    var root = box.closest("main") || document.body;
    var items = Array.prototype.map.call(root.querySelectorAll("[data-fb-item]"), function (marker) {
      return {
        el: marker.closest("section"),
        words: (marker.getAttribute("data-fb-text") || "").toLowerCase(),
        level: marker.getAttribute("data-fb-level"),
        min: int(marker.getAttribute("data-fb-age-min")),
        max: int(marker.getAttribute("data-fb-age-max")),
      };
    }).filter(function (item) {
      return item.el;
    });
    var byId = {};
    items.forEach(function (item) {
      if (item.el.id) byId[item.el.id] = item;
    });
    // Rows of an overview table whose link points at an item are shown and hidden with it.
    var rows = [];
    Array.prototype.forEach.call(root.querySelectorAll("table tbody tr"), function (tr) {
      var link = tr.querySelector('a[href^="#"]');
      var item = link && byId[decodeURIComponent(link.getAttribute("href").slice(1))];
      if (item) rows.push({ tr: tr, item: item, table: tr.closest("table") });
    });
    var groups = Array.prototype.slice.call(root.querySelectorAll("section.fb-filter-group"));
    var inputs = {};
    Array.prototype.forEach.call(box.querySelectorAll("[data-fb-input]"), function (input) {
      inputs[input.getAttribute("data-fb-input")] = input;
    });
    var status = box.querySelector("[data-fb-status]");
    var messages = {
      all: box.getAttribute("data-msg-all"),
      some: box.getAttribute("data-msg-some"),
      none: box.getAttribute("data-msg-none"),
      noAge: box.getAttribute("data-msg-no-age"),
    };
    var announce = null;

    function apply(immediately) {
      var words = inputs.text ? inputs.text.value.toLowerCase().split(/\s+/).filter(Boolean) : [];
      var level = inputs.level ? inputs.level.value : "";
      var age = inputs.age ? int(inputs.age.value) : null;
      var shown = 0;
      var noAge = 0;
      items.forEach(function (item) {
        var match = words.every(function (word) {
          return item.words.indexOf(word) !== -1;
        });
        match = match && (!level || item.level === level);
        if (match && age !== null) {
          if (item.min === null || item.max === null) {
            noAge += 1; // the plan gives no age: never claimed as fitting one
            match = false;
          } else {
            match = item.min <= age && age <= item.max;
          }
        }
        item.shown = match;
        setHidden(item.el, !match);
        if (match) shown += 1;
      });
      var filtering = words.length > 0 || level !== "" || age !== null;
      rows.forEach(function (row) {
        setHidden(row.tr, !row.item.shown);
      });
      groups.forEach(function (group) {
        var any = group.querySelector("[data-fb-item]");
        var visible = items.some(function (item) {
          return item.shown && group.contains(item.el);
        });
        // A level with no measures at all keeps its "none" note until a filter is set.
        setHidden(group, any ? !visible : filtering);
      });
      var total = items.length;
      var text;
      if (!filtering) text = fill(messages.all, { n: total });
      else if (shown === 0) text = fill(messages.none, { total: total });
      else text = fill(messages.some, { shown: shown, total: total });
      if (noAge > 0 && messages.noAge) text += " " + fill(messages.noAge, { n: noAge });
      // Update the live region once typing pauses, so a screen reader hears the result, not every key.
      window.clearTimeout(announce);
      if (immediately) status.textContent = text;
      else
        announce = window.setTimeout(function () {
          status.textContent = text;
        }, 400);
    }

    Object.keys(inputs).forEach(function (name) {
      inputs[name].addEventListener(name === "level" ? "change" : "input", function () {
        apply(false);
      });
    });
    box.querySelector("[data-fb-reset]").addEventListener("click", function () {
      Object.keys(inputs).forEach(function (name) {
        inputs[name].value = "";
      });
      apply(false);
      if (inputs.text) inputs.text.focus();
    });
    // A link to an item the filter hides (#tiltak-…) shows the whole list again.
    window.addEventListener("hashchange", function () {
      var target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
      if (target && target.closest("[hidden]")) {
        box.querySelector("[data-fb-reset]").click();
        target.scrollIntoView();
      }
    });
    apply(true); // the browser may have kept the fields' values from an earlier visit
    box.hidden = false;
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-fb-filter]"), init);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
