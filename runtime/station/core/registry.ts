// What the blocks add to the core, each from its own folder, by declaration merging: the core names none of them.
// A block that raises events for itself, answers queries of other blocks or calls the integrator's hardware
// declares them next to its code:
//
//   declare module '../core/registry.js' {
//     interface OwnEvents { 'reset.due': { kind: 'Immediate' | 'OnIdle' } }
//     interface StationQueries { registration(): RegistrationStatusEnumType | undefined }
//     interface HardwareOperations { reset(kind: 'Immediate' | 'OnIdle'): unknown }
//   }
//
// and the types below then know them: a misspelt event, query or operation fails to compile.

/**
 * Events a block raises for itself (timers, its own follow-ups), keyed by `type`, with their fields. By convention
 * the type is `<block>.<what>` (`boot.retry`, `tx.sample`); another block may listen but should not raise them.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface OwnEvents {}

/**
 * What one block answers about its state to the others (the only way a block sees another's state). The shell
 * asks the block that provides the query (`UseCase.queries`); `view.query.x` is undefined when no running block
 * provides `x`, and the asking block decides what that means.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface StationQueries {}

/**
 * The integrator's hardware callbacks (`options.hardware`), each declared by the block that calls it, with its
 * documentation there. A callback may return a value or a promise; the block that asked gets the outcome when it
 * wants one (a `hardware` effect with a tag, or a HardwareAnswer).
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface HardwareOperations {}

/** An own event, narrowed by its type. */
export type OwnEvent = { [K in keyof OwnEvents & string]: { type: K } & OwnEvents[K] }[keyof OwnEvents & string];

/** A call of one hardware operation with its arguments, as a hardware effect carries it. */
export type HardwareCall = {
  [K in keyof HardwareOperations & string]: HardwareOperations[K] extends (...args: infer A) => unknown
    ? { op: K; args: A }
    : never;
}[keyof HardwareOperations & string];
