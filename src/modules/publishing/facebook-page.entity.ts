import { Column, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export enum PageState {
  Working = 'working',
  /** Meta's rate limit: publishing waits until `throttledUntil`. */
  Throttled = 'throttled',
  /** The token stopped working (expired, password changed, permission removed): an admin must connect again. */
  NeedsReconnect = 'needs_reconnect',
}

/** Who keeps the time of a scheduled post: our worker publishes at the time, or Facebook holds the post. */
export enum Scheduling {
  Worker = 'worker',
  Facebook = 'facebook',
}

/** The campaign's Facebook Page, with its token sealed (see PageTokenCipher). One is connected at a time. */
@Entity('facebook_pages')
export class FacebookPage {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Meta's id of the Page. */
  @Column({ name: 'page_id', type: 'varchar', length: 64 })
  pageId: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  /** Never logged, never sent to a browser. */
  @Column({ name: 'token_sealed', type: 'text', select: false })
  tokenSealed: string;

  @Column({ name: 'token_type', type: 'varchar', length: 16 })
  tokenType: string;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  scopes: string[];

  @Column({ type: 'varchar', length: 10, default: Scheduling.Worker })
  scheduling: Scheduling;

  /** The local fake Page the single-machine start uses when no real Page is connected. */
  @Column({ type: 'boolean', default: false })
  simulated: boolean;

  @Column({ type: 'varchar', length: 16, default: PageState.Working })
  state: PageState;

  /** Why it needs re-connecting or is throttled, in Meta's words and ours. */
  @Column({ name: 'state_reason', type: 'text', nullable: true })
  stateReason: string | null;

  @Column({ name: 'throttled_until', type: 'timestamptz', nullable: true })
  throttledUntil: Date | null;

  @Column({ name: 'connected_by', type: 'uuid', nullable: true })
  connectedById: string | null;

  @Column({ name: 'connected_at', type: 'timestamptz', default: () => 'now()' })
  connectedAt: Date;

  @Column({ name: 'disconnected_at', type: 'timestamptz', nullable: true })
  disconnectedAt: Date | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
