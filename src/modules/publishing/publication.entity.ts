import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { ApprovalPin } from '../review/decision.entity';
import { Testimony } from '../testimonies/testimony.entity';
import { MediaKind } from '../testimonies/testimony-status';

export enum PublicationState {
  Scheduled = 'scheduled',
  /** A create call is under way. */
  Publishing = 'publishing',
  Published = 'published',
  Failed = 'failed',
  /** A create call's answer was lost: the Page is looked at before anything is sent again. */
  Unknown = 'unknown',
  Cancelled = 'cancelled',
  TakenDown = 'taken_down',
}

/** States in which the item is, or may be, on the Page (or about to be): one at a time per item. */
export const LIVE_STATES = [PublicationState.Scheduled, PublicationState.Publishing, PublicationState.Unknown, PublicationState.Published];

/**
 * One item sent (or to be sent) to the Page: what was approved, the text, the time, and every Graph id
 * the moment Meta returns it. PostgreSQL is the source of truth; the delayed job only says "look now".
 */
@Entity('publications')
export class Publication {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'testimony_id', type: 'uuid' })
  testimonyId: string;

  @ManyToOne(() => Testimony, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'testimony_id' })
  testimony: Testimony;

  @Column({ name: 'page_ref', type: 'uuid' })
  pageRef: string;

  @Column({ name: 'decision_id', type: 'uuid' })
  decisionId: string;

  @Column({ type: 'varchar', length: 8 })
  kind: MediaKind;

  @Column({ type: 'varchar', length: 12 })
  state: PublicationState;

  /** Bumped by each reschedule or cancel: a job of an older version sees it is stale. */
  @Column({ type: 'integer', default: 1 })
  version: number;

  @Column({ name: 'scheduled_at', type: 'timestamptz' })
  scheduledAt: Date;

  /** Sent with `scheduled_publish_time`: Facebook holds the post until the time. */
  @Column({ name: 'handed_to_facebook', type: 'boolean', default: false })
  handedToFacebook: boolean;

  @Column({ name: 'message_km', type: 'text', default: '' })
  messageKm: string;

  @Column({ name: 'message_en', type: 'text', default: '' })
  messageEn: string;

  /** The renditions and caption versions the approval pinned: the only files this publication sends. */
  @Column({ type: 'jsonb' })
  pinned: ApprovalPin;

  @Column({ name: 'photo_id', type: 'varchar', length: 64, nullable: true })
  photoId: string | null;

  @Column({ name: 'post_id', type: 'varchar', length: 128, nullable: true })
  postId: string | null;

  @Column({ name: 'video_id', type: 'varchar', length: 64, nullable: true })
  videoId: string | null;

  @Column({ name: 'upload_session_id', type: 'varchar', length: 128, nullable: true })
  uploadSessionId: string | null;

  /** Where the resumable upload stands, as Meta last reported it: a restarted job goes on from here. */
  @Column({ name: 'upload_start_offset', type: 'bigint', nullable: true, transformer: { to: (v: number | null) => v, from: (v: string | null) => (v === null ? null : Number(v)) } })
  uploadStartOffset: number | null;

  @Column({ name: 'upload_end_offset', type: 'bigint', nullable: true, transformer: { to: (v: number | null) => v, from: (v: string | null) => (v === null ? null : Number(v)) } })
  uploadEndOffset: number | null;

  /** When the create call (photo post, video finish) was last sent: reconciliation looks from here on. */
  @Column({ name: 'create_started_at', type: 'timestamptz', nullable: true })
  createStartedAt: Date | null;

  @Column({ name: 'published_at', type: 'timestamptz', nullable: true })
  publishedAt: Date | null;

  @Column({ name: 'takedown_requested_at', type: 'timestamptz', nullable: true })
  takedownRequestedAt: Date | null;

  @Column({ name: 'taken_down_at', type: 'timestamptz', nullable: true })
  takenDownAt: Date | null;

  @Column({ name: 'error_kind', type: 'varchar', length: 20, nullable: true })
  errorKind: string | null;

  @Column({ name: 'error_code', type: 'integer', nullable: true })
  errorCode: number | null;

  @Column({ name: 'error_subcode', type: 'integer', nullable: true })
  errorSubcode: number | null;

  /** Meta's own message, kept for the editor (never "Unknown error"). */
  @Column({ name: 'error_message', type: 'text', nullable: true })
  errorMessage: string | null;

  @Column({ name: 'error_user_message', type: 'text', nullable: true })
  errorUserMessage: string | null;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdById: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/**
 * Whether Meta holds something of the publication: a post (out, or held by Facebook for its time) or a
 * video, finished or not. Cancelling such a publication deletes that there too.
 */
export function heldByMeta(p: Pick<Publication, 'handedToFacebook' | 'postId' | 'videoId' | 'photoId'>): boolean {
  return p.handedToFacebook || p.postId !== null || p.videoId !== null || p.photoId !== null;
}

/** The text of the post: Khmer first, then English, as the audience reads. */
export function postText(p: Pick<Publication, 'messageKm' | 'messageEn'>): string {
  return [p.messageKm, p.messageEn].filter((t) => t.trim() !== '').join('\n\n');
}
