// The browser front end: sign in, the task inbox, a task's form (rendered from the
// field specs the API returns), starting a process, and a process's history. Plain
// DOM, no framework; bundled by esbuild when the API serves it.

interface FieldSpec {
  name: string;
  label?: string;
  type: 'string' | 'text' | 'number' | 'integer' | 'money' | 'boolean' | 'date' | 'datetime' | 'enum' | 'list' | 'unit';
  required?: boolean;
  min?: number;
  max?: number;
  options?: string[];
}

interface ApiError {
  error: { code: string; message: string; details: { field: string; reason: string }[] };
}

const main = document.getElementById('main')!;
let notice = '';

const token = () => sessionStorage.getItem('token');

async function api<T>(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: T }> {
  const res = await fetch(path, {
    method,
    headers: {
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(token() ? { authorization: `Bearer ${token()}` } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status === 401 && path !== '/api/auth/login') {
    sessionStorage.removeItem('token');
    location.hash = '#/login';
  }
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

/** Creates an element with attributes and children. */
function h(tag: string, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElement {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  el.append(...children);
  return el;
}

/** The navigation a page renders for; a page that finishes after the user moved on renders nothing. */
let navigation = 0;

function show(forNavigation: number, ...nodes: Node[]): void {
  if (forNavigation !== navigation) return;
  main.replaceChildren(...(notice ? [h('p', { class: 'notice', role: 'status' }, notice)] : []), ...nodes);
  notice = '';
}

// ------------------------------------------------------------------ forms

interface UnitOption {
  id: string;
  building: string;
  unitNo: string;
  layout: string;
  area: string;
  listPrice: string;
}

/** One input per field, named after it, with a place for its error. Unit fields choose among `units`. */
function fieldInput(field: FieldSpec, units: UnitOption[] = []): HTMLElement {
  const id = `f-${field.name}`;
  const common: Record<string, string> = { id, name: field.name, ...(field.required ? { required: '' } : {}) };
  let input: HTMLElement;
  switch (field.type) {
    case 'text':
      input = h('textarea', { ...common, rows: '3' });
      break;
    case 'boolean':
      input = h('input', { ...common, type: 'checkbox' });
      input.removeAttribute('required');
      break;
    case 'enum':
      input = h('select', common, h('option', { value: '' }, '—'), ...(field.options ?? []).map((o) => h('option', { value: o }, o)));
      break;
    case 'unit':
      input = h(
        'select',
        common,
        h('option', { value: '' }, '—'),
        ...units.map((u) => h('option', { value: u.id }, `${u.building}-${u.unitNo} · ${u.layout} · ${u.area} m² · ${u.listPrice}`)),
      );
      break;
    case 'number':
    case 'integer':
    case 'money':
      input = h('input', { ...common, type: 'number', step: field.type === 'integer' ? '1' : field.type === 'money' ? '0.01' : 'any' });
      break;
    case 'date':
      input = h('input', { ...common, type: 'date' });
      break;
    case 'datetime':
      input = h('input', { ...common, type: 'datetime-local' });
      break;
    case 'list':
      input = h('input', { ...common, type: 'text', placeholder: 'comma-separated' });
      break;
    default:
      input = h('input', { ...common, type: 'text' });
  }
  return h(
    'div',
    {},
    h('label', { for: id }, field.label ?? field.name),
    input,
    h('div', { class: 'error', 'data-error-for': field.name }),
  );
}

/** Reads the form's values by field type; empty optional fields are left out. */
function readForm(form: HTMLFormElement, fields: FieldSpec[]): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const field of fields) {
    const el = form.elements.namedItem(field.name) as HTMLInputElement | null;
    if (!el) continue;
    if (field.type === 'boolean') {
      data[field.name] = el.checked;
      continue;
    }
    const raw = el.value.trim();
    if (raw === '') continue;
    if (field.type === 'number' || field.type === 'integer' || field.type === 'money') data[field.name] = Number(raw);
    else if (field.type === 'datetime') data[field.name] = new Date(raw).toISOString();
    else if (field.type === 'list')
      data[field.name] = raw
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    else data[field.name] = raw;
  }
  return data;
}

/** Shows a 400's field errors beside their fields, and anything else at the top. */
function showErrors(form: HTMLFormElement, prefix: string, error: ApiError['error']): void {
  form.querySelectorAll('[data-error-for]').forEach((e) => (e.textContent = ''));
  const general = form.querySelector('[data-error-for="_"]')!;
  general.textContent = error.details.length ? '' : error.message;
  for (const d of error.details) {
    const name = d.field.startsWith(prefix) ? d.field.slice(prefix.length) : d.field;
    const slot = form.querySelector(`[data-error-for="${name}"]`) ?? general;
    slot.textContent = slot === general ? `${d.field}: ${d.reason}` : d.reason;
  }
}

// ------------------------------------------------------------------ pages

function loginPage(nav: number): void {
  const form = h(
    'form',
    { id: 'login' },
    h('h2', {}, 'Sign in'),
    fieldInput({ name: 'username', type: 'string', label: 'User name', required: true }),
    fieldInput({ name: 'password', type: 'string', label: 'Password', required: true }),
    h('div', { class: 'error', 'data-error-for': '_' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Sign in')),
  ) as HTMLFormElement;
  (form.elements.namedItem('password') as HTMLInputElement).type = 'password';
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const res = await api<{ token: string } & ApiError>(
      'POST',
      '/api/auth/login',
      readForm(form, [
        { name: 'username', type: 'string' },
        { name: 'password', type: 'string' },
      ]),
    );
    if (res.status !== 200) return showErrors(form, 'body.', res.body.error);
    sessionStorage.setItem('token', res.body.token);
    location.hash = '#/tasks';
  });
  show(nav, form);
}

async function tasksPage(nav: number): Promise<void> {
  const res = await api<
    {
      id: string;
      title: string;
      processId: string;
      dueAtDisplay: string;
      overdue: boolean;
      escalationLevel: number;
      assigneeRole: string;
    }[]
  >('GET', '/api/tasks?mine=true');
  const rows = res.body.map((t) =>
    h(
      'tr',
      { 'data-task': t.id },
      h('td', {}, h('a', { href: `#/tasks/${t.id}` }, t.title)),
      h('td', {}, h('a', { href: `#/processes/${encodeURIComponent(t.processId)}` }, t.processId)),
      h('td', { class: t.overdue ? 'overdue' : '' }, t.dueAtDisplay),
      h('td', {}, t.escalationLevel > 0 ? h('span', { class: 'badge' }, `escalated to ${t.assigneeRole}`) : t.assigneeRole),
    ),
  );
  show(
    nav,
    h('h2', {}, `My tasks (${rows.length})`),
    rows.length
      ? h('table', {}, h('tr', {}, h('th', {}, 'Task'), h('th', {}, 'Process'), h('th', {}, 'Due'), h('th', {}, 'Assigned')), ...rows)
      : h('p', {}, 'Nothing to do.'),
  );
}

async function taskPage(nav: number, id: string): Promise<void> {
  const res = await api<
    {
      title: string;
      processId: string;
      projectId: string;
      dueAtDisplay: string;
      status: string;
      form: FieldSpec[];
      outcomes: string[];
    } & ApiError
  >('GET', `/api/tasks/${id}`);
  if (res.status !== 200) return show(nav, h('p', { class: 'error' }, res.body.error.message));
  const task = res.body;
  // A form that asks for a unit offers the project's available ones.
  const units = task.form.some((f) => f.type === 'unit')
    ? (await api<{ units: UnitOption[] }>('GET', `/api/units?projectId=${encodeURIComponent(task.projectId)}&status=available`)).body.units
    : [];
  // One key per rendering: a double click or a retried request acts once.
  const idempotencyKey = crypto.randomUUID();
  const buttons = task.outcomes.map((o) => h('button', { type: 'submit', value: o, name: 'outcome' }, o));
  const form = h(
    'form',
    { id: 'task-form' },
    ...task.form.map((f) => fieldInput(f, units)),
    h('div', { class: 'error', 'data-error-for': '_' }),
    h('div', { class: 'actions' }, ...buttons),
  ) as HTMLFormElement;
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const outcome = ((e as SubmitEvent).submitter as HTMLButtonElement | null)?.value ?? task.outcomes[0];
    buttons.forEach((b) => b.setAttribute('disabled', ''));
    const done = await api<ApiError>(
      'POST',
      `/api/tasks/${id}/complete`,
      { outcome, data: readForm(form, task.form) },
      { 'idempotency-key': idempotencyKey },
    );
    buttons.forEach((b) => b.removeAttribute('disabled'));
    if (done.status !== 200) return showErrors(form, 'body.data.', done.body.error);
    notice = `Done: ${task.title}`;
    location.hash = '#/tasks';
  });
  show(
    nav,
    h('h2', {}, task.title),
    h(
      'p',
      {},
      'Process ',
      h('a', { href: `#/processes/${encodeURIComponent(task.processId)}` }, task.processId),
      ` · due ${task.dueAtDisplay}`,
    ),
    task.status === 'open' ? form : h('p', {}, `This task is ${task.status}.`),
  );
}

async function processPage(nav: number, id: string): Promise<void> {
  const res = await api<{ title: string; status: string; history: { at: string; type: string; actorName: string | null }[] } & ApiError>(
    'GET',
    `/api/processes/${encodeURIComponent(id)}`,
  );
  if (res.status !== 200) return show(nav, h('p', { class: 'error' }, res.body.error.message));
  const p = res.body;
  show(
    nav,
    h('h2', {}, `${p.title} — ${p.status}`),
    h('p', {}, id),
    h('h3', {}, 'History'),
    h(
      'ol',
      { class: 'history' },
      ...p.history.map((e) => h('li', {}, `${new Date(e.at).toLocaleString()} · ${e.type} · ${e.actorName ?? ''}`)),
    ),
  );
}

async function startPage(nav: number, key?: string): Promise<void> {
  const [definitions, projects] = await Promise.all([
    api<{ key: string; title: string }[]>('GET', '/api/definitions'),
    api<{ id: string; name: string }[]>('GET', '/api/projects'),
  ]);
  const list = h('ul', {}, ...definitions.body.map((d) => h('li', {}, h('a', { href: `#/start/${d.key}` }, `${d.title} (${d.key})`))));
  if (!key) return show(nav, h('h2', {}, 'Start a process'), list);
  const def = await api<{ title: string; input: FieldSpec[] }>('GET', `/api/definitions/${key}`);
  const project = h('select', { name: 'projectId', id: 'f-projectId' }, ...projects.body.map((p) => h('option', { value: p.id }, p.name)));
  const form = h(
    'form',
    { id: 'start-form' },
    h('label', { for: 'f-projectId' }, 'Project'),
    project,
    ...def.body.input.map((f) => fieldInput(f)),
    h('div', { class: 'error', 'data-error-for': '_' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Start')),
  ) as HTMLFormElement;
  const idempotencyKey = crypto.randomUUID();
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const res = await api<{ id: string } & ApiError>(
      'POST',
      '/api/processes',
      { definition: key, projectId: (project as HTMLSelectElement).value, input: readForm(form, def.body.input) },
      { 'idempotency-key': idempotencyKey },
    );
    if (res.status !== 201 && res.status !== 200) return showErrors(form, 'body.input.', res.body.error);
    notice = `Started ${res.body.id}`;
    location.hash = '#/tasks';
  });
  show(nav, h('h2', {}, def.body.title), form);
}

// ------------------------------------------------------------------ routing

async function route(): Promise<void> {
  const [, page, ...rest] = location.hash.replace(/^#/, '').split('/');
  const nav = ++navigation;
  const signedIn = Boolean(token());
  document.getElementById('nav')!.hidden = !signedIn;
  if (!signedIn || page === 'login') return loginPage(nav);
  const me = await api<{ displayName: string }>('GET', '/api/auth/me');
  document.getElementById('who')!.textContent = me.body?.displayName ?? '';
  const arg = rest.length ? decodeURIComponent(rest.join('/')) : undefined;
  if (page === 'tasks' && arg) return taskPage(nav, arg);
  if (page === 'processes' && arg) return processPage(nav, arg);
  if (page === 'start') return startPage(nav, arg);
  return tasksPage(nav);
}

document.getElementById('logout')!.addEventListener('click', async () => {
  await api('POST', '/api/auth/logout');
  sessionStorage.removeItem('token');
  location.hash = '#/login';
});
window.addEventListener('hashchange', () => void route());
void route();
