// The server under benchmark: the real app plus, mounted only here, a reference route that runs the same
// page query straight against the database with no authentication, validation or scoping (the ceiling).
import { loadConfig } from '../src/platform/config.ts';
import { createContext } from '../src/app/context.ts';
import { createServer } from '../src/app/server.ts';
import { orgRepository } from '../src/modules/org/org.repository.ts';

const ctx = await createContext(loadConfig());
const repo = orgRepository(ctx.db.kysely);
const app = await createServer(ctx, {
  logLevel: 'silent',
  webDist: '',
  extraRoutes: (api) => {
    api.get('/bench/reference/people', async (_req, reply) => {
      const rows = await repo.listPeople({ all: true }, { limit: 50 });
      return reply
        .type('application/json')
        .send(JSON.stringify({ items: rows.slice(0, 50), nextCursor: null }));
    });
  },
});
await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
const address = app.server.address();
process.send?.({ port: typeof address === 'object' && address ? address.port : 0 });
process.on('SIGTERM', () => {
  void app
    .close()
    .then(() => ctx.close())
    .then(() => process.exit(0));
});
