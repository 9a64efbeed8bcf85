// Opens an embedded database folder in a process of its own, as `npm start`
// does, for the lock tests (lib/db/data-dir-lock.int.test.ts):
//   tsx tests/helpers/open-embedded.ts <data dir> <port>
// Prints "ready" once it serves; stops cleanly on SIGTERM; exits 3 with the
// error on stderr if it cannot open the folder.
import { startEmbeddedPostgres } from "../../lib/db/embedded-postgres";

const [dataDir, port] = process.argv.slice(2);
try {
  const db = await startEmbeddedPostgres({ dataDir: String(dataDir), port: Number(port) });
  console.log("ready");
  process.once("SIGTERM", () => void db.stop().then(() => process.exit(0)));
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(3);
}
