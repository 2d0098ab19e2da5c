import { ErrorCode, ErrorFigures } from '../../../common/errors/app-error';
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

  /** Its code in the error model, so a failed transcript is worded in the reader's language. */
  get code(): ErrorCode {
    return ErrorCode.SpeechEngineFailed;
  }

  get figures(): ErrorFigures {
    return { fault: this.fault };
  }
}
