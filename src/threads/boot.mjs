// The entry of every worker-thread pool (src/threads/pool.ts). Plain JavaScript so that it starts the same
// under `tsx` (npm start), vitest and plain node: it loads the TypeScript task module named in the pool's
// workerData through tsx's API (no process-wide loader needed) and hands its default export to piscina.
import { workerData } from "piscina";
import { tsImport } from "tsx/esm/api";

const task = await tsImport(workerData.module, import.meta.url);
export default task.default;
