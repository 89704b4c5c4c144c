/** The API client: every request carries the session's key; every failure becomes an ApiFailure. */

export interface ErrorDetail {
  path?: string;
  row?: number;
  /** The field of an upload's row (`path` may hold more, such as `rows.3.label`). */
  field?: string;
  /** What is wrong, stable (`detail.<code>` in the dictionaries), with the parameters to say it. */
  code?: string;
  params?: Record<string, string | number>;
  /** The English text, for API users and codes the dashboard does not know. */
  message?: string;
}

/** A failed request: the API's error code (or "network"), its English message and its details. */
export class ApiFailure extends Error {
  override readonly name = "ApiFailure";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
  }
}

const KEY_STORAGE = "modqc.key";

/** The API key lives in sessionStorage only: it is gone when the browser tab or window closes. */
export const keyStore = {
  get: (): string | null => sessionStorage.getItem(KEY_STORAGE),
  set: (key: string) => sessionStorage.setItem(KEY_STORAGE, key),
  clear: () => sessionStorage.removeItem(KEY_STORAGE),
};

let onUnauthorized: (() => void) | undefined;
/** Called when a signed-in request answers 401 (the key was revoked): the app signs out. */
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

export type Query = Record<string, string | number | boolean | undefined | null>;

export function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === "") continue;
    params.set(name, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

interface RequestOptions {
  query?: Query;
  json?: unknown;
  /** A raw body (e.g. CSV) and its content type. */
  body?: BodyInit;
  contentType?: string;
  /** Use this key instead of the session's (sign-in checks a key before keeping it). */
  key?: string;
  signal?: AbortSignal;
}

async function send(method: string, path: string, options: RequestOptions = {}): Promise<Response> {
  const headers: Record<string, string> = {};
  const key = options.key ?? keyStore.get();
  if (key) headers.authorization = `Bearer ${key}`;
  let body = options.body;
  if (options.json !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(options.json);
  } else if (options.contentType) headers["content-type"] = options.contentType;
  let response: Response;
  try {
    response = await fetch(withQuery(path, options.query), { method, headers, body, signal: options.signal });
  } catch (error) {
    if (error instanceof DOMException && error.name === "AbortError") throw error;
    throw new ApiFailure(0, "network", error instanceof Error ? error.message : String(error));
  }
  if (!response.ok) {
    let code = "http_error";
    let message = response.statusText;
    let details: ErrorDetail[] = [];
    try {
      const parsed = (await response.json()) as {
        error?: { code?: string; message?: string; details?: unknown };
      };
      code = parsed.error?.code ?? code;
      message = parsed.error?.message ?? message;
      if (Array.isArray(parsed.error?.details)) details = parsed.error.details as ErrorDetail[];
    } catch {
      // Not JSON: keep the status text.
    }
    if (response.status === 401 && !options.key) onUnauthorized?.();
    throw new ApiFailure(response.status, code, message, details);
  }
  return response;
}

/** A JSON request answered with JSON. */
export async function api<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const response = await send(method, path, options);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

/** Fetches a file with the session's key (a plain link cannot send it) and hands it to the browser as a download. */
export async function download(path: string, filename: string, query: Query = {}): Promise<void> {
  const response = await send("GET", path, { query });
  const blob = await response.blob();
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
