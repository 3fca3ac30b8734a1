/* The case page's diagram: the case's own process version in the bpmn-js NavigatedViewer,
 * with completed, active and waiting elements marked (states computed by the server). */
(function () {
  'use strict';

  var box = document.getElementById('case-diagram');
  if (!box) return;
  if (typeof BpmnJS === 'undefined') {  // node_modules missing: the page works without its picture
    box.querySelector('.canvas').textContent = '流程图组件未安装（请运行 make setup）';
    return;
  }
  var STATES = { completed: '已完成', active: '办理中', waiting: '等待中' };
  var FOCUS_SCALE = 0.75;

  function get(url, as) {
    return fetch(url, { credentials: 'same-origin' }).then(function (r) {
      if (!r.ok) throw new Error(r.status);
      return as === 'json' ? r.json() : r.text();
    });
  }

  var viewer = new BpmnJS({ container: box.querySelector('.canvas') });
  Promise.all([get(box.dataset.bpmnUrl, 'text'), get(box.dataset.statesUrl, 'json')]).then(function (res) {
    return viewer.importXML(res[0]).then(function () {
      var canvas = viewer.get('canvas');
      var registry = viewer.get('elementRegistry');
      canvas.zoom('fit-viewport');
      var elements = res[1].elements;
      Object.keys(elements).forEach(function (id) {
        var shape = registry.get(id);
        if (!shape) return;
        canvas.addMarker(id, 'state-' + elements[id]);
      });
      res[1].flows.forEach(function (id) { if (registry.get(id)) canvas.addMarker(id, 'state-taken'); });
      var current = Object.keys(elements).filter(function (id) { return elements[id] === 'active'; })
        .map(function (id) { return registry.get(id); }).filter(Boolean)[0];
      var whole = canvas.viewbox();
      // Whole processes are wide; open on where the case stands, legibly, with the whole diagram a click away.
      function focus() {
        if (!current) return;
        var w = whole.outer.width / FOCUS_SCALE, h = whole.outer.height / FOCUS_SCALE;
        canvas.viewbox({ x: current.x + current.width / 2 - w / 2, y: current.y + current.height / 2 - h / 2,
                         width: w, height: h });
      }
      focus();
      box.querySelector('.show-all').addEventListener('click', function () { canvas.zoom('fit-viewport'); });
      box.querySelector('.show-current').addEventListener('click', focus);
      // A list beside the picture, for screen readers and for whoever prints the page.
      var list = box.querySelector('.diagram-states');
      Object.keys(elements).forEach(function (id) {
        var shape = registry.get(id);
        var name = shape && shape.businessObject.name;
        if (!name || elements[id] === 'completed') return;
        var li = document.createElement('li');
        li.className = 'state-' + elements[id];
        li.dataset.element = id;
        li.textContent = STATES[elements[id]] + '：' + name;
        list.appendChild(li);
      });
      box.dataset.ready = 'true';
    });
  }).catch(function (err) {
    box.querySelector('.canvas').textContent = '流程图无法显示（' + err.message + '）';
  });
}());
