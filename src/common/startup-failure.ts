/** Turns a start-up crash into advice a person running the system can follow. */
export function explainStartupFailure(process: string, error: unknown): string {
  const e = error as { code?: string; message?: string; address?: string; port?: number };
  const message = e?.message ?? String(error);
  if (e?.code === 'ECONNREFUSED' || /ECONNREFUSED|connect ETIMEDOUT|getaddrinfo/.test(message)) {
    const where = e.address ? ` at ${e.address}:${e.port}` : '';
    return `The ${process} could not reach PostgreSQL${where}: ${message}\nStart PostgreSQL, or point DATABASE_URL at a running server, then start again.`;
  }
  if (/database ".*" does not exist/.test(message)) {
    return `The ${process} could not open its database: ${message}\nCreate it (createdb <name>) or fix DATABASE_URL, then start again.`;
  }
  if (e?.code === 'EADDRINUSE') {
    return `The ${process} could not listen: port ${e.port} is already in use. Stop the other program or set PORT.`;
  }
  return `The ${process} failed to start: ${error instanceof Error ? (error.stack ?? message) : message}`;
}
