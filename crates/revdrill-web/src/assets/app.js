// revdrill web: inline comments, keyboard navigation, unified/split view and a draft kept in
// localStorage. No framework; every learner text goes into the page through textContent.
(function () {
  'use strict';
  var VIEW_KEY = 'revdrill.view';
  var SEVERITIES = ['blocker', 'major', 'minor', 'nit'];

  // Before the first paint, so that the chosen view does not jump.
  try {
    if (localStorage.getItem(VIEW_KEY) === 'split') document.documentElement.classList.add('view-split');
  } catch (e) { /* storage disabled: unified view */ }

  document.addEventListener('DOMContentLoaded', function () {
    var drill = document.getElementById('drill');
    if (drill) initDrill(drill);
    if (document.body.dataset.attempt) initDisputes(document.body.dataset.attempt);
    var card = document.getElementById('review-card');
    if (card) initReview(card);
  });

  function str(key) {
    var k = 's' + key.charAt(0).toUpperCase() + key.slice(1);
    return document.body.dataset[k] || key;
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // POST/DELETE to the API with the page's CSRF token; resolves with the JSON body (or null).
  function send(method, url, body) {
    var csrf = document.querySelector('meta[name="revdrill-csrf"]').content;
    var init = { method: method, headers: { 'x-revdrill-csrf': csrf }, credentials: 'same-origin' };
    if (body !== undefined) {
      init.headers['content-type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    return fetch(url, init).then(function (r) {
      if (r.status === 204) return null;
      return r.json().then(function (b) {
        if (!r.ok) throw new Error(document.body.dataset.lang === 'zh' ? b.message_zh : b.message);
        return b;
      });
    });
  }

  // "Due today": the answer to a card is posted; the page of its stored feedback then opens.
  // When the post fails, the answer stays in the box.
  function initReview(card) {
    var box = document.getElementById('review-answer');
    var button = document.getElementById('review-send');
    var status = document.getElementById('review-status');
    button.addEventListener('click', function () {
      if (!box.value.trim()) { status.textContent = str('reviewEmpty'); status.className = 'error'; return; }
      button.disabled = true;
      send('POST', '/api/review/cards/' + encodeURIComponent(card.dataset.card), { answer: box.value })
        .then(function (r) { window.location.href = r.url; })
        .catch(function (e) { button.disabled = false; status.textContent = e.message; status.className = 'error'; });
    });
  }

  // Feedback page: "I said this" picks one of the learner's numbered statements; "this credit is
  // wrong" disputes a credit as a whole. Either opens a small form; the page reloads once stored.
  function initDisputes(attempt) {
    var status = document.getElementById('dispute-status');
    var picking = null;   // the control waiting for a statement
    var base = '/api/attempts/' + encodeURIComponent(attempt) + '/disputes';
    function say(text, isError) {
      if (!status) return;
      status.textContent = text;
      status.className = isError ? 'error' : '';
    }
    // Statements take the keyboard focus only while one is being picked.
    function stopPicking() {
      document.body.classList.remove('picking');
      document.querySelectorAll('.stmt').forEach(function (s) { s.removeAttribute('tabindex'); });
      picking = null;
    }
    function openForm(ctl, stmt) {
      closeForms();
      var f = el('form', 'dispute-form');
      if (stmt) {
        f.appendChild(el('p', 'muted small', str('disputeChosen')));
        f.appendChild(el('blockquote', 'evidence', stmt.textContent.replace(/^\d+/, '')));
      }
      var ta = el('textarea', 'dispute-note');
      ta.rows = 2;
      // No maxLength: it cuts a paste silently. The server refuses a note over 2,000
      // characters with a message, and the form keeps the text.
      ta.placeholder = str('disputeNote');
      f.appendChild(ta);
      var actions = el('div', 'actions');
      var ok = el('button', 'primary dispute-send', str('disputeSend'));
      ok.type = 'submit';
      var cancel = el('button', 'dispute-cancel', str('disputeCancel'));
      cancel.type = 'button';
      actions.appendChild(ok);
      actions.appendChild(cancel);
      f.appendChild(actions);
      ctl.appendChild(f);
      cancel.addEventListener('click', closeForms);
      f.addEventListener('submit', function (ev) {
        ev.preventDefault();
        ok.disabled = true;
        var body = { finding: ctl.dataset.finding, note: ta.value };
        if (stmt) body.statement = Number(stmt.dataset.n);
        send('POST', base, body).then(function () {
          window.location.reload();
        }).catch(function (e) {
          ok.disabled = false;
          say(str('disputeFailed') + ' ' + e.message, true);
        });
      });
      ta.focus();
    }
    // Whether an open dispute form may go: a note typed in it is only dropped when the learner
    // says so (it was dropped without a word when another dispute was opened).
    function mayClose() {
      var typed = Array.prototype.some.call(document.querySelectorAll('form.dispute-form textarea'),
        function (ta) { return ta.value.trim() !== ''; });
      return !typed || window.confirm(str('disputeDrop'));
    }
    function closeForms() {
      document.querySelectorAll('form.dispute-form').forEach(function (f) { f.remove(); });
      document.querySelectorAll('.stmt.chosen').forEach(function (s) { s.classList.remove('chosen'); });
      stopPicking();
    }
    document.querySelectorAll('.dispute-ctl').forEach(function (ctl) {
      ctl.querySelector('.dispute-open').addEventListener('click', function () {
        if (!mayClose()) return;
        closeForms();
        if (ctl.dataset.credited === 'true') { openForm(ctl, null); return; }
        picking = ctl;
        document.body.classList.add('picking');
        document.querySelectorAll('.stmt').forEach(function (s) { s.tabIndex = 0; });
        say(str('disputePick'));
        var first = document.querySelector('.stmt');
        if (first) first.scrollIntoView({ block: 'center' });
      });
    });
    function choose(stmt) {
      if (!picking) return;
      var ctl = picking;
      say('');
      openForm(ctl, stmt);
      stmt.classList.add('chosen');
      ctl.scrollIntoView({ block: 'center' });
    }
    document.querySelectorAll('.stmt').forEach(function (s) {
      s.addEventListener('click', function () { choose(s); });
      s.addEventListener('keydown', function (ev) {
        if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); choose(s); }
      });
    });
    document.addEventListener('keydown', function (ev) {
      if (ev.key === 'Escape' && picking) { stopPicking(); say(''); }
    });
    document.querySelectorAll('.dispute-withdraw').forEach(function (b) {
      b.addEventListener('click', function () {
        b.disabled = true;
        send('DELETE', base + '/' + encodeURIComponent(b.dataset.finding)).then(function () {
          window.location.reload();
        }).catch(function (e) {
          b.disabled = false;
          say(str('disputeFailed') + ' ' + e.message, true);
        });
      });
    });
  }

  function initDrill(root) {
    var drillId = root.dataset.drill;
    var multi = root.dataset.multi === 'true';
    var key = 'revdrill.wip.' + drillId;
    var wip = load();
    var form = null;       // the open comment form: {row, editing}
    var anchor = null;     // the row where a drag started
    var cursor = -1;       // index into visibleRows()
    var status = document.getElementById('status');
    var textareas = root.querySelectorAll('textarea[data-item]');

    function load() {
      try {
        var v = JSON.parse(localStorage.getItem(key) || 'null');
        if (v && typeof v === 'object' && v.answers && Array.isArray(v.comments)) return v;
      } catch (e) { /* a broken draft starts over */ }
      return { answers: {}, comments: [], next: 1 };
    }
    // When the browser cannot keep the draft (storage full or turned off), the learner is told
    // at once, and leaving the page asks first: the text exists only on this page.
    var unkept = false;
    function save() {
      try {
        localStorage.setItem(key, JSON.stringify(wip));
        if (unkept) say('');
        unkept = false;
      } catch (e) {
        if (!unkept) say(str('nostore'), true);
        unkept = true;
      }
    }
    window.addEventListener('beforeunload', function (ev) {
      if (unkept) { ev.preventDefault(); ev.returnValue = ''; }
    });
    function say(text, isError) {
      status.textContent = text;
      status.className = isError ? 'error' : '';
    }

    // Checklist answers.
    var restored = wip.comments.length > 0;
    textareas.forEach(function (ta) {
      var v = wip.answers[ta.dataset.item];
      if (typeof v === 'string') { ta.value = v; if (v) restored = true; }
      ta.addEventListener('input', function () { wip.answers[ta.dataset.item] = ta.value; save(); });
    });
    if (restored) say(str('restored'));

    // Unified / split.
    var bU = document.getElementById('view-unified');
    var bS = document.getElementById('view-split');
    function setView(split) {
      closeForm();
      document.documentElement.classList.toggle('view-split', split);
      bU.setAttribute('aria-pressed', String(!split));
      bS.setAttribute('aria-pressed', String(split));
      try { localStorage.setItem(VIEW_KEY, split ? 'split' : 'unified'); } catch (e) { /* ignore */ }
      cursor = -1;
      renderComments();
    }
    bU.addEventListener('click', function () { setView(false); });
    bS.addEventListener('click', function () { setView(true); });
    setView(document.documentElement.classList.contains('view-split'));

    function visibleTables() {
      var split = document.documentElement.classList.contains('view-split');
      return root.querySelectorAll(split ? 'table.diff.split' : 'table.diff.unified');
    }
    function visibleRows() {
      var rows = [];
      visibleTables().forEach(function (t) { rows.push.apply(rows, t.querySelectorAll('tr[data-line]')); });
      return rows;
    }
    function fileOf(row) { return row.closest('.file').dataset.file; }
    function rowFor(table, line) { return table.querySelector('tr[data-line="' + line + '"]'); }
    function tableFor(file) {
      var out = null;
      visibleTables().forEach(function (t) { if (!out && (!file || t.closest('.file').dataset.file === file)) out = t; });
      return out;
    }
    function insertAfterComments(row, newRow) {
      var at = row;
      while (at.nextElementSibling && at.nextElementSibling.classList.contains('comment-row')) at = at.nextElementSibling;
      at.parentNode.insertBefore(newRow, at.nextElementSibling);
    }
    // The cell a comment goes in: the whole row, or the new (right) half in split view.
    function commentCell(tr, row) {
      var td = el('td');
      if (row.cells.length === 4) {
        var pad = el('td', 'pad');
        pad.colSpan = 2;
        tr.appendChild(pad);
        td.colSpan = 2;
      } else {
        td.colSpan = row.cells.length;
      }
      return td;
    }
    function lineLabel(c) {
      return c.start === c.end ? str('line') + ' ' + c.end : str('lines') + ' ' + c.start + '–' + c.end;
    }

    // Comments, drawn under their last line.
    function renderComments() {
      root.querySelectorAll('tr.comment-row:not(.form-row)').forEach(function (r) { r.remove(); });
      wip.comments.forEach(function (c) {
        var t = tableFor(c.file);
        var row = t && rowFor(t, c.end);
        if (!row) return;
        var tr = el('tr', 'comment-row');
        tr.dataset.comment = c.id;
        var td = commentCell(tr, row);
        var box = el('div', 'comment');
        var head = el('div', 'row');
        head.appendChild(el('span', 'sev sev-' + c.severity, str(c.severity)));
        head.appendChild(el('span', 'muted small', lineLabel(c)));
        box.appendChild(head);
        box.appendChild(el('div', 'body', c.body));
        var actions = el('div', 'actions');
        var edit = el('button', 'edit', str('edit'));
        edit.type = 'button';
        edit.addEventListener('click', function () { openForm(c.file, c.start, c.end, c); });
        var del = el('button', 'delete', str('delete'));
        del.type = 'button';
        del.addEventListener('click', function () {
          wip.comments = wip.comments.filter(function (x) { return x.id !== c.id; });
          save();
          renderComments();
        });
        actions.appendChild(edit);
        actions.appendChild(del);
        box.appendChild(actions);
        td.appendChild(box);
        tr.appendChild(td);
        insertAfterComments(row, tr);
      });
      var n = wip.comments.length;
      document.getElementById('comment-summary').textContent = n ? n + ' ' + str('ncomments') : '';
    }

    function markRange(table, start, end) {
      root.querySelectorAll('tr.selected').forEach(function (r) { r.classList.remove('selected'); });
      if (!table) return;
      table.querySelectorAll('tr[data-line]').forEach(function (r) {
        var n = Number(r.dataset.line);
        if (n >= start && n <= end) r.classList.add('selected');
      });
    }

    function closeForm() {
      if (form) form.row.remove();
      form = null;
      markRange(null);
    }

    // Keeps what is typed in an open comment form as a comment (or the edit), so that opening
    // another line or submitting never drops it. An explicit Cancel or Escape still discards.
    function keepPending() {
      if (form && form.keep) form.keep();
      closeForm();
    }

    function openForm(file, start, end, editing) {
      keepPending();
      renderComments();
      var t = tableFor(file);
      var row = t && rowFor(t, end);
      if (!row) return;
      markRange(t, start, end);
      var tr = el('tr', 'comment-row form-row');
      var td = commentCell(tr, row);
      var box = el('div', 'comment');
      var f = el('form');
      var top = el('div', 'row');
      var label = el('label', 'small muted', str('severity') + ' ');
      var sel = el('select', 'severity');
      SEVERITIES.forEach(function (s) {
        var o = el('option', null, str(s));
        o.value = s;
        sel.appendChild(o);
      });
      sel.value = editing ? editing.severity : 'major';
      label.appendChild(sel);
      top.appendChild(label);
      top.appendChild(el('span', 'muted small', lineLabel({ start: start, end: end })));
      var ta = el('textarea', 'body-input');
      ta.rows = 3;
      ta.placeholder = str('placeholder');
      ta.value = editing ? editing.body : '';
      var actions = el('div', 'actions');
      var ok = el('button', 'primary save', str('save'));
      ok.type = 'submit';
      var cancel = el('button', 'cancel', str('cancel'));
      cancel.type = 'button';
      actions.appendChild(ok);
      actions.appendChild(cancel);
      f.appendChild(top);
      f.appendChild(ta);
      f.appendChild(actions);
      box.appendChild(f);
      td.appendChild(box);
      tr.appendChild(td);
      insertAfterComments(row, tr);
      function keep() {
        var body = ta.value.trim();
        if (!body) return false;
        if (editing) {
          editing.body = body;
          editing.severity = sel.value;
        } else {
          wip.comments.push({ id: wip.next++, file: file, start: start, end: end, severity: sel.value, body: body });
        }
        save();
        return true;
      }
      form = { row: tr, keep: keep };
      f.addEventListener('submit', function (ev) {
        ev.preventDefault();
        if (!keep()) { ta.focus(); return; }
        closeForm();
        renderComments();
      });
      cancel.addEventListener('click', closeForm);
      ta.addEventListener('keydown', function (ev) {
        if (ev.key === 'Escape') { ev.preventDefault(); closeForm(); }
        if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) { ev.preventDefault(); f.requestSubmit(); }
      });
      ta.focus();
    }

    // Click a line number, or drag over several, to comment.
    root.addEventListener('mousedown', function (ev) {
      var td = ev.target.closest('td.nn');
      var row = td && td.closest('tr[data-line]');
      if (!row || ev.button !== 0) return;
      ev.preventDefault();
      anchor = row;
      markRange(row.closest('table'), Number(row.dataset.line), Number(row.dataset.line));
    });
    root.addEventListener('mouseover', function (ev) {
      if (!anchor) return;
      var row = ev.target.closest('tr[data-line]');
      if (!row || row.closest('table') !== anchor.closest('table')) return;
      var a = Number(anchor.dataset.line), b = Number(row.dataset.line);
      markRange(row.closest('table'), Math.min(a, b), Math.max(a, b));
    });
    document.addEventListener('mouseup', function (ev) {
      if (!anchor) return;
      var row = ev.target.closest && ev.target.closest('tr[data-line]');
      if (!row || row.closest('table') !== anchor.closest('table')) row = anchor;
      var a = Number(anchor.dataset.line), b = Number(row.dataset.line);
      var file = multi ? fileOf(anchor) : null;
      var rows = visibleRows();
      cursor = rows.indexOf(row);
      showCursor(rows);
      anchor = null;
      openForm(file, Math.min(a, b), Math.max(a, b));
    });

    // Keyboard: j / k between lines, c to comment on the line under the cursor.
    function showCursor(rows) {
      root.querySelectorAll('tr.cursor').forEach(function (r) { r.classList.remove('cursor'); });
      if (cursor < 0 || cursor >= rows.length) return;
      rows[cursor].classList.add('cursor');
      rows[cursor].scrollIntoView({ block: 'nearest' });
    }
    document.addEventListener('keydown', function (ev) {
      var tag = (ev.target.tagName || '').toLowerCase();
      if (tag === 'textarea' || tag === 'input' || tag === 'select' || ev.ctrlKey || ev.metaKey || ev.altKey) return;
      var rows = visibleRows();
      if (!rows.length) return;
      if (ev.key === 'j' || ev.key === 'k') {
        ev.preventDefault();
        cursor = ev.key === 'j' ? Math.min(rows.length - 1, cursor + 1) : Math.max(0, cursor - 1);
        showCursor(rows);
      } else if (ev.key === 'c' && cursor >= 0) {
        ev.preventDefault();
        var row = rows[cursor];
        var n = Number(row.dataset.line);
        openForm(multi ? fileOf(row) : null, n, n);
      } else if (ev.key === 'Escape') {
        closeForm();
      }
    });

    renderComments();

    document.getElementById('discard').addEventListener('click', function () {
      if (!window.confirm(str('discard'))) return;
      try { localStorage.removeItem(key); } catch (e) { /* ignore */ }
      wip = { answers: {}, comments: [], next: 1 };
      textareas.forEach(function (ta) { ta.value = ''; });
      closeForm();
      renderComments();
      unkept = false;
      say('');
    });

    // One submit: the answers and the comments, graded and stored by the server.
    var submit = document.getElementById('submit');
    submit.addEventListener('click', function () {
      if (form) { keepPending(); renderComments(); }
      var answers = {};
      textareas.forEach(function (ta) { if (ta.value.trim()) answers[ta.dataset.item] = ta.value; });
      var comments = wip.comments.map(function (c) {
        var o = { line: c.end, severity: c.severity, body: c.body };
        if (multi && c.file) o.file = c.file;
        return o;
      });
      if (!Object.keys(answers).length && !comments.length) { say(str('empty'), true); return; }
      submit.disabled = true;
      say(str('submitting'));
      var csrf = document.querySelector('meta[name="revdrill-csrf"]').content;
      fetch('/api/drills/' + encodeURIComponent(drillId) + '/attempts', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-revdrill-csrf': csrf },
        body: JSON.stringify({ drill: drillId, answers: answers, comments: comments }),
        credentials: 'same-origin'
      }).then(function (r) {
        return r.json().then(function (body) { return { ok: r.ok, body: body }; });
      }).then(function (res) {
        if (!res.ok) throw new Error(document.body.dataset.lang === 'zh' ? res.body.message_zh : res.body.message);
        try { localStorage.removeItem(key); } catch (e) { /* ignore */ }
        unkept = false; // stored by the server: nothing left to lose
        window.location.href = res.body.url;
      }).catch(function (e) {
        submit.disabled = false;
        say(str('failed') + ' ' + e.message, true);
      });
    });
  }
})();
