// Error text for the run log.

/** An error's message, also for errors made in another realm (where instanceof fails). */
export function errorMessage(error: unknown): string {
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === "string" ? message : String(error);
}
