// What a caught value says, for messages: `catch (e)` gives `unknown` (useUnknownInCatchVariables), and a thrown
// value need not be an Error.

/** The message of an Error, else the value as text. */
export const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** A Node system error's code (ENOENT, EADDRINUSE, …), else the message. */
export function codeOrMessage(e: unknown): string {
  const code = e instanceof Error && 'code' in e && typeof e.code === 'string' ? e.code : undefined;
  return code ?? messageOf(e);
}
