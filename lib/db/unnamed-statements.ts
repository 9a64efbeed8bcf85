import type pg from "pg";

/**
 * PGlite's socket server runs every client connection in one backend session,
 * so a statement prepared by name on one connection already exists on the
 * next, while pg tracks prepared names per connection and prepares it again:
 * "prepared statement … already exists". On the embedded database, queries
 * are sent unnamed (parsed each time). Streams (objects with submit()) pass
 * through untouched.
 */
export function sendStatementsUnnamed(pool: pg.Pool): void {
  pool.on("connect", (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    Object.assign(client, {
      query(config: unknown, ...rest: unknown[]) {
        const named = typeof config === "object" && config !== null && "name" in config;
        const submittable = named && typeof (config as { submit?: unknown }).submit === "function";
        if (!named || submittable) return query(config, ...rest);
        const unnamed = { ...(config as Record<string, unknown>) };
        delete unnamed.name;
        return query(unnamed, ...rest);
      },
    });
  });
}
