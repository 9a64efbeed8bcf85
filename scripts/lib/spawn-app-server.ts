// Starts a built app behind the custom server (scripts/http-server.ts) as a
// child process: node itself, not npx, so the pid is the server's (for /proc
// and for SIGTERM). Used by the benches.
import { spawn, type ChildProcess, type StdioOptions } from "node:child_process";

export interface AppServerOptions {
  env: NodeJS.ProcessEnv;
  port: number;
  stdio: StdioOptions;
  /** Extra node arguments, e.g. --cpu-prof. */
  nodeArgs?: string[];
}

export function spawnAppServer({ env, port, stdio, nodeArgs = [] }: AppServerOptions): ChildProcess {
  return spawn(
    process.execPath,
    [...nodeArgs, "--import", "tsx", "--conditions=react-server", "scripts/http-server.ts"],
    { env: { ...env, PORT: String(port), LISTEN_HOST: "127.0.0.1" }, stdio },
  );
}
