import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';
import { assertSupportedNode } from './node-version.ts';

describe('config', () => {
  it('defaults to SQLite under ./data on port 8080', () => {
    const c = loadConfig({});
    expect(c.database).toMatchObject({ kind: 'sqlite' });
    expect(c.database.kind === 'sqlite' && c.database.file.endsWith('data/mamori.sqlite')).toBe(true);
    expect(c.port).toBe(8080);
    expect(c.cookieSecure).toBe(false);
  });

  it('switches to PostgreSQL with DATABASE_URL', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u:p@h/db' }).database).toEqual({
      kind: 'postgres',
      url: 'postgres://u:p@h/db',
    });
  });

  it('refuses bad values with a message naming them', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
    expect(() => loadConfig({ MAMORI_ADMIN_EMAIL: 'a@b.co' })).toThrow(/both/);
    expect(() => loadConfig({ MAMORI_ADMIN_EMAIL: 'a@b.co', MAMORI_ADMIN_PASSWORD: 'short' })).toThrow(/12/);
  });

  it('uses Secure cookies behind https', () => {
    expect(loadConfig({ MAMORI_PUBLIC_URL: 'https://isms.example.com' }).cookieSecure).toBe(true);
  });
});

describe('node version guard', () => {
  it('refuses Node.js older than 24 with a clear message', () => {
    expect(() => assertSupportedNode('20.20.2')).toThrow(/Node.js 24 or later; this is Node.js 20.20.2/);
    expect(() => assertSupportedNode('24.0.0')).not.toThrow();
  });
});
