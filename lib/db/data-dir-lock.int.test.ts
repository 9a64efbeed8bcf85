/**
 * Finding 13 of issue 9: a second `npm start` on the same .data with another
 * EMBEDDED_PG_PORT opened the same PGlite folder without a warning, and the
 * two copies corrupted the ledger. Now the folder is locked before PGlite
 * opens it: a second process refuses, naming the holder; once the holder is
 * gone (even by SIGKILL), the folder opens again at once.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const SLOW = 180_000; // each opener boots a WebAssembly Postgres

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

interface Opener {
  child: ChildProcess;
  stdout: string;
  stderr: string;
  /** "ready" once it serves, or its exit code. */
  outcome: Promise<"ready" | number>;
}

function open(dataDir: string, port: number): Opener {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "tests/helpers/open-embedded.ts", dataDir, String(port)],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  const opener: Opener = { child, stdout: "", stderr: "", outcome: Promise.resolve(0) };
  child.stderr!.on("data", (chunk: Buffer) => (opener.stderr += chunk.toString()));
  opener.outcome = new Promise((resolve) => {
    child.stdout!.on("data", (chunk: Buffer) => {
      opener.stdout += chunk.toString();
      if (opener.stdout.includes("ready")) resolve("ready");
    });
    child.once("exit", (code) => resolve(code ?? 1));
  });
  return opener;
}

async function stop(opener: Opener | undefined, signal: NodeJS.Signals = "SIGTERM") {
  if (!opener || opener.child.exitCode !== null || opener.child.signalCode !== null) return;
  opener.child.kill(signal);
  await once(opener.child, "exit");
}

describe("the embedded database folder lock", () => {
  let root: string;
  let dataDir: string;
  const openers: Opener[] = [];

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), "accord-lock-"));
    dataDir = path.join(root, "pglite");
  });

  afterAll(async () => {
    for (const opener of openers) await stop(opener, "SIGKILL");
    if (root) await rm(root, { recursive: true, force: true });
  }, SLOW);

  it(
    "refuses a second process, naming the holder, and opens at once after the holder was killed",
    { timeout: SLOW },
    async () => {
      const first = open(dataDir, await freePort());
      openers.push(first);
      expect(await first.outcome).toBe("ready");

      // The exact case of the finding: the same folder, another port.
      const secondPort = await freePort();
      const second = open(dataDir, secondPort);
      openers.push(second);
      expect(await second.outcome).toBe(3);
      expect(second.stderr).toContain(
        `The embedded database folder ${dataDir} is in use by process ${first.child.pid}`,
      );
      expect(second.stderr).toContain("tests/helpers/open-embedded.ts, serving on 127.0.0.1:");
      // It never served: nothing listens on its port.
      const probe = net.connect({ host: "127.0.0.1", port: secondPort });
      const [connectError] = (await once(probe, "error")) as [NodeJS.ErrnoException];
      expect(connectError.code).toBe("ECONNREFUSED");

      // The holder dies without releasing anything: the next opener need not
      // wait for the lock to go stale, since its holder's pid is gone.
      await stop(first, "SIGKILL");
      expect(existsSync(`${dataDir}.lock`)).toBe(true);
      const third = open(dataDir, await freePort());
      openers.push(third);
      expect(await third.outcome).toBe("ready");
      await stop(third);
      expect(third.child.exitCode).toBe(0);
      // A clean stop releases the lock.
      expect(existsSync(`${dataDir}.lock`)).toBe(false);
    },
  );
});
