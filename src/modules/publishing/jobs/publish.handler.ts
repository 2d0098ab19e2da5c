import { Inject, Injectable, Logger } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { Locked } from '../../../common/db/advisory-lock';
import { AppConfig } from '../../../config/app-config';
import { APP_CONFIG } from '../../../config/config.module';
import { JobName } from '../../queues/job-catalog';
import { JobGaveUp, JobHandler } from '../../queues/job-handler.decorator';
import { runAgainLater } from '../../queues/job-outcome';
import { JobQueue, TypedJob } from '../../queues/job-queue.service';
import { StorageService } from '../../storage/storage.service';
import { MediaKind } from '../../testimonies/testimony-status';
import { Scheduling } from '../facebook-page.entity';
import { GraphApi } from '../graph/graph-api.port';
import { GraphError } from '../graph/graph-error';
import { OpenPage, PageConnectionService } from '../page-connection.service';
import { Publication, PublicationState, postText } from '../publication.entity';
import { BUSY_RETRY_MS, PublishResult, publishJobId, takeDownJobOptions } from '../publishing.job';
import { MIN_AHEAD_MINUTES } from '../schedule-window';
import { findLostPost } from './find-lost-post';
import { PinnedMedia } from './pinned-media';
import { PublicationStore } from './publication.store';

/** Meta's refusals of a request as sent: sending the same again gets the same answer. */
const REFUSALS: GraphError['kind'][] = ['bad_request', 'policy'];

/** What the row says of a video that is public but whose caption file Meta refused. */
function captionProblem(error: GraphError): Partial<Publication> {
  return { errorKind: 'captions', errorCode: error.code ?? null, errorSubcode: error.subcode ?? null, errorMessage: error.message.slice(0, 2000), errorUserMessage: error.userMessage ?? error.userTitle ?? null };
}

/** How long to wait before looking on the Page for a create call whose answer was lost. */
const RECONCILE_AFTER_MS = 20_000;
/** A Page that needs an admin is checked again this often; scheduled posts wait, they do not fail. */
const PAGE_RECHECK_MS = 5 * 60_000;

/**
 * Sends one publication to the Page, exactly once. Before each call that creates something on the Page
 * the row says what is about to happen, and every id Meta returns is stored the moment it comes back. A
 * call whose answer is lost makes the publication `unknown`; the next run looks on the Page for what that
 * call made before it sends anything again. A run that finds the publication `publishing` (its worker
 * died) does the same.
 */
@Injectable()
export class PublishHandler {
  private readonly logger = new Logger(PublishHandler.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly store: PublicationStore,
    private readonly pages: PageConnectionService,
    private readonly graph: GraphApi,
    private readonly media: PinnedMedia,
    private readonly storage: StorageService,
    private readonly jobs: JobQueue,
  ) {}

  @JobHandler(JobName.PublishPublication)
  async run(job: TypedJob<JobName.PublishPublication>): Promise<PublishResult> {
    const { publicationId, version } = job.data;
    let run: Locked<PublishResult> | undefined;
    try {
      run = await this.store.alone(publicationId, () => this.runAlone(publicationId, version));
    } finally {
      if (run?.ran !== false) await this.takeDownIfAsked(publicationId);
    }
    // Another run holds the publication (a takedown, a send): this one looks again once it is likely done.
    return run.ran ? run.value : runAgainLater(job, BUSY_RETRY_MS);
  }

  private async runAlone(publicationId: string, version: number): Promise<PublishResult> {
    const p = await this.store.find(publicationId);
    if (!p || p.version !== version) return { outcome: 'stale' };
    if (![PublicationState.Scheduled, PublicationState.Publishing, PublicationState.Unknown].includes(p.state)) return { outcome: 'stale' };
    if (p.state === PublicationState.Scheduled && p.handedToFacebook) return this.heldByFacebook(p);
    const open = await this.pages.open(p.pageRef);
    if (!open || !(await this.pages.usable(open.page))) return this.waitForPage(p, open);
    if (p.state === PublicationState.Scheduled && p.scheduledAt.getTime() > Date.now() + 1000 && !this.facebookTime(p, open)) {
      // Early: a job whose clock runs ahead of ours, or a time too close for Facebook to hold the post.
      await this.followUp(p, p.scheduledAt.getTime() - Date.now());
      return { outcome: 'not_due' };
    }
    try {
      return await this.publish(p, open);
    } catch (error) {
      return this.onError(p, open, error);
    }
  }

  /** BullMQ gave up (transient faults to the end, or a worker that kept dying): say so, never guess. */
  @JobGaveUp(JobName.PublishPublication)
  async gaveUp(job: TypedJob<JobName.PublishPublication>, error: Error): Promise<void> {
    // A run of another job still holding the publication settles the row itself (the reconciler calls
    // this for an old failed job too, whatever happened to the publication since).
    await this.store.alone(job.data.publicationId, () => this.settleGaveUp(job, error));
  }

  private async settleGaveUp(job: TypedJob<JobName.PublishPublication>, error: Error): Promise<void> {
    const p = await this.store.find(job.data.publicationId);
    if (!p || p.version !== job.data.version) return;
    if (p.state === PublicationState.Publishing) {
      // A create call may have gone out: only a look at the Page can tell.
      await this.store.update(p.id, { state: PublicationState.Unknown, errorKind: 'outcome_unknown', errorMessage: error.message.slice(0, 2000) });
    } else if (p.state === PublicationState.Scheduled) {
      await this.store.failed(p, { kind: 'transient', message: `Facebook could not be reached after several tries: ${error.message}` });
    }
  }

  private async publish(start: Publication, open: OpenPage): Promise<PublishResult> {
    let p = start;
    if (p.state === PublicationState.Unknown || p.state === PublicationState.Publishing) {
      const settled = await this.whileUncertain(p, open, () => this.reconcile(p, open));
      if (settled) return settled;
      p = (await this.store.find(p.id))!;
    }
    // Every send passes the claim's checks, also after a look on the Page that found nothing.
    const claim = await this.store.claim(p.id, p.version);
    if ('refused' in claim) return { outcome: claim.refused === 'stale' ? 'stale' : claim.refused === 'cancelled' ? 'cancelled' : 'failed' };
    p = claim.publication;
    return p.kind === MediaKind.Photo ? this.publishPhoto(p, open) : this.publishVideo(p, open);
  }

  /**
   * A post Facebook holds for its time stays `scheduled` here (it can still be cancelled, which deletes
   * it there); once the time has come it is published by Facebook, and the row says so.
   */
  private async heldByFacebook(p: Publication): Promise<PublishResult> {
    if (p.scheduledAt.getTime() > Date.now()) {
      await this.followUp(p, p.scheduledAt.getTime() - Date.now());
      return { outcome: 'not_due' };
    }
    await this.store.published(p, { publishedAt: p.scheduledAt });
    return { outcome: 'published' };
  }

  /**
   * After Facebook accepted a post to hold, a job at its time records it as published. An item that lost
   * its approval while the post was being sent has it deleted there instead, or Facebook would publish it.
   */
  private async handedOver(p: Publication, ids: Partial<Publication>): Promise<PublishResult> {
    if ((await this.store.stopReason(p)) === 'not_approved') {
      await this.store.update(p.id, { ...ids, state: PublicationState.Cancelled, version: p.version + 1, errorKind: 'not_approved', takedownRequestedAt: new Date() });
      return { outcome: 'cancelled' };
    }
    await this.store.update(p.id, { ...ids, state: PublicationState.Scheduled, handedToFacebook: true });
    await this.followUp(p, Math.max(0, p.scheduledAt.getTime() - Date.now()));
    return { outcome: 'handed_to_facebook' };
  }

  /** Facebook keeps the time when the Page hands scheduling to it and the time is far enough ahead. */
  private facebookTime(p: Publication, open: OpenPage): Date | undefined {
    const ahead = p.scheduledAt.getTime() - Date.now();
    return open.page.scheduling === Scheduling.Facebook && ahead >= MIN_AHEAD_MINUTES * 60_000 ? p.scheduledAt : undefined;
  }

  private async publishPhoto(p: Publication, open: OpenPage): Promise<PublishResult> {
    const file = await this.media.file(p);
    const scheduledPublishTime = this.facebookTime(p, open);
    const stop = await this.store.stopReason(p);
    if (stop) return this.abandon(p, stop);
    if (!(await this.store.startPhotoCreate(p))) {
      // Another post with these words is out and its answer lost: this one goes once that one is found.
      await this.backToScheduled(p);
      await this.followUp(p, BUSY_RETRY_MS);
      return { outcome: 'busy' };
    }
    const attempt = await this.store.begin(p.id, 'photo', { key: file.key, bytes: file.size, scheduled: scheduledPublishTime?.toISOString() ?? null });
    const jpeg = { stream: await this.storage.get(file.key), length: file.size, fileName: `${p.testimonyId}.jpg` };
    try {
      const result = await this.graph.publishPhoto(open.page.pageId, open.token, { jpeg, message: postText(p), scheduledPublishTime });
      await this.store.settle(attempt, 'ok', { postId: result.postId });
      if (scheduledPublishTime) return this.handedOver(p, { photoId: result.photoId, postId: result.postId });
      await this.store.published(p, { photoId: result.photoId, postId: result.postId, publishedAt: new Date() });
      return { outcome: 'published' };
    } catch (error) {
      await this.store.settle(attempt, error instanceof GraphError && error.kind === 'outcome_unknown' ? 'unknown' : 'failed', { error: (error as Error).message });
      throw error;
    }
  }

  private async publishVideo(p: Publication, open: OpenPage): Promise<PublishResult> {
    const file = await this.media.file(p);
    let offsets = { start: p.uploadStartOffset ?? 0, end: p.uploadEndOffset ?? 0 };
    if (!p.videoId || !p.uploadSessionId) {
      const attempt = await this.store.begin(p.id, 'video_start', { bytes: file.size });
      const session = await this.graph.startVideoUpload(open.page.pageId, open.token, file.size);
      // Stored before a byte is sent: the video id is how a lost finish is found later.
      await this.store.update(p.id, { videoId: session.videoId, uploadSessionId: session.uploadSessionId, uploadStartOffset: session.startOffset, uploadEndOffset: session.endOffset });
      await this.store.settle(attempt, 'ok', { videoId: session.videoId });
      p = { ...p, videoId: session.videoId, uploadSessionId: session.uploadSessionId };
      offsets = { start: session.startOffset, end: session.endOffset };
    }
    const stop = (await this.transfer(p, open, file.key, file.size, offsets)) ?? (await this.store.stopReason(p));
    if (stop) return this.abandon(p, stop);
    const scheduledPublishTime = this.facebookTime(p, open);
    await this.store.update(p.id, { createStartedAt: new Date() });
    const attempt = await this.store.begin(p.id, 'video_finish', { videoId: p.videoId, scheduled: scheduledPublishTime?.toISOString() ?? null });
    try {
      await this.graph.finishVideoUpload(open.page.pageId, open.token, { uploadSessionId: p.uploadSessionId!, title: p.messageKm.split('\n')[0].slice(0, 250), description: postText(p), scheduledPublishTime });
      await this.store.settle(attempt, 'ok');
    } catch (error) {
      await this.store.settle(attempt, error instanceof GraphError && error.kind === 'outcome_unknown' ? 'unknown' : 'failed', { error: (error as Error).message });
      throw error;
    }
    await this.store.update(p.id, { handedToFacebook: Boolean(scheduledPublishTime) });
    const finished = { ...p, handedToFacebook: Boolean(scheduledPublishTime) };
    return this.whileUncertain(finished, open, () => this.afterFinish(finished, open));
  }

  /**
   * A video Facebook could not process is never shown, and its upload session is spent: a retry sends
   * the file again as a new upload. The failed one is deleted on Facebook first; should that fail, the row
   * keeps its id until a retry replaces it, so a withdrawal meanwhile still deletes it.
   */
  private async dropFailedUpload(p: Publication, open: OpenPage): Promise<Partial<Publication>> {
    const fresh = { uploadSessionId: null, uploadStartOffset: null, uploadEndOffset: null, createStartedAt: null };
    const attempt = await this.store.begin(p.id, 'takedown', { objectId: p.videoId });
    try {
      await this.graph.deleteObject(p.videoId!, open.token);
      await this.store.settle(attempt, 'ok');
      return { ...fresh, videoId: null };
    } catch (error) {
      await this.store.settle(attempt, 'failed', { error: (error as Error).message });
      return fresh;
    }
  }

  /**
   * Consent was withdrawn, or the item lost its approval, while this run held the publication and before
   * anything was made public: it stops here. The takedown that follows deletes the unfinished upload.
   */
  private async abandon(p: Publication, reason: 'withdrawn' | 'not_approved'): Promise<PublishResult> {
    const deleteUpload = reason === 'not_approved' && p.videoId ? { takedownRequestedAt: new Date() } : {};
    await this.store.update(p.id, { state: PublicationState.Cancelled, version: p.version + 1, errorKind: reason, ...deleteUpload });
    return { outcome: 'cancelled' };
  }

  /**
   * Sends the bytes Meta asks for, chunk by chunk, each streamed from S3 (never the whole file in memory).
   * Each answer is stored, so a restarted job goes on from the offset Facebook last reported; a wrong
   * offset is answered with the right ones, and the upload goes on from there. Stops between chunks,
   * saying why, when the publication must not go out any more.
   */
  private async transfer(p: Publication, open: OpenPage, key: string, size: number, from: { start: number; end: number }): Promise<'withdrawn' | 'not_approved' | null> {
    let { start, end } = from;
    if (end <= start && start < size) end = size;
    while (start < end) {
      const stop = await this.store.stopReason(p);
      if (stop) return stop;
      const chunkEnd = Math.min(end, size);
      try {
        const next = await this.graph.transferVideoChunk(open.page.pageId, open.token, {
          uploadSessionId: p.uploadSessionId!,
          startOffset: start,
          chunk: await this.storage.getRange(key, start, chunkEnd),
          length: chunkEnd - start,
        });
        ({ startOffset: start, endOffset: end } = next);
      } catch (error) {
        if (!(error instanceof GraphError) || error.kind !== 'wrong_offset' || !error.correctOffsets) throw error;
        this.logger.warn(`Facebook wants publication ${p.id}'s upload from ${error.correctOffsets.startOffset}, not ${start}; going on from there.`);
        ({ startOffset: start, endOffset: end } = error.correctOffsets);
      }
      await this.store.update(p.id, { uploadStartOffset: start, uploadEndOffset: end });
    }
    return null;
  }

  /** After the finish arrived: caption files, then Meta's processing until the video is ready or in error. */
  private async afterFinish(p: Publication, open: OpenPage): Promise<PublishResult> {
    let captionsRefused: GraphError | undefined;
    if (!this.media.burnedIn(p)) {
      for (const file of await this.media.captionFiles(p)) {
        const attempt = await this.store.begin(p.id, 'captions', { fileName: file.fileName });
        try {
          await this.graph.uploadCaptions(p.videoId!, open.token, file);
          await this.store.settle(attempt, 'ok');
        } catch (error) {
          await this.store.settle(attempt, 'failed', { error: (error as Error).message });
          if (!(error instanceof GraphError) || !REFUSALS.includes(error.kind)) throw error;
          // The video is public already: a caption file Meta refuses is reported with it, never turned
          // into a failed publication, which an editor would send again.
          captionsRefused = error;
        }
      }
    }
    const deadline = Date.now() + this.config.publishing.videoReadyTimeoutSeconds * 1000;
    for (;;) {
      const status = await this.graph.getVideoStatus(p.videoId!, open.token);
      const problem = captionsRefused ? captionProblem(captionsRefused) : {};
      if (p.handedToFacebook && (status.videoStatus === 'ready' || status.processingPhase?.status === 'complete')) return this.handedOver(p, problem);
      if (status.videoStatus === 'ready') {
        await this.store.published(p, { publishedAt: new Date(), ...problem });
        return { outcome: 'published' };
      }
      if (status.videoStatus === 'error') {
        const reason = [status.processingPhase, status.uploadingPhase, status.publishingPhase].flatMap((phase) => phase?.errors ?? []).map((e) => e.message).join(' ');
        await this.store.failed(p, { kind: 'video_error', message: reason || 'Facebook could not process the video.' }, await this.dropFailedUpload(p, open));
        return { outcome: 'failed' };
      }
      if (Date.now() > deadline) {
        // Still processing on Facebook's side: a later job looks again rather than holding a worker.
        await this.followUp(p, this.config.publishing.videoPollMs * 6);
        return { outcome: 'unknown' };
      }
      await sleep(this.config.publishing.videoPollMs);
    }
  }

  /**
   * Looks on the Page for what a create call whose answer was lost made. Settled (found and finished, or
   * gone on) returns the result; otherwise the row is back to `scheduled` and may be sent again, because
   * nothing of it is on the Page.
   */
  private async reconcile(p: Publication, open: OpenPage): Promise<PublishResult | null> {
    const attempt = await this.store.begin(p.id, 'reconcile', { state: p.state });
    if (p.kind === MediaKind.Video && p.videoId) {
      const status = await this.graph.getVideoStatus(p.videoId, open.token);
      const finishArrived = status.publishingPhase !== undefined && status.publishingPhase.status !== 'not_started';
      await this.store.settle(attempt, finishArrived ? 'found' : 'not_found', { videoId: p.videoId, videoStatus: status.videoStatus });
      if (finishArrived) {
        await this.store.update(p.id, { state: PublicationState.Publishing });
        return this.afterFinish(p, open);
      }
      // The upload never finished: it goes on (same session, from where Facebook is) once the checks of
      // a scheduled publication pass again, since the item may have left approval meanwhile.
    } else if (p.kind === MediaKind.Photo && p.createStartedAt) {
      const found = await findLostPost(this.graph, open, p, (ids) => this.store.postsOfOthers(p.id, ids));
      await this.store.settle(attempt, found ? 'found' : 'not_found', { postId: found?.id ?? null });
      if (found) {
        if (found.scheduledPublishTime) return this.handedOver(p, { postId: found.id });
        await this.store.published(p, { postId: found.id, publishedAt: found.createdTime });
        return { outcome: 'published' };
      }
    } else {
      await this.store.settle(attempt, 'not_found', { reason: 'no create call was sent' });
    }
    await this.store.update(p.id, { state: PublicationState.Scheduled, errorKind: null, errorMessage: null });
    return null;
  }

  private async onError(p: Publication, open: OpenPage, error: unknown): Promise<PublishResult> {
    if (!(error instanceof GraphError)) throw error;
    const current = (await this.store.find(p.id)) ?? p;
    switch (error.kind) {
      case 'token':
      case 'permission':
      case 'throttled':
        await this.backToScheduled(current);
        return this.pauseForPage(current, open, error);
      case 'outcome_unknown':
        await this.store.update(p.id, { state: PublicationState.Unknown, errorKind: 'outcome_unknown', errorMessage: error.message.slice(0, 2000) });
        await this.followUp(current, RECONCILE_AFTER_MS);
        return { outcome: 'unknown' };
      case 'transient':
      case 'wrong_offset':
        // BullMQ retries with backoff; the next run finds `publishing` and looks on the Page first.
        throw error;
      default:
        await this.store.failed(current, error);
        return { outcome: 'failed' };
    }
  }

  /**
   * Errors of calls made while something of ours may be on the Page already: a look on the Page for a lost
   * answer, and the steps after a video's finish. The row stays `publishing` or becomes `unknown`, never
   * `scheduled` or `failed`, either of which would let the item be sent again while its first copy is up.
   */
  private async whileUncertain<T>(p: Publication, open: OpenPage, work: () => Promise<T>): Promise<T | PublishResult> {
    try {
      return await work();
    } catch (error) {
      // BullMQ retries; the next run finds the row as it is and looks on the Page first.
      if (!(error instanceof GraphError) || error.kind === 'transient') throw error;
      if (error.kind === 'token' || error.kind === 'permission' || error.kind === 'throttled') return this.pauseForPage(p, open, error);
      await this.store.update(p.id, { state: PublicationState.Unknown, errorKind: 'outcome_unknown', errorMessage: error.message.slice(0, 2000) });
      // A lost answer is looked for again by itself; any other refusal waits for an editor's Reconcile.
      if (error.kind === 'outcome_unknown') await this.followUp(p, RECONCILE_AFTER_MS);
      return { outcome: 'unknown' };
    }
  }

  /** Meta refused the token or throttled the Page: the Page waits, and this publication looks again later. */
  private async pauseForPage(p: Publication, open: OpenPage, error: GraphError): Promise<PublishResult> {
    let wait = PAGE_RECHECK_MS;
    if (error.kind === 'throttled') {
      wait = error.retryAfterMs ?? PAGE_RECHECK_MS;
      await this.pages.throttled(open.page.id, new Date(Date.now() + wait), error);
    } else {
      await this.pages.needsReconnect(open.page.id, error);
    }
    await this.followUp(p, wait);
    return { outcome: 'waiting_for_page' };
  }

  /**
   * A takedown asked for while this run held the publication waited for it (backing off); it goes now.
   */
  private async takeDownIfAsked(id: string): Promise<void> {
    const p = await this.store.find(id);
    if (!p?.takedownRequestedAt || p.takenDownAt || p.state === PublicationState.Publishing) return;
    await this.jobs
      .runNow(JobName.TakeDownPublication, { publicationId: id }, takeDownJobOptions(id))
      .catch((error: Error) => this.logger.warn(`Takedown of ${id} waits for its retry or the reconciler: ${error.message}`));
  }

  /**
   * Nothing was created (the call was refused): the publication waits as scheduled. A video keeps its
   * upload session, so the next run goes on with it.
   */
  private async backToScheduled(p: Publication): Promise<void> {
    if (p.state === PublicationState.Publishing) await this.store.update(p.id, { state: PublicationState.Scheduled });
  }

  private async waitForPage(p: Publication, open: OpenPage | null): Promise<PublishResult> {
    const until = open?.page.throttledUntil ? Math.max(open.page.throttledUntil.getTime() - Date.now(), 1000) : PAGE_RECHECK_MS;
    await this.followUp(p, until);
    return { outcome: 'waiting_for_page' };
  }

  /** Another run of the same version later; the row, not the job, says what it will do. */
  private async followUp(p: Publication, delayMs: number): Promise<void> {
    await this.jobs.enqueue(JobName.PublishPublication, { publicationId: p.id, version: p.version }, { jobId: publishJobId(p.id, p.version, Date.now()), delay: delayMs });
  }
}
