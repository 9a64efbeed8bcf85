import type pg from "pg";

/**
 * Ends a pool and waits until every connection has closed. pool.end()
 * resolves before the sockets close, and a DROP DATABASE ... WITH (FORCE)
 * right after it can then kill a closing connection, which pg reports as an
 * unhandled error. The pool emits "remove" once a client has ended.
 */
export async function endPool(pool: pg.Pool): Promise<void> {
  const total = pool.totalCount;
  let removed = 0;
  const closed = new Promise<void>((resolve) => {
    if (total === 0) resolve();
    pool.on("remove", () => {
      removed += 1;
      if (removed >= total) resolve();
    });
  });
  await pool.end();
  await closed;
}
