/** Where the service writes what happened: one message and structured fields per line. */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** One JSON object per line on stdout/stderr, so logs can be shipped and queried as they are. */
export const jsonLogger: Logger = {
  info: (message, fields) =>
    process.stdout.write(
      `${JSON.stringify({ time: new Date().toISOString(), level: "info", message, ...fields })}\n`,
    ),
  error: (message, fields) =>
    process.stderr.write(
      `${JSON.stringify({ time: new Date().toISOString(), level: "error", message, ...fields })}\n`,
    ),
};
