import { api } from "./api.ts";
import { useAsync, useDebounced } from "./components/ui.tsx";

/**
 * The answer of a calculator endpoint, recomputed as the user types: `body` (undefined while the form is not
 * valid) is POSTed to `path` once it has stopped changing for `ms`, a newer body aborts the request in flight,
 * and `data` is given only while it answers the body now in the form. `error` is the failure of the last
 * request, for an ErrorBox.
 */
export function useLiveResult<T>(
  path: string,
  body: object | undefined,
  ms: number,
): { data: T | undefined; error: unknown } {
  const text = body ? JSON.stringify(body) : "";
  const settled = useDebounced(text, ms);
  const result = useAsync(
    (signal) => api<T>("POST", path, { json: JSON.parse(settled), signal }),
    [path, settled],
    settled !== "",
  );
  return { data: body && settled === text ? result.data : undefined, error: result.error };
}
