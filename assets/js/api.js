// @ts-check
// Fetch wrapper for the schoolhouse REST API under /api.
//
// - JSON in, JSON out; problem+json errors become ApiError.
// - The access token lives in this module's memory only (never in
//   localStorage or sessionStorage). The refresh token is an HttpOnly cookie
//   scoped to /api/auth that this code never sees.
// - On a 401 the request is retried once after POST /api/auth/refresh.
// - restoreSession() asks for a fresh access token at start-up, so a reload
//   keeps the user signed in without storing anything readable by scripts.

import { problemSentence } from './words.js';
import { t, intlLocale } from './i18n.js';

const API_BASE = '/api';

let accessToken = null;
let currentUser = null;
let refreshInFlight = null;
const listeners = new Set();

/** An error answered by the API (RFC 9457 problem+json) or a network failure. */
export class ApiError extends Error {
  constructor({ status = 0, title = '', detail = '', type = 'about:blank', errors = [], body = null } = {}) {
    super(detail || title || (status ? `Request failed (${status})` : 'Network error'));
    this.name = 'ApiError';
    this.status = status;
    this.title = title;
    this.detail = detail;
    this.type = type;
    this.errors = Array.isArray(errors) ? errors : [];
    this.body = body;
  }

  /** The sentence to show a person. */
  get userMessage() {
    if (this.status === 0) return t('could-not-reach-the-server-check');
    if (this.detail) return problemSentence(this.detail);
    if (this.title) return sentenceCase(this.title);
    if (this.status === 429) return t('too-many-attempts-please-wait-a');
    if (this.status >= 500) return t('something-went-wrong-on-the-server');
    return t('the-request-failed-status', { status: this.status });
  }
}

/** "the setup token is not valid" -> "The setup token is not valid." */
function sentenceCase(text) {
  const t = String(text).trim();
  if (!t) return t;
  const first = t.charAt(0).toUpperCase() + t.slice(1);
  return /[.!?)]$/.test(first) ? first : `${first}.`;
}

// ---------------------------------------------------------------- session --

/** The signed-in user, or null. */
export function getUser() {
  return currentUser;
}

export function isSignedIn() {
  return accessToken !== null && currentUser !== null;
}

export function hasRole(...roles) {
  return currentUser !== null && roles.includes(currentUser.role);
}

/** Subscribe to sign-in / sign-out / profile changes. Returns an unsubscribe function. */
export function onSessionChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

function emit() {
  for (const fn of listeners) {
    try {
      fn(currentUser);
    } catch (e) {
      console.error(e);
    }
  }
}

function setSession(body) {
  accessToken = body && body.access_token ? body.access_token : null;
  currentUser = accessToken && body.user ? body.user : null;
  emit();
}

function clearSession() {
  const had = accessToken !== null || currentUser !== null;
  accessToken = null;
  currentUser = null;
  if (had) emit();
}

/** Replace the cached user after a profile change. */
export function updateUser(user) {
  if (!accessToken) return;
  currentUser = user;
  emit();
}

// ---------------------------------------------------------------- request --

function buildUrl(path, query) {
  const url = new URL(API_BASE + path, window.location.origin);
  if (query) {
    for (const [key, value] of Object.entries(query)) {
      if (value === undefined || value === null || value === '' || value === false) continue;
      url.searchParams.set(key, String(value));
    }
  }
  return url.pathname + url.search;
}

async function readBody(res) {
  if (res.status === 204 || res.status === 205) return null;
  const type = res.headers.get('content-type') || '';
  const text = await res.text();
  if (!text) return null;
  if (type.includes('json')) {
    try {
      return JSON.parse(text);
    } catch {
      return null;
    }
  }
  return text;
}

function toError(res, body) {
  if (body && typeof body === 'object') {
    return new ApiError({
      status: res.status,
      title: body.title || res.statusText,
      detail: body.detail || '',
      type: body.type,
      errors: body.errors,
      body,
    });
  }
  return new ApiError({ status: res.status, title: res.statusText, body });
}

/**
 * @typedef {object} ApiOptions
 * @property {string} [method] HTTP method, GET when absent
 * @property {any} [body] an object sent as JSON, or FormData sent as it is
 * @property {Record<string, any> | null} [query] query parameters; empty values are dropped
 * @property {AbortSignal} [signal]
 * @property {Record<string, string>} [headers]
 * @property {boolean} [retry] one refresh-and-retry on 401 (default true)
 * @property {boolean} [raw] resolve with the Response itself when it is OK
 */

/**
 * @param {string} path
 * @param {ApiOptions} options
 * @returns {Promise<Response>}
 */
async function rawFetch(path, { method, body, query, signal, headers: extra }) {
  /** @type {Record<string, string>} */
  // Problem messages in the page's language (the server also reads the profile and the cookie).
  const headers = { Accept: 'application/json, application/problem+json', 'Accept-Language': intlLocale(), ...extra };
  /** @type {RequestInit} */
  const init = { method, headers, credentials: 'same-origin', signal };
  if (body !== undefined) {
    if (body instanceof FormData) {
      init.body = body;
    } else {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
  }
  if (accessToken) headers.Authorization = `Bearer ${accessToken}`;
  try {
    return await fetch(buildUrl(path, query), init);
  } catch (e) {
    if (e && e.name === 'AbortError') throw e;
    throw new ApiError({ status: 0 });
  }
}

/**
 * Call the API. `path` starts after /api (e.g. '/courses').
 * Options: method, body (object -> JSON), query (object, empty values dropped),
 * signal, retry (default true: one refresh-and-retry on 401), raw (resolve with
 * the Response itself when it is OK, e.g. for a file download).
 * Resolves with the parsed body (null for 204); rejects with ApiError.
 * @param {string} path
 * @param {ApiOptions} [options]
 * @returns {Promise<any>}
 */
export async function api(path, { method = 'GET', body, query, signal, retry = true, headers, raw = false } = {}) {
  const sentWith = accessToken;
  let res = await rawFetch(path, { method, body, query, signal, headers });
  // An expired access token: trade the refresh cookie for a new one, once.
  // (Signed-out callers have no cookie worth trying.)
  if (res.status === 401 && retry && accessToken !== null && !path.startsWith('/auth/')) {
    // Another request may have refreshed the token meanwhile.
    const fresh = accessToken !== sentWith || await refresh();
    if (fresh) {
      res = await rawFetch(path, { method, body, query, signal, headers });
    } else {
      clearSession();
    }
  }
  // raw: the caller reads the body itself (downloads); errors are still ApiErrors.
  if (raw && res.ok) return res;
  const data = await readBody(res);
  if (!res.ok) throw toError(res, data);
  return data;
}

/** @type {(path: string, query?: Record<string, any> | null, opts?: ApiOptions) => Promise<any>} */
export const get = (path, query, opts = {}) => api(path, { ...opts, query });
/** @typedef {(path: string, body?: any, opts?: ApiOptions) => Promise<any>} Send */
/** @type {Send} */
export const post = (path, body = {}, opts = {}) => api(path, { ...opts, method: 'POST', body });
/** @type {Send} */
export const put = (path, body = {}, opts = {}) => api(path, { ...opts, method: 'PUT', body });
/** @type {Send} */
export const patch = (path, body = {}, opts = {}) => api(path, { ...opts, method: 'PATCH', body });
/** @type {Send} */
export const del = (path, body, opts = {}) => api(path, { ...opts, method: 'DELETE', body });

// ------------------------------------------------------------------- auth --

async function doRefresh() {
  let res;
  try {
    res = await fetch(`${API_BASE}/auth/refresh`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json, application/problem+json' },
      body: '{}',
    });
  } catch {
    return false;
  }
  if (!res.ok) {
    clearSession();
    return false;
  }
  const body = await readBody(res);
  if (!body || !body.access_token) {
    clearSession();
    return false;
  }
  setSession(body);
  return true;
}

/**
 * Exchange the refresh cookie for a new access token. Concurrent callers share
 * one request; across tabs a Web Lock (where available) serialises refreshes
 * so two tabs never present the same, already-rotated cookie.
 */
export function refresh() {
  if (!refreshInFlight) {
    const run = () => doRefresh();
    const locked = navigator.locks && typeof navigator.locks.request === 'function'
      ? navigator.locks.request('schoolhouse-refresh', run)
      : run();
    refreshInFlight = locked.finally(() => {
      refreshInFlight = null;
    });
  }
  return refreshInFlight;
}

/**
 * Called once at start-up: silently restores a session from the refresh cookie. The server
 * sets the readable `sh_session` cookie beside it, so a visitor who never signed in (or
 * signed out) makes no refresh request that could only fail.
 */
export async function restoreSession() {
  if (!document.cookie.split(';').some((c) => c.trim().startsWith('sh_session='))) return null;
  return refresh();
}

/**
 * POST /api/auth/login. Resolves with {user} when signed in or
 * {mfa_required: true, mfa_token} when a second factor is needed.
 */
export async function login(email, password) {
  const body = await api('/auth/login', { method: 'POST', body: { email, password }, retry: false });
  if (body && body.mfa_required) return { mfa_required: true, mfa_token: body.mfa_token };
  setSession(body);
  return { user: currentUser };
}

/** POST /api/auth/mfa: finishes a login that needed a second factor. */
export async function loginMfa(mfaToken, code) {
  const body = await api('/auth/mfa', { method: 'POST', body: { mfa_token: mfaToken, code }, retry: false });
  setSession(body);
  return { user: currentUser };
}

/** POST /api/auth/login-link: signs in with a one-time link from `schoolhouse user login-link`. */
export async function loginWithLink(token) {
  const body = await api('/auth/login-link', { method: 'POST', body: { token }, retry: false });
  setSession(body);
  return { user: currentUser };
}

/** POST /api/auth/logout; the local session is dropped whatever the answer. */
export async function logout() {
  try {
    if (accessToken) await api('/auth/logout', { method: 'POST', body: {}, retry: false });
  } catch {
    // The session ends locally anyway.
  } finally {
    clearSession();
  }
}

// --------------------------------------------------------------- download --

/**
 * Fetch a file the API serves to signed-in users (certificate PDF, data
 * export ZIP) with the bearer token, and hand it to the browser as a
 * download. Resolves with the file name; rejects with ApiError.
 */
export async function download(path, fallbackName = 'download') {
  const sentWith = accessToken;
  const accept = { Accept: '*/*' };
  let res = await rawFetch(path, { method: 'GET', headers: accept });
  if (res.status === 401 && accessToken !== null) {
    const fresh = accessToken !== sentWith || await refresh();
    if (!fresh) clearSession();
    else res = await rawFetch(path, { method: 'GET', headers: accept });
  }
  if (!res.ok) throw toError(res, await readBody(res));
  const blob = await res.blob();
  const disposition = res.headers.get('content-disposition') || '';
  const m = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition);
  const name = m ? decodeURIComponent(m[1]) : fallbackName;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
  return name;
}
