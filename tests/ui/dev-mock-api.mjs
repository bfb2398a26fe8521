// In-memory stand-in for the documented /api shapes, for UI development only
// (dev-server.mjs --mock-api). Not used by the browser tests, which run
// against the real binary. Seeded admin: admin@example.com / "admin password 1".

import { randomUUID } from 'node:crypto';

const now = () => new Date().toISOString();

function problem(res, status, title, detail, errors) {
  res.writeHead(status, { 'Content-Type': 'application/problem+json' });
  res.end(JSON.stringify({ type: 'about:blank', title, status, detail, ...(errors ? { errors } : {}) }));
}

function json(res, status, body, headers = {}) {
  if (status === 204) {
    res.writeHead(204, headers);
    return res.end();
  }
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  return res.end(JSON.stringify(body));
}

async function readJson(req) {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return {};
  return JSON.parse(text);
}

function paginate(list, url) {
  const page = Math.max(1, Number(url.searchParams.get('page')) || 1);
  const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get('per_page')) || 20));
  return { items: list.slice((page - 1) * perPage, page * perPage), total: list.length, page, per_page: perPage };
}

function seed() {
  const categories = [
    { id: 'cat-dev', name: 'Development', parent_id: null },
    { id: 'cat-web', name: 'Web', parent_id: 'cat-dev' },
    { id: 'cat-data', name: 'Data', parent_id: 'cat-dev' },
    { id: 'cat-design', name: 'Design', parent_id: null },
    { id: 'cat-books', name: 'Books', parent_id: null },
  ];
  const tags = ['beginner', 'rust', 'sql', 'typography', 'project'].map((n) => ({ id: `tag-${n}`, name: n }));
  const courseTitles = [
    ['Rust from zero', 4900, 'cat-dev', ['rust', 'beginner'], 'beginner'],
    ['SQLite in depth', 2900, 'cat-data', ['sql'], 'intermediate'],
    ['Accessible web forms', 0, 'cat-web', ['beginner'], 'beginner'],
    ['Typography for screens', 3900, 'cat-design', ['typography'], 'all levels'],
    ['Building an API with axum', 5900, 'cat-web', ['rust', 'project'], 'advanced'],
    ['Intro to data analysis', 0, 'cat-data', ['beginner', 'sql'], 'beginner'],
    ['Colour and contrast', 1900, 'cat-design', [], 'beginner'],
    ['Testing in a real browser', 2500, 'cat-web', ['project'], 'intermediate'],
  ];
  const courses = [];
  for (let i = 0; i < 14; i += 1) {
    const [title, price, cat, tg, level] = courseTitles[i % courseTitles.length];
    courses.push({
      id: randomUUID(), title: i < courseTitles.length ? title : `${title} (part ${Math.floor(i / courseTitles.length) + 1})`,
      slug: `course-${i}`, description: `Learn **${title.toLowerCase()}** step by step.\n\nYou will:\n\n- watch short videos\n- read clear notes\n- check yourself with quizzes\n\nNo prior experience needed.`,
      price_cents: price, currency: 'USD', category_id: cat, tags: tg.map((t) => ({ id: `tag-${t}`, name: t })), level, status: 'published',
      rating_average: i % 3 === 0 ? 4.6 : i % 3 === 1 ? 4.1 : 0, rating_count: i % 3 === 2 ? 0 : 3 + i,
      lesson_count: 6, total_duration_seconds: 3600 + i * 600, instructor_id: 'inst', instructor_name: 'Ada Teacher',
      created_at: new Date(Date.now() - i * 86400000).toISOString(), updated_at: now(),
    });
  }
  const products = [
    ['Schoolhouse notebook', 1200, 'physical', 40, 'cat-books'],
    ['Rust pocket reference (PDF)', 900, 'digital', null, 'cat-books'],
    ['Sticker pack', 400, 'physical', 0, 'cat-design'],
    ['Course workbook', 2400, 'physical', 5, 'cat-books'],
    ['Icon set download', 1500, 'digital', null, 'cat-design'],
  ].map(([name, price, kind, stock, cat], i) => ({
    id: randomUUID(), name, slug: `product-${i}`, description: `A ${kind} item: **${name}**.`, kind, price_cents: price, currency: 'USD',
    stock_quantity: stock, sku: `SKU-${100 + i}`, category_id: cat, tags: [], images: [], status: 'published', created_at: now(),
  }));
  const users = [{ id: randomUUID(), email: 'admin@example.com', name: 'Alex Admin', role: 'admin', password: 'admin password 1', disabled: false, mfa_enabled: true, created_at: now() }];
  const roles = ['student', 'student', 'student', 'instructor', 'vendor'];
  for (let i = 0; i < 30; i += 1) {
    users.push({ id: randomUUID(), email: `user${i}@example.com`, name: `User ${i}`, role: roles[i % roles.length], password: 'user password 1', disabled: i % 9 === 4, mfa_enabled: false, created_at: now() });
  }
  const reviews = new Map();
  courses.forEach((c) => reviews.set(c.id, Array.from({ length: c.rating_count }, (_, k) => ({
    id: randomUUID(), rating: 3 + (k % 3), comment: k % 2 ? 'Clear and well paced.' : 'Exactly what I needed to get started. The quizzes helped a lot.', user_name: `Learner ${k + 1}`, created_at: now(),
  }))));
  return { categories, tags, courses, products, users, reviews, sessions: new Map(), refresh: new Map(), carts: new Map(), enrolments: new Set() };
}

export function createMockApi() {
  const db = seed();
  const publicUser = (u) => ({ id: u.id, email: u.email, name: u.name, role: u.role, disabled: u.disabled, mfa_enabled: u.mfa_enabled, created_at: u.created_at });

  function issue(res, user, status = 200) {
    const access = randomUUID();
    const refresh = randomUUID();
    db.sessions.set(access, user.id);
    db.refresh.set(refresh, user.id);
    return json(res, status, { access_token: access, refresh_token: refresh, token_type: 'Bearer', expires_in: 900, user: publicUser(user) },
      { 'Set-Cookie': `refresh_token=${refresh}; HttpOnly; SameSite=Strict; Path=/api/auth` });
  }

  function authed(req) {
    const m = /^Bearer (.+)$/.exec(req.headers.authorization || '');
    const id = m && db.sessions.get(m[1]);
    const user = id && db.users.find((u) => u.id === id && !u.disabled);
    return user || null;
  }

  function cartView(user) {
    const items = (db.carts.get(user.id) || []).map((it) => {
      const src = it.item_type === 'course' ? db.courses.find((c) => c.id === it.item_id) : db.products.find((p) => p.id === it.item_id);
      return { ...it, name: src.title || src.name, unit_price_cents: src.price_cents, line_total_cents: src.price_cents * it.quantity, available: true };
    });
    const subtotal = items.reduce((n, i) => n + i.line_total_cents, 0);
    const tax = Math.round(subtotal * 0.2);
    const shipping = items.some((i) => i.item_type === 'product' && db.products.find((p) => p.id === i.item_id).kind === 'physical') ? 500 : 0;
    return { items, subtotal_cents: subtotal, discount_cents: 0, tax_cents: tax, shipping_cents: shipping, total_cents: subtotal + tax + shipping, currency: 'USD', warnings: [] };
  }

  function filterList(list, url, isCourse) {
    const q = (url.searchParams.get('q') || '').toLowerCase();
    let out = list.filter((x) => !q || (x.title || x.name).toLowerCase().includes(q) || x.description.toLowerCase().includes(q));
    const cat = url.searchParams.get('category');
    if (cat) out = out.filter((x) => x.category_id === cat || db.categories.find((c) => c.id === x.category_id)?.parent_id === cat);
    const tag = url.searchParams.get('tag');
    if (tag) out = out.filter((x) => x.tags.some((t) => t.id === tag));
    const min = url.searchParams.get('min_price');
    const max = url.searchParams.get('max_price');
    if (min) out = out.filter((x) => x.price_cents >= Number(min));
    if (max) out = out.filter((x) => x.price_cents <= Number(max));
    if (url.searchParams.get('free') === 'true') out = out.filter((x) => x.price_cents === 0);
    const kind = url.searchParams.get('kind');
    if (kind && !isCourse) out = out.filter((x) => x.kind === kind);
    const sort = url.searchParams.get('sort') || '';
    const key = sort.replace(/^-/, '');
    const field = key === 'price' ? 'price_cents' : key === 'title' ? (isCourse ? 'title' : 'name') : key === 'rating' ? 'rating_average' : key;
    if (field) out = out.slice().sort((a, b) => (a[field] > b[field] ? 1 : a[field] < b[field] ? -1 : 0) * (sort.startsWith('-') || key === 'rating' ? -1 : 1));
    return out;
  }

  return async function handle(req, res, url) {
    const p = url.pathname.replace(/^\/api/, '');
    const m = req.method;
    let body = {};
    if (m !== 'GET' && m !== 'DELETE') {
      try {
        body = await readJson(req);
      } catch {
        return problem(res, 400, 'Bad Request', 'The request body is not valid JSON.');
      }
    }
    const user = authed(req);
    let r;

    if (m === 'POST' && p === '/auth/register') {
      const errors = [];
      if (!body.name) errors.push({ field: 'name', message: 'Name is required.' });
      if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(body.email || '')) errors.push({ field: 'email', message: 'Enter a valid email address.' });
      if ((body.password || '').length < 10) errors.push({ field: 'password', message: 'Use at least 10 characters.' });
      if (errors.length) return problem(res, 422, 'Unprocessable Entity', 'Some fields need attention.', errors);
      const email = body.email.trim().toLowerCase();
      if (db.users.some((u) => u.email === email)) return problem(res, 409, 'Conflict', 'An account with this email already exists.', [{ field: 'email', message: 'This email is already registered.' }]);
      const u = { id: randomUUID(), email, name: body.name, role: 'student', password: body.password, disabled: false, mfa_enabled: false, created_at: now() };
      db.users.push(u);
      return json(res, 201, { user: publicUser(u) });
    }
    if (m === 'POST' && p === '/auth/login') {
      const u = db.users.find((x) => x.email === String(body.email || '').toLowerCase() && x.password === body.password && !x.disabled);
      if (!u) return problem(res, 401, 'Unauthorized', 'Wrong email or password.');
      if (u.mfa_enabled) {
        const t = randomUUID();
        db.refresh.set(`mfa:${t}`, u.id);
        return json(res, 200, { mfa_required: true, mfa_token: t });
      }
      return issue(res, u);
    }
    if (m === 'POST' && p === '/auth/mfa') {
      const id = db.refresh.get(`mfa:${body.mfa_token}`);
      if (!id || body.code !== '123456') return problem(res, 401, 'Unauthorized', 'That code is not valid. Try the current code from your app.', [{ field: 'code', message: 'Invalid code.' }]);
      db.refresh.delete(`mfa:${body.mfa_token}`);
      return issue(res, db.users.find((u) => u.id === id));
    }
    if (m === 'POST' && p === '/auth/refresh') {
      const cookie = /(?:^|;\s*)refresh_token=([^;]+)/.exec(req.headers.cookie || '');
      const token = body.refresh_token || (cookie && cookie[1]);
      const id = token && db.refresh.get(token);
      if (!id) return problem(res, 401, 'Unauthorized', 'No valid refresh token.');
      db.refresh.delete(token);
      return issue(res, db.users.find((u) => u.id === id));
    }
    if (m === 'POST' && p === '/auth/logout') {
      const t = (req.headers.authorization || '').replace('Bearer ', '');
      db.sessions.delete(t);
      return json(res, 204, null, { 'Set-Cookie': 'refresh_token=; Max-Age=0; Path=/api/auth' });
    }
    if (m === 'POST' && p === '/auth/password-reset/request') return json(res, 202, {});
    if (m === 'POST' && p === '/auth/password-reset/confirm') {
      if (body.token !== 'good') return problem(res, 422, 'Unprocessable Entity', 'This reset link is invalid or has expired.', [{ field: 'token', message: 'Invalid or expired token.' }]);
      return json(res, 204);
    }
    if (m === 'POST' && p === '/setup') {
      if (db.users.some((u) => u.role === 'admin' && u.email !== 'admin@example.com')) return problem(res, 409, 'Conflict', 'An admin already exists.');
      const u = { id: randomUUID(), email: body.email, name: 'Admin', role: 'admin', password: body.password, disabled: false, mfa_enabled: false, created_at: now() };
      db.users.push(u);
      return json(res, 201, { user: publicUser(u) });
    }

    if (p === '/categories' && m === 'GET') return json(res, 200, paginate(db.categories, url));
    if (p === '/tags' && m === 'GET') return json(res, 200, paginate(db.tags, url));
    if (p === '/courses' && m === 'GET') return json(res, 200, paginate(filterList(db.courses, url, true), url));
    if (p === '/products' && m === 'GET') return json(res, 200, paginate(filterList(db.products, url, false), url));
    if ((r = /^\/courses\/([^/]+)$/.exec(p)) && m === 'GET') {
      const c = db.courses.find((x) => x.id === r[1]);
      return c ? json(res, 200, c) : problem(res, 404, 'Not Found', 'No such course.');
    }
    if ((r = /^\/courses\/([^/]+)\/lessons$/.exec(p)) && m === 'GET') {
      const mk = (t, type, prev, d) => ({ id: randomUUID(), title: t, content_type: type, is_preview: prev, duration_seconds: d, locked: !prev });
      return json(res, 200, {
        sections: [
          { id: 's1', title: 'Getting started', lessons: [mk('Welcome', 'video', true, 240), mk('How this course works', 'reading', true, 300), mk('Set up your tools', 'video', false, 720)] },
          { id: 's2', title: 'The core ideas', lessons: [mk('First steps', 'video', false, 900), mk('Check yourself', 'quiz', false, 0), mk('Small project', 'assignment', false, 0)] },
        ],
      });
    }
    if ((r = /^\/courses\/([^/]+)\/reviews$/.exec(p)) && m === 'GET') return json(res, 200, paginate(db.reviews.get(r[1]) || [], url));
    if ((r = /^\/courses\/([^/]+)\/progress$/.exec(p)) && m === 'GET') {
      if (!user) return problem(res, 401, 'Unauthorized', 'Log in first.');
      if (!db.enrolments.has(`${user.id}:${r[1]}`)) return problem(res, 404, 'Not Found', 'Not enrolled.');
      return json(res, 200, { percent: 0, completed_lesson_ids: [], time_spent_seconds: 0, last_lesson_id: null, status: 'active', completed_at: null });
    }
    if ((r = /^\/courses\/([^/]+)\/enroll$/.exec(p)) && m === 'POST') {
      if (!user) return problem(res, 401, 'Unauthorized', 'Log in first.');
      const c = db.courses.find((x) => x.id === r[1]);
      if (!c) return problem(res, 404, 'Not Found', 'No such course.');
      if (c.price_cents > 0) return problem(res, 402, 'Payment Required', `This course costs $${(c.price_cents / 100).toFixed(2)}. Buy it to enrol.`);
      db.enrolments.add(`${user.id}:${c.id}`);
      return json(res, 201, { id: randomUUID(), course_id: c.id, status: 'active' });
    }
    if ((r = /^\/products\/([^/]+)$/.exec(p)) && m === 'GET') {
      const x = db.products.find((y) => y.id === r[1]);
      return x ? json(res, 200, x) : problem(res, 404, 'Not Found', 'No such product.');
    }

    if (!user) return problem(res, 401, 'Unauthorized', 'Log in to continue.');

    if (p === '/users/me' && m === 'GET') return json(res, 200, publicUser(user));
    if (p === '/users/me' && m === 'PATCH') {
      if (body.email && body.email !== user.email && body.current_password !== user.password) return problem(res, 422, 'Unprocessable Entity', 'Your current password is needed to change your email.', [{ field: 'current_password', message: 'Wrong password.' }]);
      if (body.name) user.name = body.name;
      if (body.email) user.email = body.email.toLowerCase();
      return json(res, 200, publicUser(user));
    }
    if (p === '/users/me/password' && m === 'PUT') {
      if (body.current_password !== user.password) return problem(res, 422, 'Unprocessable Entity', 'Your current password is not right.', [{ field: 'current_password', message: 'Wrong password.' }]);
      user.password = body.new_password;
      return json(res, 204);
    }
    if (p === '/cart' && m === 'GET') return json(res, 200, cartView(user));
    if (p === '/cart' && m === 'POST') {
      const cart = db.carts.get(user.id) || [];
      const existing = cart.find((i) => i.item_type === body.item_type && i.item_id === body.item_id);
      if (existing && body.item_type === 'course') return problem(res, 409, 'Conflict', 'This course is already in your cart.');
      if (existing) existing.quantity += body.quantity || 1;
      else cart.push({ id: randomUUID(), item_type: body.item_type, item_id: body.item_id, quantity: body.quantity || 1 });
      db.carts.set(user.id, cart);
      return json(res, 201, cart[cart.length - 1]);
    }
    if ((r = /^\/cart\/([^/]+)$/.exec(p))) {
      const cart = db.carts.get(user.id) || [];
      const item = cart.find((i) => i.id === r[1]);
      if (!item) return problem(res, 404, 'Not Found', 'No such cart item.');
      if (m === 'DELETE') {
        db.carts.set(user.id, cart.filter((i) => i !== item));
        return json(res, 204);
      }
      if (m === 'PATCH') {
        const prod = db.products.find((x) => x.id === item.item_id);
        if (prod && prod.stock_quantity !== null && body.quantity > prod.stock_quantity) return problem(res, 409, 'Conflict', `Only ${prod.stock_quantity} left in stock.`);
        item.quantity = body.quantity;
        return json(res, 200, item);
      }
    }

    if (p.startsWith('/admin/') && user.role !== 'admin') return problem(res, 403, 'Forbidden', 'Admins only.');
    if (p === '/admin/users' && m === 'GET') {
      const q = (url.searchParams.get('q') || '').toLowerCase();
      const role = url.searchParams.get('role');
      const list = db.users.filter((u) => (!q || u.email.includes(q) || u.name.toLowerCase().includes(q)) && (!role || u.role === role));
      const page = paginate(list.map(publicUser), url);
      return json(res, 200, page);
    }
    if ((r = /^\/admin\/users\/([^/]+)\/(role|disable|enable)$/.exec(p))) {
      const target = db.users.find((u) => u.id === r[1]);
      if (!target) return problem(res, 404, 'Not Found', 'No such user.');
      if (r[2] === 'role') {
        if (!['admin', 'instructor', 'vendor', 'student'].includes(body.role)) return problem(res, 422, 'Unprocessable Entity', 'Unknown role.', [{ field: 'role', message: 'Unknown role.' }]);
        target.role = body.role;
      } else {
        target.disabled = r[2] === 'disable';
      }
      return json(res, 200, publicUser(target));
    }
    return problem(res, 404, 'Not Found', `No route for ${m} ${url.pathname} in the mock API.`);
  };
}
