import { Injectable } from '@nestjs/common';
import { AppError, ErrorCode } from '../../../../common/errors/app-error';
import { join } from 'node:path';
import { MediaCommandRunner } from '../../../media/media.ports';
import { JobName } from '../../../queues/job-catalog';
import { JobGaveUp, JobHandler } from '../../../queues/job-handler.decorator';
import { CaptionBurner } from '../../burn-in/caption-burner';
import { CaptionMedia, frameOf } from '../../caption-media';
import { CaptionTrackWriter, HumanEditsKept } from '../../caption-track-writer';
import { CaptionLanguage, Cue } from '../../caption.types';
import { toAss } from '../../formats';
import { SpeechSegmenter, videoHasAudio } from '../../speech/speech-segments';
import { extractSpeechAudio, SpeechToText } from '../../speech/speech-to-text';
import { TranscriptOutcome } from '../caption-task.entity';
import { CaptionTaskResult } from '../caption-task.job';
import { CaptionTaskJob, CaptionTaskRunner, TaskRefusal } from './caption-task-runner';
import { CaptionTaskInputs } from './caption-task-inputs';

/** Burning in is a full encode; storing the result takes the last few percent of the bar. */
const ENCODE_SHARE = 0.95;

/** Empty cues where people speak: works for Khmer, where no speech model is at hand. */
@Injectable()
export class SpeechSegmentsHandler {
  constructor(
    private readonly runner: CaptionTaskRunner,
    private readonly inputs: CaptionTaskInputs,
    private readonly segmenter: SpeechSegmenter,
  ) {}

  @JobHandler(JobName.CaptionSpeechSegments)
  run(job: CaptionTaskJob): Promise<CaptionTaskResult> {
    return this.runner.run(job, async ({ task, dir }) => {
      const video = await this.inputs.stagePublish(task.testimonyId, dir);
      const durationMs = video.asset.durationMs ?? 0;
      return { cues: await this.segmenter.segments(video.path, { durationMs }) };
    });
  }

  @JobGaveUp(JobName.CaptionSpeechSegments)
  gaveUp(job: CaptionTaskJob, error: Error): Promise<void> {
    return this.runner.gaveUp(job, error);
  }
}

/**
 * A machine transcript. It becomes the track only while no person has made or changed the cues
 * (checked under the track's lock, so an edit saved meanwhile wins); otherwise it stays a draft.
 */
@Injectable()
export class TranscriptHandler {
  constructor(
    private readonly runner: CaptionTaskRunner,
    private readonly inputs: CaptionTaskInputs,
    private readonly media: CaptionMedia,
    private readonly commands: MediaCommandRunner,
    private readonly speech: SpeechToText,
    private readonly writer: CaptionTrackWriter,
  ) {}

  @JobHandler(JobName.CaptionTranscript)
  run(job: CaptionTaskJob): Promise<CaptionTaskResult> {
    return this.runner.run(job, async ({ task, dir }) => {
      if (!this.speech.available) throw new TaskRefusal(ErrorCode.NoSpeechEngine, 'This server has no speech-to-text engine any more. Use "Propose timings" and type the words.');
      const video = await this.inputs.stagePublish(task.testimonyId, dir);
      if (!(await videoHasAudio(this.commands, video.path))) throw new TaskRefusal(ErrorCode.TaskNoAudio, 'This video has no sound, so there is nothing to transcribe.');
      const wav = join(dir, 'speech.wav');
      await extractSpeechAudio(this.commands, video.path, wav);
      const cues = await this.speech.transcribe(wav, task.language);
      return { cues, outcome: await this.apply(task.testimonyId, task.language, cues) };
    });
  }

  @JobGaveUp(JobName.CaptionTranscript)
  gaveUp(job: CaptionTaskJob, error: Error): Promise<void> {
    return this.runner.gaveUp(job, error);
  }

  private async apply(testimonyId: string, language: CaptionLanguage, cues: Cue[]): Promise<TranscriptOutcome> {
    if (cues.length === 0) return 'draft-only';
    try {
      await this.writer.save(null, testimonyId, language, {
        source: 'machine',
        keepHumanEdits: true,
        cues: () => cues,
        durationMs: await this.media.durationMs(testimonyId),
      });
      return 'applied';
    } catch (error) {
      if (error instanceof HumanEditsKept) return 'kept-edits';
      // Cues the validator refuses (overlaps, past the end) are still a useful draft to correct by hand.
      if (error instanceof AppError && error.code === ErrorCode.CaptionsInvalid) return 'draft-only';
      throw error;
    }
  }
}

/** The captioned MP4: the publish rendition re-encoded with the asked-for caption version drawn in. */
@Injectable()
export class BurnInHandler {
  constructor(
    private readonly runner: CaptionTaskRunner,
    private readonly inputs: CaptionTaskInputs,
    private readonly burner: CaptionBurner,
  ) {}

  @JobHandler(JobName.CaptionBurnIn)
  run(job: CaptionTaskJob): Promise<CaptionTaskResult> {
    return this.runner.run(job, async ({ task, dir, progress }) => {
      const trackVersion = task.trackVersion;
      if (trackVersion === null) throw new TaskRefusal(ErrorCode.CaptionVersionGone, 'This request names no caption version. Ask for the captioned video again.');
      const cues = await this.inputs.versionCues(task.testimonyId, task.language, trackVersion);
      const video = await this.inputs.stagePublish(task.testimonyId, dir);
      const output = join(dir, 'captioned.mp4');
      const script = toAss(cues, { ...frameOf(video.asset), language: task.language });
      await this.burner.burn(video.path, script, output, {
        durationMs: video.asset.durationMs ?? undefined,
        onProgress: (percent) => progress(percent * ENCODE_SHARE),
      });
      await this.inputs.storeCaptionedVideo(video.asset, task.language, trackVersion, output);
      return { trackVersion };
    });
  }

  @JobGaveUp(JobName.CaptionBurnIn)
  gaveUp(job: CaptionTaskJob, error: Error): Promise<void> {
    return this.runner.gaveUp(job, error);
  }
}
