// Reading and setting HAProxy weights over its runtime API, for tests and benchmarks that check what
// the proxy really does rather than what an action says it did.
import { createConnection } from 'node:net';

export function haproxyCommand(socket: string, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = createConnection(socket);
    let out = '';
    s.on('data', (d) => (out += d));
    s.on('end', () => resolve(out));
    s.on('error', reject);
    s.write(`${command}\n`);
  });
}

/** The weight of each server of backend `app`, by name. */
export async function slotWeights(socket: string): Promise<Record<string, number>> {
  const text = await haproxyCommand(socket, 'show servers state app');
  return Object.fromEntries(
    text
      .split('\n')
      .filter((l) => / app \d+ \S+ /.test(l) && !l.startsWith('#'))
      .map((l) => {
        const f = l.split(' ');
        return [f[3]!, Number(f[7])];
      }),
  );
}
