// @ts-check
// Account page: profile (name, email) and password.

import { get, patch, put, updateUser, getUser } from '../api.js';
import { h, replace, field, onSubmit, notice, formatDate, announce, clearFormErrors } from '../ui.js';
import { requireLogin, setFlash } from './common.js';
import { mfaSection, exportSection, deleteSection } from './account-security.js';
import { linkedProvidersSection } from './signin-providers.js';
import { t } from '../i18n.js';

const ROLE_LABELS = () => ({ admin: t('administrator'), instructor: t('instructor'), vendor: t('vendor'), student: t('student') });

function profileForm(user, onSaved) {
  const result = h('div', { 'aria-live': 'polite' });
  const pwField = field({
    label: t('current-password'), name: 'current_password', type: 'password', autocomplete: 'current-password',
    hint: t('needed-to-change-your-email-address'),
  });
  pwField.hidden = true;
  const form = h('form', { class: 'stack' },
    field({ label: t('name'), name: 'name', required: true, autocomplete: 'name', value: user.name || '', attrs: { maxlength: '200' } }),
    field({ label: t('email'), name: 'email', type: 'email', required: true, autocomplete: 'email', value: user.email || '', attrs: { maxlength: '254' } }),
    pwField,
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, t('save-profile'))),
    result);
  const emailInput = form.elements.namedItem('email');
  const pwInput = form.elements.namedItem('current_password');
  let original = user.email || '';
  const sync = () => {
    const changed = emailInput.value.trim().toLowerCase() !== original.toLowerCase();
    pwField.hidden = !changed;
    pwInput.required = changed;
    pwInput.disabled = !changed;
  };
  emailInput.addEventListener('input', sync);
  sync();
  onSubmit(form, async (values) => {
    replace(result);
    const body = { name: values.name, email: values.email };
    if (values.current_password) body.current_password = values.current_password;
    const updated = await patch('/users/me', body);
    const next = updated && updated.user ? updated.user : updated;
    if (next && next.email) {
      updateUser(next);
      original = next.email;
    } else {
      original = values.email;
    }
    pwInput.value = '';
    sync();
    onSaved(next && next.email ? next : { ...user, ...values });
    clearFormErrors(form);
    replace(result, notice(t('your-profile-was-saved')));
    announce(t('your-profile-was-saved'));
  }, { busyLabel: t('saving') });
  return form;
}

function passwordForm(user) {
  const result = h('div', { 'aria-live': 'polite' });
  const form = h('form', { class: 'stack' },
    // Lets password managers know whose password this is.
    h('input', { type: 'text', name: 'username', autocomplete: 'username', value: user.email || '', hidden: true, readonly: true, tabindex: '-1' }),
    field({ label: t('current-password'), name: 'current_password', type: 'password', required: true, autocomplete: 'current-password' }),
    field({ label: t('new-password'), name: 'new_password', type: 'password', required: true, autocomplete: 'new-password', hint: t('at-least-10-characters'), attrs: { minlength: '10', maxlength: '1024' } }),
    field({ label: t('repeat-new-password'), name: 'confirm_password', type: 'password', required: true, autocomplete: 'new-password' }),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, t('change-password'))),
    result);
  const a = form.elements.namedItem('new_password');
  const b = form.elements.namedItem('confirm_password');
  const check = () => b.setCustomValidity(b.value && a.value !== b.value ? t('the-two-passwords-do-not-match') : '');
  a.addEventListener('input', check);
  b.addEventListener('input', check);
  onSubmit(form, async (values) => {
    replace(result);
    await put('/users/me/password', { current_password: values.current_password, new_password: values.new_password });
    for (const name of ['current_password', 'new_password', 'confirm_password']) form.elements.namedItem(name).value = '';
    replace(result, notice(t('your-password-was-changed-you-were')));
    announce(t('your-password-was-changed'));
  }, { busyLabel: t('changing') });
  return form;
}

export async function accountPage(ctx) {
  const redirect = requireLogin(ctx);
  if (redirect) return redirect;
  let user = getUser();
  try {
    const me = await get('/users/me', null, { signal: ctx.signal });
    user = me && me.user ? me.user : me;
    updateUser(user);
  } catch (err) {
    if (err.name === 'AbortError') throw err;
    if (err.status === 401) return requireLogin(ctx) || { redirect: '/login?next=%2Faccount' };
    throw err;
  }
  const emailNode = h('strong', { class: 'account-email' }, user.email);
  const onSaved = (u) => {
    emailNode.textContent = u.email;
  };
  const node = h('section', { class: 'page container narrow' },
    h('div', { class: 'page-head' },
      h('h1', {}, t('your-account')),
      h('p', { class: 'lead' }, `${t('signed-in-as')} `, emailNode,
        user.role ? [' · ', ROLE_LABELS()[user.role] || user.role] : null,
        user.created_at ? [` ${t('member-since')} `, formatDate(user.created_at)] : null),
      h('p', {}, h('a', { href: '/account/membership' }, t('my-membership')))),
    h('section', { class: 'panel', 'aria-labelledby': 'profile-h' }, h('h2', { id: 'profile-h' }, t('profile')), profileForm(user, onSaved)),
    h('section', { class: 'panel', 'aria-labelledby': 'password-h' }, h('h2', { id: 'password-h' }, t('password')), passwordForm(user)),
    mfaSection(user),
    linkedProvidersSection(),
    exportSection(),
    deleteSection(user, () => {
      setFlash(t('your-account-was-deleted'));
      ctx.router.navigate('/login', { replace: true });
    }));
  return { title: t('your-account'), node };
}
