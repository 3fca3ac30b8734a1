/* How the modeler reads and writes BPMN so that a file it does not edit comes back unchanged.
 *
 * Shared by the modeler page and the round-trip test (tests/interop): both build their bpmn-js
 * instance here, so the test checks exactly what supervisors use.
 *
 * - The ``spiffworkflow`` moddle descriptor (spiffworkflow-moddle.json) describes every extension
 *   SpiffWorkflow reads; extension elements of other vocabularies (camunda:, zeebe:, …) are kept by
 *   bpmn-moddle as generic elements.
 * - SpiffWorkflow writes multi-instance ``loopDataInputRef``/``loopDataOutputRef`` as the *name of a
 *   case-data key*, not the id of a BPMN element.  bpmn-moddle cannot resolve such a reference and
 *   would drop it on save, so an unresolved reference of those properties is kept as a placeholder
 *   whose id is the original text (it is written back verbatim).
 * - bpmn-moddle writes a correlation's ``messagePath`` as ``<bpmn:formalExpression>``; it is written back
 *   as ``<bpmn:messagePath>``, as SpiffWorkflow (and the BPMN schema) read it.
 * - Import warnings are returned as readable lines so the page can keep them in view.
 */
(function () {
  'use strict';

  var KEPT_REFERENCES = ['loopDataInputRef', 'loopDataOutputRef'];

  function localName(property) {
    return String(property || '').split(':').pop();
  }

  function keepUnresolvedReferences(bpmnjs) {
    bpmnjs.on('import.parse.complete', function (event) {
      var moddle = bpmnjs.get('moddle');
      (event.warnings || []).forEach(function (warning) {
        var name = localName(warning.property);
        if (!warning.element || !warning.value || KEPT_REFERENCES.indexOf(name) < 0) return;
        if (/^unresolved reference/.test(warning.message || '')) {
          // A data input placeholder: not contained anywhere, so only its id is written (as the reference).
          warning.element.set(name, moddle.create('bpmn:DataInput', { id: warning.value }));
          warning.kept = true;
        }
      });
    });
  }

  // bpmn-moddle declares these expressions without saying how to write them, so it writes them under
  // their type's name (<bpmn:formalExpression>), which no engine reads: write them under their own name.
  var PROPERTY_TAGS = [['bpmn:CorrelationPropertyRetrievalExpression', 'messagePath'],
                       ['bpmn:CorrelationPropertyBinding', 'dataPath']];

  function writeExpressionsUnderTheirName(bpmnjs) {
    var moddle = bpmnjs.get('moddle');
    PROPERTY_TAGS.forEach(function (pair) {
      var property = moddle.getElementDescriptor(moddle.getType(pair[0])).propertiesByName[pair[1]];
      property.xml = Object.assign({}, property.xml, { serialize: 'property' });
    });
  }

  /** Readable lines for the import warnings that mean something was not understood (and may be lost). */
  function describeWarnings(warnings) {
    return (warnings || []).filter(function (w) { return !w.kept; }).map(function (w) {
      var where = w.element && w.element.id ? w.element.id + '：' : '';
      return where + (w.message || String(w)).split('\n')[0];
    });
  }

  /** A bpmn-js Modeler with the app's descriptor and reference keeping, in ``container``. */
  function createModeler(container, descriptor) {
    var modeler = new window.BpmnJS({ container: container, moddleExtensions: { spiffworkflow: descriptor } });
    keepUnresolvedReferences(modeler);
    writeExpressionsUnderTheirName(modeler);
    return modeler;
  }

  /** Open ``xml`` and save it again with no edit: {xml, warnings} (used by the round-trip test). */
  function roundTrip(descriptor, xml) {
    var container = document.createElement('div');
    container.style.width = '800px';
    container.style.height = '600px';
    document.body.appendChild(container);
    var modeler = createModeler(container, descriptor);
    return modeler.importXML(xml).then(function (result) {
      return modeler.saveXML({ format: true }).then(function (saved) {
        modeler.destroy();
        container.remove();
        return { xml: saved.xml, warnings: describeWarnings(result.warnings) };
      });
    });
  }

  window.BanjianBpmn = { createModeler: createModeler, describeWarnings: describeWarnings, roundTrip: roundTrip };
}());
