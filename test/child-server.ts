import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { onPostgres, testSchemaUrl } from "./database.ts";

const root = fileURLToPath(new URL("..", import.meta.url));

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

export interface ChildServer {
  url: string;
  adminKey: string;
  dataDir: string;
  child: ChildProcess;
  /** SIGTERM and wait for exit; removes the data directory when this helper created it. */
  stop(): Promise<void>;
  /** SIGKILL: no chance to finish anything. */
  kill(): Promise<void>;
}

/**
 * Runs the real service (`src/main.ts`, as `npm start` does) in a child process on a free port.
 * Pass MODQC_DATA_DIR to reuse a data directory across restarts; `root` runs another checkout (benches
 * compare a commit before a change with the working tree).
 */
export async function startChildServer(
  env: Record<string, string> = {},
  options: { root?: string } = {},
): Promise<ChildServer> {
  const port = await freePort();
  const ownDir = env.MODQC_DATA_DIR === undefined;
  const dataDir = env.MODQC_DATA_DIR ?? mkdtempSync(join(tmpdir(), "modqc-child-"));
  // On PostgreSQL, one schema per data directory: a restart with the same directory finds its data again.
  const database =
    onPostgres && env.MODQC_DATABASE_URL === undefined
      ? { MODQC_DATABASE_URL: await testSchemaUrl(dataDir) }
      : {};
  const adminKey = env.MODQC_ADMIN_KEY ?? "child-admin-key";
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: options.root ?? root,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: "127.0.0.1",
      MODQC_DATA_DIR: dataDir,
      MODQC_ADMIN_KEY: adminKey,
      ...database,
      ...env,
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0; ; attempt++) {
    try {
      if ((await fetch(`${url}/health`)).ok) break;
    } catch {
      if (attempt > 300 || child.exitCode !== null) throw new Error("the server did not start within 30 s");
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const finish = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return {
    url,
    adminKey,
    dataDir,
    child,
    stop: async () => {
      await finish("SIGTERM");
      if (ownDir) rmSync(dataDir, { recursive: true, force: true });
    },
    kill: () => finish("SIGKILL"),
  };
}

/** Sends `json` (if any) to a child server with its admin key; the status and the parsed JSON answer. */
export async function adminApi(server: ChildServer, method: string, path: string, json?: unknown) {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${server.adminKey}`, "content-type": "application/json" },
    body: json === undefined ? undefined : JSON.stringify(json),
  });
  // biome-ignore lint/suspicious/noExplicitAny: JSON answers the tests assert on
  return { status: res.status, body: (await res.json()) as any };
}
