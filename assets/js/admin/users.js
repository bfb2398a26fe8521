// @ts-check
// Admin > Users: search, filter by role, change role, disable and enable.

import { get, put, post, getUser } from '../api.js';
import { h, replace, loading, emptyState, errorBox, pagination, formatDate, announce, uid, plural } from '../ui.js';

const ROLES = [['admin', 'Admin'], ['instructor', 'Instructor'], ['vendor', 'Vendor'], ['student', 'Student']];
const PER_PAGE = 25;

function isDisabled(u) {
  return Boolean(u.disabled || u.disabled_at || u.status === 'disabled' || u.is_disabled);
}

function mfaLabel(u) {
  const on = u.mfa_enabled ?? u.mfa ?? u.totp_enabled;
  if (on === undefined || on === null) return '—';
  return on ? 'On' : 'Off';
}

export async function usersPage(ctx) {
  const params = new URLSearchParams();
  for (const key of ['q', 'role']) if (ctx.query.get(key)) params.set(key, ctx.query.get(key));
  let page = Math.max(1, Number(ctx.query.get('page')) || 1);
  const me = getUser();

  const qId = uid('q');
  const roleId = uid('role');
  const form = h('form', { class: 'toolbar', role: 'search', 'aria-label': 'Search users' },
    h('div', { class: 'field' }, h('label', { for: qId }, 'Search'),
      h('input', { id: qId, name: 'q', type: 'search', placeholder: 'Name or email', value: params.get('q') || '', autocomplete: 'off' })),
    h('div', { class: 'field' }, h('label', { for: roleId }, 'Role'),
      h('select', { id: roleId, name: 'role' },
        h('option', { value: '' }, 'All roles'),
        ROLES.map(([v, l]) => h('option', { value: v, selected: params.get('role') === v }, l)))),
    h('button', { type: 'submit', class: 'btn btn-primary' }, 'Search'));

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
    const roleSelect = h('select', { 'aria-label': `Role of ${name}`, disabled: self, title: self ? 'You cannot change your own role' : null },
      ROLES.map(([v, l]) => h('option', { value: v, selected: u.role === v }, l)));
    const saveRole = h('button', { type: 'button', class: 'btn btn-secondary btn-small', hidden: true }, 'Save role');
    roleSelect.addEventListener('change', () => {
      saveRole.hidden = roleSelect.value === u.role;
    });
    saveRole.addEventListener('click', async () => {
      const label = (ROLES.find(([v]) => v === roleSelect.value) || [])[1] || roleSelect.value;
      if (!window.confirm(`Make ${name} ${/^[aeiou]/i.test(label) ? 'an' : 'a'} ${label.toLowerCase()}? What they may see and change follows the new role from their next click.`)) return;
      saveRole.disabled = true;
      try {
        const updated = await put(`/admin/users/${encodeURIComponent(u.id)}/role`, { role: roleSelect.value });
        u.role = (updated && updated.role) || roleSelect.value;
        saveRole.hidden = true;
        replace(rowMsg, 'Saved');
        announce(`${name} is now ${u.role}.`);
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
      'aria-label': `${disabled ? 'Enable' : 'Disable'} ${name}`,
    }, disabled ? 'Enable' : 'Disable');
    toggle.addEventListener('click', async () => {
      const enabling = isDisabled(u);
      // eslint-disable-next-line no-alert
      if (!enabling && !window.confirm(`Disable ${name}? They are logged out at once and cannot log in until enabled again.`)) return;
      toggle.disabled = true;
      try {
        await post(`/admin/users/${encodeURIComponent(u.id)}/${enabling ? 'enable' : 'disable'}`, {});
        announce(`${name} was ${enabling ? 'enabled' : 'disabled'}.`);
        await load({ focusSelector: `[data-user="${u.id}"] .btn-toggle` });
      } catch (err) {
        toggle.disabled = false;
        replace(rowMsg, h('span', { class: 'error-text' }, err.userMessage));
      }
    });
    toggle.classList.add('btn-toggle');
    return h('tr', { dataset: { user: u.id } },
      h('th', { scope: 'row' }, h('span', { class: 'cell-name' }, u.name || '—', self ? h('span', { class: 'chip' }, 'You') : null),
        h('span', { class: 'cell-sub' }, u.email)),
      h('td', {}, h('div', { class: 'cell-role' }, roleSelect, saveRole)),
      h('td', {}, h('span', { class: ['status', disabled ? 'status-off' : 'status-on'] }, disabled ? 'Disabled' : 'Active')),
      h('td', {}, mfaLabel(u), providersDetails(u)),
      h('td', {}, formatDate(u.created_at)),
      h('td', {}, toggle, rowMsg));
  }

  let seq = 0;
  /** @param {{ focusSelector?: string }} [opts] where focus goes after loading */
  async function load({ focusSelector } = {}) {
    const mine = ++seq;
    results.setAttribute('aria-busy', 'true');
    if (!results.firstChild) replace(results, loading('Loading users…'));
    try {
      const query = { page, per_page: PER_PAGE };
      for (const [k, v] of params) query[k] = v;
      const body = await get('/admin/users', query, { signal: ctx.signal });
      if (mine !== seq) return;
      const items = body.items || [];
      const total = Number(body.total ?? items.length);
      status.textContent = plural(total, 'user');
      if (!items.length) {
        replace(results, emptyState('No users match.', 'Try another name, email or role.'));
      } else {
        replace(results,
          h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': 'Users table' },
            h('table', { class: 'table' },
              h('caption', { class: 'visually-hidden' }, 'Users'),
              h('thead', {}, h('tr', {},
                h('th', { scope: 'col' }, 'User'), h('th', { scope: 'col' }, 'Role'), h('th', { scope: 'col' }, 'Status'),
                h('th', { scope: 'col' }, 'MFA'), h('th', { scope: 'col' }, 'Joined'), h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Actions')))),
              h('tbody', {}, items.map(row)))),
          pagination({ total, page: body.page || page, per_page: body.per_page || PER_PAGE }, hrefFor, { label: 'User pages' }));
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
    title: 'Users',
    node: h('section', { class: 'page' },
      h('div', { class: 'page-head' }, h('h1', {}, 'Users'), h('p', { class: 'lead' }, 'Find people, change their role, or disable an account.')),
      form, status, results),
  };
}

/** The user's linked sign-in providers, fetched when opened. */
function providersDetails(u) {
  const list = h('span', { class: 'cell-sub' });
  const details = h('details', { class: 'user-providers' }, h('summary', {}, 'Sign-in providers'), list);
  details.addEventListener('toggle', async () => {
    if (!details.open || list.dataset.loaded) return;
    list.dataset.loaded = '1';
    try {
      const items = await get(`/admin/users/${encodeURIComponent(u.id)}/identities`);
      replace(list, items.length ? items.map((i) => h('span', { class: 'chip' }, `${i.provider}: ${i.email}`)) : 'None (password only)');
    } catch (err) {
      replace(list, h('span', { class: 'error-text' }, err.userMessage));
    }
  });
  return details;
}
