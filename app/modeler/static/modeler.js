/* The process modeler: bpmn-js plus a small properties panel and a forms editor.
 *
 * Everything that decides anything (validation, deployment, who may do it) is on the
 * server; this script edits the diagram, keeps the forms in memory, and shows what the
 * server says.  Writes are JSON POSTs carrying the CSRF token from the page's meta tag.
 */
(function () {
  'use strict';

  var root = document.getElementById('modeler');
  var urls = root.dataset;
  var csrfToken = document.querySelector('meta[name="csrf-token"]').content;
  var SPIFF_FORM = 'formJsonSchemaFilename';
  var TIMER_KINDS = { timeDate: '指定时间（timeDate）', timeDuration: '时长（timeDuration）', timeCycle: '循环（timeCycle）' };
  var TYPE_LABELS = {
    'bpmn:UserTask': '人工任务', 'bpmn:ServiceTask': '服务任务', 'bpmn:ScriptTask': '脚本任务',
    'bpmn:ExclusiveGateway': '排他网关', 'bpmn:ParallelGateway': '并行网关', 'bpmn:InclusiveGateway': '包容网关',
    'bpmn:EventBasedGateway': '事件网关', 'bpmn:StartEvent': '开始事件', 'bpmn:EndEvent': '结束事件',
    'bpmn:BoundaryEvent': '边界事件', 'bpmn:IntermediateCatchEvent': '中间捕获事件',
    'bpmn:IntermediateThrowEvent': '中间抛出事件', 'bpmn:SequenceFlow': '顺序流', 'bpmn:Lane': '泳道',
    'bpmn:Participant': '参与者（池）', 'bpmn:Task': '任务', 'bpmn:SubProcess': '子流程'
  };

  var modeler, moddle, modeling, canvas, overlays, elementRegistry;
  var forms = {};          // form file name -> JSON Schema text (saved and deployed with the diagram)
  var operators = {};      // service operator -> {required, optional, description}
  var currentForm = null;
  var marked = [];         // element ids carrying the error marker

  // -- small helpers ------------------------------------------------------------
  function $(id) { return document.getElementById(id); }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'text') node.textContent = attrs[k];
      else if (k === 'className') node.className = attrs[k];
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(c); });
    return node;
  }

  function setStatus(text, kind) {
    var s = $('status');
    s.textContent = text;
    s.className = 'status' + (kind ? ' ' + kind : '');
  }

  function request(url, options) {
    options = options || {};
    var headers = { 'X-CSRFToken': csrfToken, 'Accept': 'application/json' };
    var body = options.body;
    if (body !== undefined && !(body instanceof FormData)) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(body);
    }
    return fetch(url, { method: options.method || (body === undefined ? 'GET' : 'POST'), headers: headers,
                        body: body, credentials: 'same-origin' })
      .then(function (response) {
        return response.json().catch(function () { return { error: '服务器返回了无法识别的内容（' + response.status + '）' }; })
          .then(function (data) { return { ok: response.ok, status: response.status, data: data }; });
      });
  }

  function currentXml() {
    return modeler.saveXML({ format: true }).then(function (result) { return result.xml; });
  }

  // -- extension elements (spiffworkflow:*) ---------------------------------------
  function extensionValues(bo) {
    return (bo.extensionElements && bo.extensionElements.values) || [];
  }

  function findExtension(bo, type) {
    return extensionValues(bo).filter(function (v) { return v.$instanceOf(type); })[0];
  }

  // Replace (or add, or remove when ``replacement`` is null) one extension element, as one undoable command.
  function replaceExtension(element, type, replacement) {
    var bo = element.businessObject;
    var values = extensionValues(bo).filter(function (v) { return !v.$instanceOf(type); });
    if (replacement) values.push(replacement);
    var ext = bo.extensionElements;
    if (!ext) {
      ext = moddle.create('bpmn:ExtensionElements', { values: values });
      modeling.updateModdleProperties(element, bo, { extensionElements: ext });
    } else {
      modeling.updateModdleProperties(element, ext, { values: values });
    }
  }

  function spiffProperty(bo, name) {
    var props = findExtension(bo, 'spiffworkflow:Properties');
    var found = props && (props.properties || []).filter(function (p) { return p.name === name; })[0];
    return found ? found.value : '';
  }

  function setSpiffProperty(element, name, value) {
    var old = findExtension(element.businessObject, 'spiffworkflow:Properties');
    var kept = ((old && old.properties) || []).filter(function (p) { return p.name !== name; })
      .map(function (p) { return moddle.create('spiffworkflow:Property', { name: p.name, value: p.value }); });
    if (value) kept.push(moddle.create('spiffworkflow:Property', { name: name, value: value }));
    replaceExtension(element, 'spiffworkflow:Properties',
                     kept.length ? moddle.create('spiffworkflow:Properties', { properties: kept }) : null);
  }

  function operatorOf(bo) {
    var op = findExtension(bo, 'spiffworkflow:ServiceTaskOperator');
    if (!op) return { id: '', resultVariable: '', parameters: [] };
    return {
      id: op.id || '', resultVariable: op.resultVariable || '',
      parameters: ((op.parameters && op.parameters.parameters) || []).map(function (p) {
        return { id: p.id || '', type: p.type || 'str', value: p.value || '' };
      })
    };
  }

  function setOperator(element, op) {
    var params = op.parameters.filter(function (p) { return p.id; }).map(function (p) {
      return moddle.create('spiffworkflow:Parameter', { id: p.id, type: p.type || 'str', value: p.value });
    });
    var replacement = op.id ? moddle.create('spiffworkflow:ServiceTaskOperator', {
      id: op.id, resultVariable: op.resultVariable || undefined,
      parameters: moddle.create('spiffworkflow:Parameters', { parameters: params })
    }) : null;
    replaceExtension(element, 'spiffworkflow:ServiceTaskOperator', replacement);
  }

  function instructionsOf(bo) {
    var ins = findExtension(bo, 'spiffworkflow:InstructionsForEndUser');
    return ins ? (ins.text || '') : '';
  }

  function timerOf(bo) {
    return (bo.eventDefinitions || []).filter(function (d) { return d.$instanceOf('bpmn:TimerEventDefinition'); })[0];
  }

  // -- the properties panel ----------------------------------------------------------
  function field(label, input, help) {
    var id = input.id;
    return el('div', { className: 'field' }, [
      el('label', { 'for': id, text: label }), input, help ? el('small', { className: 'help', text: help }) : null
    ]);
  }

  function textInput(id, value, onChange, multiline) {
    var input = el(multiline ? 'textarea' : 'input', multiline ? { id: id, rows: '3' } : { id: id, type: 'text' });
    input.value = value || '';
    input.addEventListener('change', function () { onChange(input.value.trim()); });
    return input;
  }

  function select(id, options, value, onChange) {
    var s = el('select', { id: id });
    options.forEach(function (o) {
      var opt = el('option', { value: o[0], text: o[1] });
      if (o[0] === value) opt.selected = true;
      s.appendChild(opt);
    });
    s.addEventListener('change', function () { onChange(s.value); });
    return s;
  }

  function renderProps(element) {
    var panel = $('props');
    panel.innerHTML = '';
    panel.appendChild(el('h2', { text: '属性' }));
    if (element && element.type === 'label') element = element.labelTarget;  // a name label edits its element
    if (!element) {
      panel.appendChild(el('p', { className: 'empty', text: '在图上选择一个元素以编辑其属性。' }));
      return;
    }
    var bo = element.businessObject;
    var type = bo.$type;
    panel.appendChild(el('p', { className: 'meta' }, [
      el('strong', { text: TYPE_LABELS[type] || type }), document.createTextNode(' · '),
      el('code', { className: 'element-id', text: bo.id })
    ]));

    if (type !== 'bpmn:Process' && type !== 'bpmn:Collaboration') {
      panel.appendChild(field(type === 'bpmn:Lane' ? '泳道名称' : '名称', textInput('prop-name', bo.name, function (v) {
        modeling.updateLabel(element, v);
      }), type === 'bpmn:Lane' ? '泳道名称须在“泳道分配”中对应到角色或部门，否则校验不通过。' : null));
    }

    if (type === 'bpmn:UserTask' || type === 'bpmn:StartEvent') {
      var current = spiffProperty(bo, SPIFF_FORM);
      var names = Object.keys(forms).sort();
      if (current && names.indexOf(current) < 0) names.unshift(current);
      var options = [['', '（无表单）']].concat(names.map(function (n) { return [n, n]; }));
      panel.appendChild(field('表单', select('prop-form', options, current, function (v) {
        setSpiffProperty(element, SPIFF_FORM, v);
        if (v && forms[v] !== undefined) showForm(v);
      }), '表单在下方“表单”区编辑。'));
    }
    if (type === 'bpmn:UserTask') {
      panel.appendChild(field('办理说明', textInput('prop-instructions', instructionsOf(bo), function (v) {
        replaceExtension(element, 'spiffworkflow:InstructionsForEndUser',
                         v ? moddle.create('spiffworkflow:InstructionsForEndUser', { text: v }) : null);
      }, true)));
    }

    if (type === 'bpmn:SequenceFlow') {
      var source = bo.sourceRef;
      if (source && /Gateway$/.test(source.$type) && source.$type !== 'bpmn:ParallelGateway') {
        if (source.default === bo) {
          panel.appendChild(el('p', { className: 'help', text: '这是网关的默认路径：其他条件都不成立时走这里，不需要条件。' }));
        } else {
          var cond = bo.conditionExpression ? bo.conditionExpression.body : '';
          panel.appendChild(field('条件表达式', textInput('prop-condition', cond, function (v) {
            modeling.updateProperties(element, {
              conditionExpression: v ? moddle.create('bpmn:FormalExpression', { body: v }) : undefined
            });
          }, true), '例如：review_result == \'cleared\'（只能使用案件数据和允许的函数）'));
        }
      }
    }

    var timer = timerOf(bo);
    if (timer) {
      var kind = ['timeDate', 'timeDuration', 'timeCycle'].filter(function (k) { return timer[k]; })[0] || 'timeDate';
      var expr = timer[kind] ? timer[kind].body : '';
      var applyTimer = function (newKind, body) {
        var props = { timeDate: undefined, timeDuration: undefined, timeCycle: undefined };
        if (body) props[newKind] = moddle.create('bpmn:FormalExpression', { body: body });
        modeling.updateModdleProperties(element, timer, props);
      };
      var kindSelect = select('prop-timer-kind', Object.keys(TIMER_KINDS).map(function (k) { return [k, TIMER_KINDS[k]]; }),
                              kind, function (v) { applyTimer(v, $('prop-timer').value.trim()); });
      panel.appendChild(field('定时类型', kindSelect));
      panel.appendChild(field('定时表达式', textInput('prop-timer', expr, function (v) {
        applyTimer($('prop-timer-kind').value, v);
      }, true), '例如：reply_overdue_at（案件数据中的日期时间），或 \'P3D\''));
    }

    if (type === 'bpmn:ServiceTask') renderOperator(panel, element);
  }

  function renderOperator(panel, element) {
    var op = operatorOf(element.businessObject);
    var names = Object.keys(operators);
    if (op.id && names.indexOf(op.id) < 0) names.unshift(op.id);
    var opSelect = select('prop-operator', [['', '（请选择）']].concat(names.map(function (n) { return [n, n]; })), op.id,
      function (v) {
        op.id = v;
        var spec = operators[v];
        if (spec) {  // offer every required parameter of the chosen operator
          spec.required.forEach(function (name) {
            if (!op.parameters.some(function (p) { return p.id === name; })) op.parameters.push({ id: name, type: 'str', value: '' });
          });
        }
        if (!op.resultVariable && v) op.resultVariable = element.businessObject.id + '_result';
        setOperator(element, op);
        renderProps(element);
      });
    panel.appendChild(field('服务操作', opSelect, operators[op.id] ? operators[op.id].description : null));
    panel.appendChild(field('结果变量', textInput('prop-result', op.resultVariable, function (v) {
      op.resultVariable = v; setOperator(element, op);
    })));

    var spec = operators[op.id] || { required: [], optional: [] };
    var table = el('table', { className: 'params' }, [
      el('thead', {}, [el('tr', {}, [el('th', { text: '参数' }), el('th', { text: '值（表达式）' }), el('th', {})])])
    ]);
    var body = el('tbody');
    op.parameters.forEach(function (p, i) {
      var nameInput = textInput('param-name-' + i, p.id, function (v) { p.id = v; setOperator(element, op); });
      nameInput.setAttribute('aria-label', '参数名');
      var valueInput = textInput('param-value-' + i, p.value, function (v) { p.value = v; setOperator(element, op); });
      valueInput.setAttribute('aria-label', '参数 ' + p.id + ' 的值');
      var remove = el('button', { type: 'button', className: 'link', text: '删除' });
      remove.addEventListener('click', function () { op.parameters.splice(i, 1); setOperator(element, op); renderProps(element); });
      var required = spec.required.indexOf(p.id) >= 0;
      body.appendChild(el('tr', {}, [el('td', {}, [nameInput, required ? el('span', { className: 'req', text: '*' }) : null]),
                                     el('td', {}, [valueInput]), el('td', {}, [remove])]));
    });
    table.appendChild(body);
    panel.appendChild(table);
    var add = el('button', { type: 'button', id: 'btn-add-param', text: '添加参数' });
    add.addEventListener('click', function () {
      var unused = spec.required.concat(spec.optional).filter(function (n) {
        return !op.parameters.some(function (p) { return p.id === n; });
      });
      op.parameters.push({ id: unused[0] || '', type: 'str', value: '' });
      setOperator(element, op);
      renderProps(element);
    });
    panel.appendChild(add);
    var known = spec.required.concat(spec.optional);
    if (known.length) {
      panel.appendChild(el('p', { className: 'help', text: '可用参数：' + known.join('、') + '。值是表达式：文字要加引号，如 \'reply\'。' }));
    }
  }

  // -- validation errors on the list and on the diagram --------------------------
  function clearErrors() {
    overlays.remove({ type: 'validation' });
    marked.forEach(function (id) { if (elementRegistry.get(id)) canvas.removeMarker(id, 'has-error'); });
    marked = [];
  }

  function showErrors(errors, emptyText) {
    clearErrors();
    var list = $('errors');
    list.innerHTML = '';
    if (!errors.length) {
      list.appendChild(el('li', { className: 'ok', text: emptyText || '校验通过' }));
      return;
    }
    errors.forEach(function (e) {
      var onDiagram = e.element_id && elementRegistry.get(e.element_id);
      var where = e.element_id ? e.element_id + (e.element_name ? '（' + e.element_name + '）' : '') : '文件';
      var item = el('li', { className: 'error', 'data-element': e.element_id || '' }, [
        el('strong', { text: where }), document.createTextNode('：' + e.message)
      ]);
      // A lane nobody works is fixed on the 泳道分配 page, not in the diagram: link to it.
      if (e.message.indexOf('泳道分配') >= 0 && urls.lanesUrl) {
        item.appendChild(document.createTextNode(' '));
        item.appendChild(el('a', { href: urls.lanesUrl, className: 'fix-link', text: '去分配泳道' }));
      }
      if (onDiagram) {
        item.classList.add('on-diagram');
        item.addEventListener('click', function () {
          modeler.get('selection').select(onDiagram);
          canvas.scrollToElement(onDiagram);
        });
        if (marked.indexOf(e.element_id) < 0) {
          canvas.addMarker(e.element_id, 'has-error');
          marked.push(e.element_id);
        }
        overlays.add(e.element_id, 'validation', {
          position: { top: -10, right: 10 },
          html: el('div', { className: 'error-badge', title: e.message, text: '!' })
        });
      }
      list.appendChild(item);
    });
  }

  // -- commands ---------------------------------------------------------------
  function payload(extra) {
    return currentXml().then(function (xml) {
      return Object.assign({ bpmn: xml, forms: forms }, extra || {});
    });
  }

  function saveDraft() {
    setStatus('正在保存…');
    return payload().then(function (body) { return request(urls.draftUrl, { body: body }); }).then(function (r) {
      if (r.ok) setStatus('草稿已保存', 'ok');
      else setStatus(r.data.error || '保存失败', 'error');
    });
  }

  function validate() {
    setStatus('正在校验…');
    return payload().then(function (body) { return request(urls.validateUrl, { body: body }); }).then(function (r) {
      if (!r.ok) { setStatus(r.data.error || '校验失败', 'error'); return; }
      showErrors(r.data.errors);
      setStatus(r.data.valid ? '校验通过，可以部署' : '校验发现 ' + r.data.errors.length + ' 个问题', r.data.valid ? 'ok' : 'error');
    });
  }

  function deploy(otherOrigin) {
    var note = $('deploy-note').value.trim();
    if (!note) { setStatus('请填写变更说明', 'error'); $('deploy-note').focus(); return Promise.resolve(); }
    setStatus('正在部署…');
    var extra = { note: note, other_origin: otherOrigin === true };
    return payload(extra).then(function (body) { return request(urls.deployUrl, { body: body }); }).then(function (r) {
      // A diagram drawn elsewhere under an existing key: deploy only when the supervisor confirms it.
      if (r.status === 409 && r.data.fields && r.data.fields.other_origin) {
        if (window.confirm(r.data.error + '\n\n确认部署为该流程的新版本？')) return deploy(true);
        setStatus('未部署：' + r.data.error, 'error');
        return;
      }
      if (r.ok) {
        showErrors([], '校验通过');
        $('current-version').textContent = r.data.version;
        $('deploy-note').value = '';
        setStatus(r.data.new ? '已部署为第 ' + r.data.version + ' 版，新登记的案件将使用此版本'
                             : '内容与第 ' + r.data.version + ' 版相同，未产生新版本', 'ok');
      } else {
        if (r.data.errors) showErrors(r.data.errors);
        setStatus(r.data.error || '部署失败', 'error');
      }
    });
  }

  function download(event) {
    event.preventDefault();
    currentXml().then(function (xml) {
      var a = el('a', { href: URL.createObjectURL(new Blob([xml], { type: 'application/xml' })),
                        download: urls.processKey + '.bpmn' });
      document.body.appendChild(a);
      a.click();
      setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
    });
  }

  function upload() {
    var input = $('upload-file');
    if (!input.files.length) return;
    var data = new FormData();
    data.append('file', input.files[0]);
    setStatus('正在上传并校验…');
    request(urls.uploadUrl, { body: data }).then(function (r) {
      input.value = '';
      if (!r.ok) {
        if (r.data.errors) showErrors(r.data.errors);
        setStatus('上传的文件未通过校验，未作任何更改：' + (r.data.error || ''), 'error');
        return;
      }
      forms = r.data.forms || forms;
      return open(r.data.bpmn).then(function () {
        showErrors([], '上传的文件校验通过');
        setStatus('已上传，并保存为草稿', 'ok');
      });
    });
  }

  function discard() {
    if (!window.confirm('放弃草稿，重新打开最新版本？')) return;
    request(urls.discardUrl, { body: {} }).then(load);
  }

  // -- forms editor -------------------------------------------------------------
  function refreshFormSelect() {
    var s = $('form-select');
    s.innerHTML = '';
    Object.keys(forms).sort().forEach(function (name) {
      var opt = el('option', { value: name, text: name });
      if (name === currentForm) opt.selected = true;
      s.appendChild(opt);
    });
  }

  function showForm(name) {
    currentForm = name;
    refreshFormSelect();
    $('form-text').value = forms[name] || '';
    $('form-status').textContent = '';
    $('form-preview').innerHTML = '';
  }

  function newForm() {
    var name = $('new-form-name').value.trim();
    if (!/^[A-Za-z0-9_-]+\.json$/.test(name)) { $('form-status').textContent = '文件名只能用字母、数字、下划线和连字符，以 .json 结尾'; return; }
    if (forms[name] === undefined) {
      forms[name] = JSON.stringify({ type: 'object', title: '新表单', properties: {}, required: [] }, null, 2);
    }
    $('new-form-name').value = '';
    showForm(name);
    renderProps(modeler.get('selection').get()[0]);
  }

  function checkForm() {
    request(urls.formCheckUrl, { body: { text: $('form-text').value } }).then(function (r) {
      var status = $('form-status');
      if (r.ok) {
        status.textContent = '表单有效' + (r.data.title ? '：' + r.data.title : '');
        status.className = 'help ok';
        $('form-preview').innerHTML = r.data.preview;  // rendered (and escaped) by the server's form renderer
      } else {
        status.textContent = r.data.error || '表单无效';
        status.className = 'help error';
        $('form-preview').innerHTML = '';
      }
    });
  }

  // -- loading --------------------------------------------------------------------
  // Import warnings mean the editor did not understand part of the file (and saving may lose it):
  // they stay in their own box until the next file is opened, whatever the status line says next.
  function showImportWarnings(lines) {
    var box = $('import-warnings');
    box.innerHTML = '';
    box.hidden = !lines.length;
    if (!lines.length) return;
    box.appendChild(el('p', { text: '导入时有 ' + lines.length + ' 条警告：编辑器没有完全读懂这些内容，保存后可能丢失。' }));
    var list = el('ul');
    lines.forEach(function (line) { list.appendChild(el('li', { text: line })); });
    box.appendChild(list);
  }

  function open(xml) {
    return modeler.importXML(xml).then(function (result) {
      canvas.zoom('fit-viewport');
      clearErrors();
      renderProps(null);
      showImportWarnings(window.BanjianBpmn.describeWarnings(result.warnings));
    });
  }

  function load() {
    return request(urls.modelUrl).then(function (r) {
      if (!r.ok) { setStatus(r.data.error || '载入失败', 'error'); return; }
      forms = r.data.forms || {};
      operators = r.data.operators || {};
      var names = Object.keys(forms).sort();
      showForm(names[0] || null);
      return open(r.data.bpmn).then(function () {
        $('errors').innerHTML = '<li class="empty">尚未校验</li>';
        if (r.data.draft) {
          setStatus(r.data.draft_stale ? '已打开您的草稿（注意：草稿之后又部署过新版本）' : '已打开您的草稿',
                    r.data.draft_stale ? 'warn' : 'ok');
        } else {
          setStatus(r.data.version ? '已打开第 ' + r.data.version + ' 版' : '已打开新流程草稿', 'ok');
        }
        root.dataset.ready = 'true';  // for scripted checks: the diagram is on screen
        // A new process (opened from a file made elsewhere) is shown with every problem marked at once.
        if (r.data.validate_on_open) return validate();
      });
    });
  }

  if (typeof BpmnJS === 'undefined') {
    setStatus('流程图编辑器未安装（请运行 make setup）', 'error');
    return;
  }
  fetch(urls.moddleUrl, { credentials: 'same-origin' }).then(function (r) { return r.json(); }).then(function (descriptor) {
    modeler = window.BanjianBpmn.createModeler('#canvas', descriptor);
    moddle = modeler.get('moddle');
    modeling = modeler.get('modeling');
    canvas = modeler.get('canvas');
    overlays = modeler.get('overlays');
    elementRegistry = modeler.get('elementRegistry');
    modeler.on('selection.changed', function (e) { renderProps(e.newSelection[0]); });

    $('btn-save').addEventListener('click', saveDraft);
    $('btn-validate').addEventListener('click', validate);
    $('btn-deploy').addEventListener('click', function () { deploy(false); });
    $('btn-download').addEventListener('click', download);
    $('upload-file').addEventListener('change', upload);
    $('btn-discard').addEventListener('click', discard);
    $('form-select').addEventListener('change', function () { showForm($('form-select').value); });
    $('form-text').addEventListener('input', function () { if (currentForm) forms[currentForm] = $('form-text').value; });
    $('btn-new-form').addEventListener('click', newForm);
    $('btn-check-form').addEventListener('click', checkForm);
    return load();
  }).catch(function (err) {
    setStatus('编辑器载入失败：' + err, 'error');
  });
}());
