/** Why speech to text produced nothing. `missing-file` and `not-configured` need the operator, not a retry. */
export type SpeechEngineFault = 'not-configured' | 'missing-file' | 'failed' | 'timeout' | 'cancelled' | 'bad-output';

export class SpeechEngineError extends Error {
  constructor(
    readonly fault: SpeechEngineFault,
    message: string,
    /** The last lines the engine wrote to stderr, when it ran. */
    readonly stderrTail: string[] = [],
  ) {
    super(message);
    this.name = 'SpeechEngineError';
  }
}
