// The log of a command, seen by the web view: the warnings and errors printed while a command the page sent runs
// ("EVSE 1: the cable is already plugged in") become part of its answer, and still go to the terminal.
import type { Log } from '../cli/output.js';
import { messageOf } from '../error-text.js';

export class LogTap {
  readonly log: Log;
  #lines: string[] | undefined;

  constructor(inner: Log) {
    this.log = {
      info: (text) => inner.info(text),
      warn: (text) => (this.#lines?.push(text), inner.warn(text)),
      error: (text) => (this.#lines?.push(text), inner.error(text)),
    };
  }

  /**
   * Runs `task` (commands run one at a time, so the lines are its own) and returns the warnings and errors printed
   * meanwhile, and the error it threw in words (printed too, as the CLI does); never throws.
   */
  async collect(task: () => Promise<void> | void): Promise<{ lines: string[]; error?: string }> {
    const lines: string[] = [];
    this.#lines = lines;
    try {
      await task();
      return { lines };
    } catch (e) {
      this.log.error(messageOf(e));
      return { lines, error: messageOf(e) };
    } finally {
      this.#lines = undefined;
    }
  }
}
