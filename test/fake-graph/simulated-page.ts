/**
 * A simulated Facebook Page for demos and local runs when no real Page is connected: starts the fake
 * Graph API with one Page and writes what the app needs to use it.
 *
 *   node -r ts-node/register/transpile-only test/fake-graph/simulated-page.ts --port 4580 [--out FILE]
 *
 * Prints (and writes to FILE as JSON) the Page id, its Page token and the two base URLs. Nothing sent
 * to it reaches Facebook; it forgets everything when stopped.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { FakeGraph } from './fake-graph.server';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { port: { type: 'string', default: '4580' }, host: { type: 'string', default: '127.0.0.1' }, out: { type: 'string' } } });
  const fake = await FakeGraph.start({}, Number(values.port), values.host);
  const page = fake.addPage({ name: 'Migra Action (simulated Page)' });
  const details = { simulated: true, pageId: page.id, pageName: page.name, pageToken: page.token, ...fake.env };
  if (values.out) writeFileSync(values.out, JSON.stringify(details, null, 2) + '\n', { mode: 0o600 });
  console.log(`SIMULATED Facebook Page (nothing reaches Facebook) at ${fake.url}`);
  console.log(JSON.stringify(details, null, 2));
  const stop = () => void fake.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
