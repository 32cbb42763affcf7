// Compile-time assertions for the type tests in this folder (they are checked by `tsc --noEmit`, never run).

/** True only when A and B are the same type (not merely assignable). */
export type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

/** Fails to compile unless T is `true`. */
export function assertType<T extends true>(): T | undefined {
  return undefined;
}
