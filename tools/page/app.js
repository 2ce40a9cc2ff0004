// The search page of nsearch serve.  It reads what to show from its own
// address (/?q=...&rubric=...&date=...&offset=...&exact=1), so that a search
// is a link and the back button works, asks /api/search, and builds the
// results with DOM calls only: every piece of document text goes in through
// textContent, never as HTML, and a link is made only of an http(s) URL.
'use strict';
(function () {
  const PAGE = 10;
  const FACETS = 'rubric,date:year,date:month';
  const MONTHS = ['января', 'февраля', 'марта', 'апреля', 'мая', 'июня', 'июля',
    'августа', 'сентября', 'октября', 'ноября', 'декабря'];
  const MONTHS_NOM = ['январь', 'февраль', 'март', 'апрель', 'май', 'июнь', 'июль',
    'август', 'сентябрь', 'октябрь', 'ноябрь', 'декабрь'];

  const params = new URLSearchParams(location.search);
  const state = {
    q: (params.get('q') || '').trim(),
    rubric: params.get('rubric') || null,
    date: /^\d{4}(-\d\d){0,2}$/.test(params.get('date') || '') ? params.get('date') : null,
    offset: Math.min(10000, Math.max(0, parseInt(params.get('offset') || '0', 10) || 0)),
    exact: params.get('exact') === '1',
  };

  const $ = (id) => document.getElementById(id);

  // An element with attributes and children (strings become text nodes).
  function el(tag, attrs, ...kids) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {}))
      if (v !== null && v !== undefined && v !== false) e.setAttribute(k, v === true ? '' : v);
    for (const k of kids)
      if (k !== null && k !== undefined) e.append(k);
    return e;
  }

  // This page's address with some of its state changed (null removes).
  function pageUrl(changes) {
    const s = Object.assign({}, state, changes);
    const p = new URLSearchParams();
    if (s.q) p.set('q', s.q);
    if (s.rubric) p.set('rubric', s.rubric);
    if (s.date) p.set('date', s.date);
    if (s.exact) p.set('exact', '1');
    if (s.offset) p.set('offset', String(s.offset));
    return '/?' + p.toString();
  }

  // A rubric as a filter of the query language, or null when it cannot be
  // written as one (a quote inside).
  function rubricFilter(v) {
    return v.includes('"') ? null : 'rubric:"' + v + '"';
  }

  // The query sent to the API: the filters, then what the reader typed, in
  // brackets when there are filters (so that an OR in it stays inside; the
  // library matches the words as it would without the filters).
  function apiQuery() {
    const parts = [];
    if (state.rubric && rubricFilter(state.rubric)) parts.push(rubricFilter(state.rubric));
    if (state.date) parts.push('date:' + state.date);
    if (!parts.length) return state.q;
    parts.push('(' + state.q + ')');
    return parts.join(' ');
  }

  // q with the word from replaced by to where it stands as a whole word.
  function replaceWord(q, from, to) {
    const esc = from.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return q.replace(new RegExp('(?<![\\p{L}\\p{N}])' + esc + '(?![\\p{L}\\p{N}])', 'u'), () => to);
  }

  // What the rescue searched, as the reader typed it (without the filters).
  function searchedAs(data) {
    let q = state.q;
    for (const w of data.rewrites || [])
      if (!w.suggested) q = replaceWord(q, w.from, w.to);
    return q;
  }

  function plural(n, one, few, many) {
    const m10 = n % 10, m100 = n % 100;
    if (m10 === 1 && m100 !== 11) return one;
    if (m10 >= 2 && m10 <= 4 && (m100 < 12 || m100 > 14)) return few;
    return many;
  }

  function number(n) {
    return n.toLocaleString('ru-RU');
  }

  // "2024-03-01 10:00:00+03:00" -> "1 марта 2024, 10:00" (as written, in
  // the article's own time); "2024-03-01" -> "1 марта 2024".
  function formatDate(s) {
    const m = /^(\d{4})-(\d\d)-(\d\d)(?:[ T](\d\d):(\d\d))?/.exec(s || '');
    if (!m) return s || '';
    const day = parseInt(m[3], 10) + ' ' + MONTHS[parseInt(m[2], 10) - 1] + ' ' + m[1];
    return m[4] ? day + ', ' + m[4] + ':' + m[5] : day;
  }

  // A date bucket's label: "2024", "март 2024", "1 марта 2024".
  function bucketLabel(v) {
    const m = /^(\d{4})(?:-(\d\d))?(?:-(\d\d))?$/.exec(v);
    if (!m || !m[2]) return v;
    if (!m[3]) return MONTHS_NOM[parseInt(m[2], 10) - 1] + ' ' + m[1];
    return formatDate(v);
  }

  // The URL when it is an http(s) one, else null (no javascript: links).
  function safeUrl(u) {
    if (!u) return null;
    try {
      const x = new URL(u);
      return x.protocol === 'http:' || x.protocol === 'https:' ? x.href : null;
    } catch (e) {
      return null;
    }
  }

  // text with the byte ranges [start, end) of its UTF-8 in <mark>.
  const enc = new TextEncoder(), dec = new TextDecoder();
  function marked(text, ranges) {
    const frag = document.createDocumentFragment();
    const bytes = enc.encode(text || '');
    let at = 0;
    for (const [s, e] of ranges || []) {
      if (s < at || e > bytes.length || s >= e) continue;
      frag.append(dec.decode(bytes.subarray(at, s)));
      frag.append(el('mark', null, dec.decode(bytes.subarray(s, e))));
      at = e;
    }
    frag.append(dec.decode(bytes.subarray(at)));
    return frag;
  }

  function titleLink(h, cls) {
    const title = h.title ? marked(h.title, h.title_highlights) : 'Без заголовка';
    const url = safeUrl(h.url);
    return url ? el('a', { href: url, class: cls, rel: 'noopener noreferrer' }, title)
      : el('span', { class: cls }, title);
  }

  function meta(h) {
    const m = el('div', { class: 'meta' });
    if (h.date) m.append(el('time', { datetime: h.date }, formatDate(h.date)));
    if (h.rubric) m.append(el('span', { class: 'rubric' }, h.rubric));
    const url = safeUrl(h.url);
    if (url) m.append(el('span', { class: 'host' }, new URL(url).hostname));
    if (h.partial) m.append(el('span', { class: 'partial' }, 'не все слова запроса'));
    return m;
  }

  function duplicates(h) {
    const n = h.duplicates.length;
    const list = el('ul');
    for (const d of h.duplicates) {
      const li = el('li', null, titleLink(d));
      if (d.date) li.append(' · ', el('time', { datetime: d.date }, formatDate(d.date)));
      list.append(li);
    }
    return el('details', { class: 'dups' },
      el('summary', null, '+' + n + ' ' + plural(n, 'похожая', 'похожие', 'похожих') +
        ' ' + plural(n, 'публикация', 'публикации', 'публикаций')), list);
  }

  function hit(h) {
    const li = el('li', { class: 'hit' }, el('h2', null, titleLink(h)), meta(h));
    if (h.snippet) li.append(el('p', { class: 'snippet' }, marked(h.snippet, h.highlights)));
    if (h.duplicates && h.duplicates.length) li.append(duplicates(h));
    return li;
  }

  function notices(data) {
    const box = $('notices');
    if (data.searched) {
      box.append(el('p', { class: 'notice-strong' }, 'Показаны результаты по запросу «',
        el('b', null, searchedAs(data)), '». ',
        el('a', { href: pageUrl({ exact: true, offset: 0 }) }, 'Искать «' + state.q + '»'),
        ' как написано.'));
    }
    for (const w of data.rewrites || []) {
      if (!w.suggested) continue;
      const q = replaceWord(state.q, w.from, w.to);
      box.append(el('p', null, 'Возможно, вы имели в виду ',
        el('a', { href: pageUrl({ q: q, offset: 0, exact: false }) }, '«' + w.to + '»'), '?'));
    }
    if (data.notice) box.append(el('p', { class: 'status' }, data.notice));
    if (!data.total && !data.partial) {
      box.append(el('p', { class: 'notice-strong' }, 'Ничего не найдено по запросу «' +
        state.q + '».'));
      if (data.why_none) box.append(el('p', { class: 'status' }, data.why_none));
    }
  }

  function status(data) {
    const parts = [];
    const n = data.total;
    parts.push('Найдено ' + number(n) + ' ' + plural(n, 'документ', 'документа', 'документов'));
    if (data.partial)
      parts.push('ещё ' + number(data.partial) + ' содержат не все слова');
    if (data.examined && data.stories < data.examined)
      parts.push('похожие публикации свёрнуты');
    parts.push(data.ms.toFixed(1).replace('.', ',') + ' мс');
    $('status').textContent = parts.join(' · ');
  }

  function filters() {
    const box = $('filters');
    const chip = (label, change) => box.append(el('span', { class: 'chip' }, label,
      el('a', { href: pageUrl(Object.assign({ offset: 0 }, change)), 'aria-label': 'Убрать' },
        '×')));
    if (state.rubric) chip('Рубрика: ' + state.rubric, { rubric: null });
    if (state.date) chip('Период: ' + bucketLabel(state.date), { date: null });
  }

  function facetList(title, buckets, key, current, label) {
    const ul = el('ul');
    for (const b of buckets) {
      if (b.value === null || (key === 'rubric' && !rubricFilter(b.value))) continue;
      const text = label ? label(b.value) : b.value;
      const item = b.value === current ? el('span', { class: 'on' }, text)
        : el('a', { href: pageUrl({ [key]: b.value, offset: 0 }), 'data-facet': key }, text);
      ul.append(el('li', null, item, el('span', { class: 'count' }, number(b.count))));
    }
    return ul.children.length ? [el('h3', null, title), ul] : [];
  }

  function facets(data) {
    const f = data.facets;
    if (!f || !data.total) return;
    const box = $('facets');
    box.append(...facetList('Рубрики', (f.rubric || []).slice(0, 12), 'rubric', state.rubric));
    const years = f['date:year'] || [], months = f['date:month'] || [];
    if (years.filter((b) => b.value !== null).length > 1)
      box.append(...facetList('Годы', years.slice().reverse().slice(0, 12), 'date',
        state.date, bucketLabel));
    else
      box.append(...facetList('Месяцы', months.slice().reverse().slice(0, 12), 'date',
        state.date, bucketLabel));
  }

  function pager(data) {
    const nav = $('pager');
    const shown = state.offset + data.returned;
    // a page holds stories: when every match was looked at, count those
    const full = data.examined && data.examined >= data.total ? data.stories : data.total;
    const all = full + (data.partial || 0);
    if (state.offset > 0)
      nav.append(el('a', { href: pageUrl({ offset: Math.max(0, state.offset - PAGE) }),
        rel: 'prev' }, '← Предыдущие'));
    if (data.returned)
      nav.append(el('span', { class: 'here' },
        (state.offset + 1) + '–' + shown + ' из ' + number(all)));
    if (data.returned === PAGE && shown < all && shown < 10000)
      nav.append(el('a', { href: pageUrl({ offset: shown }), rel: 'next' }, 'Следующие →'));
  }

  async function getJSON(url) {
    const resp = await fetch(url, { headers: { Accept: 'application/json' } });
    const data = await resp.json().catch(() => ({ error: 'ответ сервера не JSON' }));
    if (!resp.ok) throw new Error(data.error || ('HTTP ' + resp.status));
    return data;
  }

  async function search() {
    const url = '/api/search?' + new URLSearchParams({
      q: apiQuery(), n: String(PAGE), offset: String(state.offset), facets: FACETS,
      exact: state.exact ? '1' : '0',
    }).toString();
    $('status').textContent = 'Ищем…';
    const data = await getJSON(url);
    status(data);
    notices(data);
    filters();
    const list = $('results');
    list.start = state.offset + 1;
    for (const h of data.hits) list.append(hit(h));
    facets(data);
    pager(data);
    document.body.dataset.ready = 'results';
  }

  async function welcome() {
    const s = await getJSON('/api/stats');
    const parts = ['В индексе ' + number(s.docs) + ' ' +
      plural(s.docs, 'документ', 'документа', 'документов')];
    if (s.first_date && s.last_date)
      parts.push('с ' + formatDate(s.first_date) + ' по ' + formatDate(s.last_date));
    $('status').textContent = parts.join(' ') + '.';
    document.body.dataset.ready = 'welcome';
  }

  function start() {
    const box = $('q');
    box.value = state.q;
    box.defaultValue = state.q;
    document.title = state.q ? state.q + ' — Поиск по новостям' : 'Поиск по новостям';
    (state.q ? search() : welcome()).catch((e) => {
      $('status').textContent = '';
      $('notices').append(el('p', { class: 'error' }, 'Ошибка: ' + e.message));
      document.body.dataset.ready = 'error';
    });
    if (!state.q) box.focus();
    // Back and forward restore what was typed into the box last (even a
    // query never submitted): show the query of these results instead.
    window.addEventListener('pageshow', () => { box.value = state.q; });
  }

  start();
})();
