import { ErrorCode, ErrorFigures } from '../../../../common/errors/app-error';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../../../config/app-config';
import { APP_CONFIG } from '../../../../config/config.module';
import { MediaRejectedError } from '../../../media/media.types';
import { openJobWorkspace } from '../../../processing/job-workspace';
import { JobName } from '../../../queues/job-catalog';
import { gaveUpMessage, jobProgressReporter, settleJobFailure } from '../../../queues/job-outcome';
import { TypedJob } from '../../../queues/job-queue.service';
import { SpeechEngineError } from '../../speech/speech-errors';
import { CaptionTask } from '../caption-task.entity';
import { CaptionTaskResult } from '../caption-task.job';
import { CaptionTaskState, TaskOutcome } from './caption-task-state';

export type CaptionTaskJob = TypedJob<JobName.CaptionSpeechSegments | JobName.CaptionTranscript | JobName.CaptionBurnIn>;

/** A failure no retry can fix; its message is for the person who asked, and says what to do. */
/** A request the task can never carry out as it is: failed at once, with a code the web app words. */
export class TaskRefusal extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly figures?: ErrorFigures,
  ) {
    super(message);
  }
}

export interface TaskRun {
  task: CaptionTask;
  /** A temp folder of this run's own, removed after it whatever happens. */
  dir: string;
  /** Percent done (see jobProgressReporter). */
  progress: (percent: number) => void;
}

const GAVE_UP = 'It failed after several tries. Ask again later; if it keeps failing, tell an admin.';
/** Faults of the engine's setup or of its output: the same request would fail the same way. */
const PERMANENT_SPEECH_FAULTS = new Set(['not-configured', 'missing-file', 'bad-output', 'timeout']);

/**
 * What the three caption task jobs share: claim the request, give the work a temp folder, record the
 * result, and settle failures so that a task never stays "running" after its job is gone. Bad input
 * fails at once with its reason; anything else is retried, and the last failed attempt says so.
 */
@Injectable()
export class CaptionTaskRunner {
  private readonly logger = new Logger(CaptionTaskRunner.name);

  constructor(
    private readonly state: CaptionTaskState,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async run(job: CaptionTaskJob, work: (run: TaskRun) => Promise<Partial<TaskOutcome>>): Promise<CaptionTaskResult> {
    const { taskId, request } = job.data;
    try {
      const task = await this.state.begin(taskId, request);
      if (!task) return { taskId, outcome: 'stale' };
      const workspace = await openJobWorkspace(this.config.media.workDir, String(job.id));
      try {
        const progress = jobProgressReporter(job, (percent) => this.state.progress(taskId, request, percent));
        const outcome = await workspace.run(() => work({ task, dir: workspace.dir, progress }));
        await this.state.finish(taskId, request, outcome);
        return { taskId, outcome: 'done' };
      } finally {
        await workspace.dispose();
      }
    } catch (error) {
      throw await this.settle(job, error as Error);
    }
  }

  /** BullMQ gave up without run() having said why (the worker died under the job too often). */
  async gaveUp(job: CaptionTaskJob, error: Error): Promise<void> {
    await this.state.fail(job.data.taskId, job.data.request, { code: ErrorCode.JobGaveUp, reason: gaveUpMessage(GAVE_UP, error), figures: null });
  }

  private settle(job: CaptionTaskJob, error: Error): Promise<Error> {
    const { taskId, request } = job.data;
    return settleJobFailure(job, error, {
      permanent:
        error instanceof TaskRefusal ||
        error instanceof MediaRejectedError ||
        (error instanceof SpeechEngineError && PERMANENT_SPEECH_FAULTS.has(error.fault)),
      gaveUpReason: GAVE_UP,
      markFailed: (failure) => this.state.fail(taskId, request, failure),
      onMarkFailedError: (dbError) => this.logger.error(`Could not mark caption task ${taskId} failed: ${dbError.message}`),
    });
  }
}
