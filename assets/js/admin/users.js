// @ts-check
// Admin > Users: search, filter by role, change role, disable and enable.

import { get, put, post, getUser } from '../api.js';
import { h, replace, loading, emptyState, errorBox, pagination, formatDate, announce, uid } from '../ui.js';
import { t } from '../i18n.js';

const ROLES = () => ([['admin', t('admin')], ['instructor', t('instructor')], ['vendor', t('vendor')], ['student', t('student')]]);
const PER_PAGE = 25;

function isDisabled(u) {
  return Boolean(u.disabled || u.disabled_at || u.status === 'disabled' || u.is_disabled);
}

function mfaLabel(u) {
  const on = u.mfa_enabled ?? u.mfa ?? u.totp_enabled;
  if (on === undefined || on === null) return '—';
  return on ? t('on') : t('off');
}

export async function usersPage(ctx) {
  const params = new URLSearchParams();
  for (const key of ['q', 'role']) if (ctx.query.get(key)) params.set(key, ctx.query.get(key));
  let page = Math.max(1, Number(ctx.query.get('page')) || 1);
  const me = getUser();

  const qId = uid('q');
  const roleId = uid('role');
  const form = h('form', { class: 'toolbar', role: 'search', 'aria-label': t('search-users') },
    h('div', { class: 'field' }, h('label', { for: qId }, t('search')),
      h('input', { id: qId, name: 'q', type: 'search', placeholder: t('name-or-email'), value: params.get('q') || '', autocomplete: 'off' })),
    h('div', { class: 'field' }, h('label', { for: roleId }, t('role')),
      h('select', { id: roleId, name: 'role' },
        h('option', { value: '' }, t('all-roles')),
        ROLES().map(([v, l]) => h('option', { value: v, selected: params.get('role') === v }, l)))),
    h('button', { type: 'submit', class: 'btn btn-primary' }, t('search')));

  const status = h('p', { class: 'results-status', role: 'status' });
  const results = h('div', { class: 'results' });
  const hrefFor = (p) => {
    const q = new URLSearchParams(params);
    if (p > 1) q.set('page', String(p));
    const s = q.toString();
    return s ? `/admin/users?${s}` : '/admin/users';
  };

  function row(u) {
    const self = me && u.id === me.id;
    const disabled = isDisabled(u);
    const name = u.name || u.email;
    const rowMsg = h('span', { class: 'row-msg', 'aria-live': 'polite' });
    const roleSelect = h('select', { 'aria-label': t('role-of-name', { name }), disabled: self, title: self ? t('you-cannot-change-your-own-role') : null },
      ROLES().map(([v, l]) => h('option', { value: v, selected: u.role === v }, l)));
    const saveRole = h('button', { type: 'button', class: 'btn btn-secondary btn-small', hidden: true }, t('save-role'));
    roleSelect.addEventListener('change', () => {
      saveRole.hidden = roleSelect.value === u.role;
    });
    saveRole.addEventListener('click', async () => {
      const label = (ROLES().find(([v]) => v === roleSelect.value) || [])[1] || roleSelect.value;
      if (!window.confirm(t('make-name-role', { name, role: label }))) return;
      saveRole.disabled = true;
      try {
        const updated = await put(`/admin/users/${encodeURIComponent(u.id)}/role`, { role: roleSelect.value });
        u.role = (updated && updated.role) || roleSelect.value;
        saveRole.hidden = true;
        replace(rowMsg, t('saved-2'));
        announce(t('name-is-now-role', { name, role: u.role }));
        roleSelect.focus();
      } catch (err) {
        replace(rowMsg, h('span', { class: 'error-text' }, err.userMessage));
        roleSelect.focus();
      } finally {
        saveRole.disabled = false;
      }
    });
    const toggle = h('button', {
      type: 'button',
      class: ['btn', 'btn-small', disabled ? 'btn-secondary' : 'btn-danger-outline'],
      disabled: self,
      'aria-label': `${disabled ? t('enable') : t('disable')} ${name}`,
    }, disabled ? t('enable') : t('disable'));
    toggle.addEventListener('click', async () => {
      const enabling = isDisabled(u);
      // eslint-disable-next-line no-alert
      if (!enabling && !window.confirm(t('disable-name-they-are-logged-out', { name }))) return;
      toggle.disabled = true;
      try {
        await post(`/admin/users/${encodeURIComponent(u.id)}/${enabling ? 'enable' : 'disable'}`, {});
        announce(enabling ? t('name-was-enabled', { name }) : t('name-was-disabled', { name }));
        await load({ focusSelector: `[data-user="${u.id}"] .btn-toggle` });
      } catch (err) {
        toggle.disabled = false;
        replace(rowMsg, h('span', { class: 'error-text' }, err.userMessage));
      }
    });
    toggle.classList.add('btn-toggle');
    return h('tr', { dataset: { user: u.id } },
      h('th', { scope: 'row' }, h('span', { class: 'cell-name' }, u.name || '—', self ? h('span', { class: 'chip' }, t('you')) : null),
        h('span', { class: 'cell-sub' }, u.email)),
      h('td', {}, h('div', { class: 'cell-role' }, roleSelect, saveRole)),
      h('td', {}, h('span', { class: ['status', disabled ? 'status-off' : 'status-on'] }, disabled ? t('disabled') : t('active'))),
      h('td', {}, mfaLabel(u), providersDetails(u)),
      h('td', {}, formatDate(u.created_at)),
      h('td', {}, toggle, rowMsg));
  }

  let seq = 0;
  /** @param {{ focusSelector?: string }} [opts] where focus goes after loading */
  async function load({ focusSelector } = {}) {
    const mine = ++seq;
    results.setAttribute('aria-busy', 'true');
    if (!results.firstChild) replace(results, loading(t('loading-users')));
    try {
      const query = { page, per_page: PER_PAGE };
      for (const [k, v] of params) query[k] = v;
      const body = await get('/admin/users', query, { signal: ctx.signal });
      if (mine !== seq) return;
      const items = body.items || [];
      const total = Number(body.total ?? items.length);
      status.textContent = t('count-user', { count: total });
      if (!items.length) {
        replace(results, emptyState(t('no-users-match'), t('try-another-name-email-or-role')));
      } else {
        replace(results,
          h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': t('users-table') },
            h('table', { class: 'table' },
              h('caption', { class: 'visually-hidden' }, t('users')),
              h('thead', {}, h('tr', {},
                h('th', { scope: 'col' }, t('user')), h('th', { scope: 'col' }, t('role')), h('th', { scope: 'col' }, t('status')),
                h('th', { scope: 'col' }, t('mfa')), h('th', { scope: 'col' }, t('joined')), h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, t('actions'))))),
              h('tbody', {}, items.map(row)))),
          pagination({ total, page: body.page || page, per_page: body.per_page || PER_PAGE }, hrefFor, { label: t('user-pages') }));
      }
      if (focusSelector) {
        const el = results.querySelector(focusSelector);
        if (el) el.focus();
      }
    } catch (err) {
      if (err.name === 'AbortError' || mine !== seq) return;
      replace(results, errorBox(err, { retry: () => load() }));
    } finally {
      if (mine === seq) results.removeAttribute('aria-busy');
    }
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    params.delete('q');
    params.delete('role');
    const data = new FormData(form);
    for (const key of ['q', 'role']) {
      const v = String(data.get(key) || '').trim();
      if (v) params.set(key, v);
    }
    page = 1;
    ctx.router.navigate(hrefFor(1), { silent: true });
    load();
  });
  form.addEventListener('change', (e) => {
    if (e.target instanceof HTMLSelectElement) form.requestSubmit();
  });
  results.addEventListener('click', (e) => {
    const a = e.target instanceof Element ? e.target.closest('.pagination a[href]') : null;
    if (!a || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    page = Math.max(1, Number(new URL(a.href).searchParams.get('page')) || 1);
    ctx.router.navigate(hrefFor(page), { silent: true });
    load({ focusSelector: '.table-wrap' });
  });

  await load();
  return {
    title: t('users'),
    node: h('section', { class: 'page' },
      h('div', { class: 'page-head' }, h('h1', {}, t('users')), h('p', { class: 'lead' }, t('find-people-change-their-role-or'))),
      form, status, results),
  };
}

/** The user's linked sign-in providers, fetched when opened. */
function providersDetails(u) {
  const list = h('span', { class: 'cell-sub' });
  const details = h('details', { class: 'user-providers' }, h('summary', {}, t('sign-in-providers')), list);
  details.addEventListener('toggle', async () => {
    if (!details.open || list.dataset.loaded) return;
    list.dataset.loaded = '1';
    try {
      const items = await get(`/admin/users/${encodeURIComponent(u.id)}/identities`);
      replace(list, items.length ? items.map((i) => h('span', { class: 'chip' }, `${i.provider}: ${i.email}`)) : t('none-password-only'));
    } catch (err) {
      replace(list, h('span', { class: 'error-text' }, err.userMessage));
    }
  });
  return details;
}
