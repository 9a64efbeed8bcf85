// Shared by bench/agreement-throughput.ts and bench/diff-load.ts: a fresh
// database holding the corpus of large revisions (tests/fixtures/agreements),
// already in effect, rendered and diffed as publishing does it, served by the
// built app behind the custom server on 127.0.0.1.
//
// The versions are inserted as an import writes them (published, past
// effective dates); storeRenderingAndDiff then renders each and stores the
// diff from its predecessor, in the render worker, as publish does.
import { spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, openSync } from "node:fs";
import pg from "pg";
import { createTestDatabase, type TestDatabase } from "../tests/helpers/test-database";
import { seed } from "../prisma/seed";
import { spawnAppServer } from "../scripts/lib/spawn-app-server";
import { generateCorpus, type CorpusVersion } from "../tests/fixtures/agreements/corpus";

export interface BenchServer {
  base: string;
  database: TestDatabase;
  corpus: CorpusVersion[];
  /** Version number of corpus[i] in the database: i + 2 (the seed's version 1 comes first). */
  numberOf(version: CorpusVersion): number;
  stop(): Promise<void>;
}

const DAY = 86_400_000;

export async function startBenchServer(options: {
  port: number;
  count: number;
  distDir?: string;
  log: string;
}): Promise<BenchServer> {
  const base = `http://127.0.0.1:${options.port}`;
  const corpus = generateCorpus({ count: options.count });
  const database = await createTestDatabase();
  let server: ChildProcess | undefined;
  try {
    await seed(database.url, { demoAccounts: false });
    const client = new pg.Client({ connectionString: database.url });
    client.on("error", (error) => console.error(`[bench] setup connection: ${error.message}`));
    await client.connect();
    const started = Date.now();
    for (const [index, version] of corpus.entries()) {
      // Effective one day apart, the last one yesterday: all in effect in turn, none scheduled.
      const effective = new Date(started - (corpus.length - index) * DAY);
      await client.query(
        `INSERT INTO agreement_versions (id, number, title, body_markdown, body_sha256, change_summary, material,
           effective_at, last_updated, published_at, created_at, updated_at)
         VALUES (gen_random_uuid(), $1, $2, $3, encode(sha256(convert_to($3, 'UTF8')), 'hex'), $4, $5, $6, $7, $6, $6, $6)`,
        [
          index + 2,
          version.title,
          version.markdown,
          version.summary,
          version.material,
          effective,
          effective.toISOString().slice(0, 10),
        ],
      );
    }
    // The version in effect also has a Simplified Chinese translation of the same
    // size, so a Chinese reader's page can be measured beside the English one.
    const latest = corpus.at(-1)!;
    await client.query(
      `INSERT INTO agreement_translations (id, version_id, locale, title, body_markdown, body_sha256, published_at)
       SELECT gen_random_uuid(), v.id, 'zh-CN', '用户隐私协议', $2, encode(sha256(convert_to($2, 'UTF8')), 'hex'), v.published_at
         FROM agreement_versions v WHERE v.number = $1`,
      [corpus.length + 1, `（中文译文）\n\n${latest.markdown}`],
    );
    await client.end();

    process.env.DATABASE_URL = database.url;
    process.env.NEXTAUTH_SECRET ??= randomBytes(32).toString("hex");
    const { prisma } = await import("../lib/db");
    const { storeRenderingAndDiff } = await import("../lib/agreements/render/store");
    const setup = performance.now();
    const ids = await prisma.agreementVersion.findMany({
      where: { number: { gt: 1 } },
      select: { id: true },
    });
    for (const { id } of ids) {
      const stored = await storeRenderingAndDiff(prisma, id);
      if (!stored.rendering.ok || (stored.diff && !stored.diff.ok))
        throw new Error(`version ${id} failed to render or diff`);
    }
    console.log(
      `corpus: ${corpus.length} versions of ${Math.round(corpus[0]!.markdown.length / 1024)}–${Math.round(corpus.at(-1)!.markdown.length / 1024)} KB rendered and diffed in ${((performance.now() - setup) / 1000).toFixed(1)} s`,
    );

    const distDir = options.distDir ?? (existsSync(".next-e2e") ? ".next-e2e" : ".next-bench-agreement");
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: "production",
      DATABASE_URL: database.runtimeUrl,
      DATABASE_POOL_SIZE: "10",
      NEXTAUTH_URL: base,
      APP_URL: base,
      // The custom server runs as in production (no clock override, fingerprint checked once a second),
      // even on a build made for tests.
      ACCORD_TEST_BUILD: "0",
      NEXT_DIST_DIR: distDir,
      NEXT_TELEMETRY_DISABLED: "1",
    };
    if (!existsSync(distDir)) {
      console.log(`building the app into ${distDir}…`);
      const build = spawnSync("npx", ["next", "build"], { env, stdio: ["ignore", "ignore", "inherit"] });
      if (build.status !== 0) throw new Error("next build failed");
    }
    mkdirSync(".data", { recursive: true });
    const log = openSync(options.log, "w");
    server = spawnAppServer({ env, port: options.port, stdio: ["ignore", log, log] });
    for (let i = 0; ; i++) {
      if (server.exitCode !== null) throw new Error(`the app exited while starting; see ${options.log}`);
      try {
        if ((await fetch(`${base}/agreement`)).ok) break;
      } catch {
        // not listening yet
      }
      if (i > 240) throw new Error("the app did not start within 120 s");
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  } catch (error) {
    server?.kill("SIGTERM");
    await database.drop();
    throw error;
  }
  const running = server;
  return {
    base,
    database,
    corpus,
    numberOf: (version) => corpus.indexOf(version) + 2,
    async stop() {
      running.kill("SIGTERM");
      await new Promise((resolve) => running.once("exit", resolve));
      const { pool } = await import("../lib/db");
      const { closeRenderPool } = await import("../lib/agreements/render/pool");
      await closeRenderPool();
      await pool.end();
      await database.drop();
    },
  };
}
