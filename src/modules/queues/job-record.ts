import { Column, PrimaryGeneratedColumn } from 'typeorm';

/** What the rows kept about jobs (failures, recoveries) say about the job: it outlives Redis's copy. */
export abstract class JobRecord {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 64 })
  queue: string;

  @Column({ name: 'job_name', type: 'varchar', length: 64 })
  jobName: string;

  @Column({ name: 'job_id', type: 'varchar', length: 128 })
  jobId: string;

  @Column({ name: 'testimony_id', type: 'uuid', nullable: true })
  testimonyId: string | null;
}
