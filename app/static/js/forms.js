// Task and registration forms: show the fields of the branch the person chose.
//
// A field of an allOf/if/then branch carries its conditions (data-show-when, the schema's own `if`
// objects) from app/templates/_form.html.  While none holds it is hidden and disabled, so what is not
// shown is not sent; its value stays in the page and comes back when the branch is chosen again.
// A conditionally required field gets its `*` while its condition holds.  Without this script every
// field shows; the server validates every submission the same way in both cases.
(function () {
  "use strict";

  function same(a, b) {
    return JSON.stringify(a) === JSON.stringify(b);
  }

  // The subset of JSON Schema the server lets through (workflows/forms.py, _simple_condition).
  function matches(sub, value) {
    if ("const" in sub && !same(sub.const, value)) return false;
    if (sub.enum && !sub.enum.some(function (e) { return same(e, value); })) return false;
    if (sub.contains && !(Array.isArray(value) && value.some(function (v) { return matches(sub.contains, v); }))) {
      return false;
    }
    return true;
  }

  function holds(cond, values) {
    if (cond.not) return !holds(cond.not, values);
    var required = cond.required || [];
    for (var i = 0; i < required.length; i++) {
      if (!(required[i] in values)) return false;
    }
    var props = cond.properties || {};
    for (var name in props) {
      if (name in values && !matches(props[name], values[name])) return false;
    }
    return true;
  }

  // The typed value of one field, as the server's coerce_submission would read it; undefined when empty.
  function valueOf(box) {
    var widget = box.dataset.widget;
    var inputs = box.querySelectorAll("input, select, textarea");
    if (widget === "checkboxes") {
      var chosen = [];
      inputs.forEach(function (el) { if (el.checked) chosen.push(el.value); });
      return chosen.length ? chosen : undefined;
    }
    if (widget === "radio") {
      var picked;
      inputs.forEach(function (el) { if (el.checked) picked = el.value; });
      if (picked === undefined) return undefined;
      return picked === "true" ? true : picked === "false" ? false : picked;
    }
    if (widget === "file" || !inputs.length) return undefined;
    var raw = inputs[0].value.trim();
    if (raw === "") return undefined;
    if (widget === "integer" || widget === "number") {
      var n = Number(raw);
      return isNaN(n) ? raw : n;
    }
    return raw;
  }

  function conditions(box, attribute) {
    var raw = box.getAttribute(attribute);
    if (!raw) return null;
    try { return JSON.parse(raw); } catch (e) { return null; }
  }

  function refresh(form) {
    var boxes = Array.prototype.slice.call(form.querySelectorAll("[data-field]"));
    var visible = {};
    boxes.forEach(function (box) { visible[box.dataset.field] = true; });
    // A hidden field's value does not count (fee_pages follows fee_method, itself a branch of
    // handling_action): repeat until nothing changes (bounded, in case conditions contradict).
    for (var pass = 0; pass < boxes.length + 1; pass++) {
      var values = {};
      boxes.forEach(function (box) {
        if (!visible[box.dataset.field]) return;
        var v = valueOf(box);
        if (v !== undefined) values[box.dataset.field] = v;
      });
      var changed = false;
      boxes.forEach(function (box) {
        var when = conditions(box, "data-show-when");
        var show = !when || when.some(function (c) { return holds(c, values); });
        if (show !== visible[box.dataset.field]) { visible[box.dataset.field] = show; changed = true; }
        var star = box.querySelector(".req-when");
        var requiredWhen = conditions(box, "data-required-when");
        if (star && requiredWhen) star.hidden = !(show && requiredWhen.some(function (c) { return holds(c, values); }));
      });
      if (!changed) break;
    }
    boxes.forEach(function (box) {
      var show = visible[box.dataset.field];
      box.hidden = !show;
      box.querySelectorAll("input, select, textarea").forEach(function (el) { el.disabled = !show; });
    });
  }

  function formOf(target) {
    var form = target && target.closest ? target.closest("form") : null;
    return form && form.querySelector("[data-show-when]") ? form : null;
  }

  document.addEventListener("change", function (event) {
    var form = formOf(event.target);
    if (form) refresh(form);
  });
  document.addEventListener("input", function (event) {
    var form = formOf(event.target);
    if (form) refresh(form);
  });
  function start() {
    document.querySelectorAll("form").forEach(function (form) {
      if (form.querySelector("[data-show-when]")) refresh(form);
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
