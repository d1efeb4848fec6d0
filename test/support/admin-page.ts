import assert from 'node:assert/strict';
import type { System } from './system';

/** A logged-in admin page session over HTTP: read pages, press their buttons (forms), as a browser would. */
export interface AdminPage {
  cookie: string;
  page(path: string): Promise<{ status: number; html: string }>;
  press(
    action: string,
    fields: Record<string, string>,
    csrf: string,
  ): Promise<{ status: number; location: string; html: string }>;
}

/** Logs in to /admin with the system's admin key. */
export async function adminPage(system: System): Promise<AdminPage> {
  const login = await fetch(`${system.apiUrl}/admin/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ key: system.adminKey }),
  });
  assert.equal(login.status, 303);
  const cookie = login.headers.get('set-cookie')!.split(';')[0];
  return {
    cookie,
    async page(path) {
      const res = await fetch(`${system.apiUrl}${path}`, { headers: { cookie }, redirect: 'manual' });
      return { status: res.status, html: await res.text() };
    },
    async press(action, fields, csrf) {
      const res = await fetch(`${system.apiUrl}${action}`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', origin: system.apiUrl },
        body: new URLSearchParams({ csrf, ...fields }),
      });
      return {
        status: res.status,
        location: decodeURIComponent(res.headers.get('location') ?? ''),
        html: await res.text(),
      };
    },
  };
}

/** The CSRF token of a page's forms. */
export const csrfOf = (html: string) => /name="csrf" value="([^"]+)"/.exec(html)![1];
