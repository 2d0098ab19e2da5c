import { Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { Job, UnrecoverableError } from 'bullmq';
import { JobName } from './job-catalog';
import { JOB_GAVE_UP_KEY, JOB_HANDLER_KEY } from './job-handler.decorator';

type Handler = (job: Job) => Promise<unknown>;
type GaveUpHandler = (job: Job, error: Error) => Promise<void>;

/** Finds every @JobHandler at start-up and routes each job to its one handler. */
@Injectable()
export class JobDispatcher implements OnModuleInit {
  private readonly handlers = new Map<string, Handler>();
  private readonly gaveUpHandlers = new Map<string, GaveUpHandler>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
  ) {}

  onModuleInit(): void {
    const found = new Map<string, string[]>();
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object' || !wrapper.isDependencyTreeStatic()) continue;
      for (const method of this.scanner.getAllMethodNames(Object.getPrototypeOf(instance))) {
        const gaveUp = Reflect.getMetadata(JOB_GAVE_UP_KEY, instance[method] as object) as string | undefined;
        if (gaveUp) {
          if (this.gaveUpHandlers.has(gaveUp)) throw new Error(`The worker cannot start: job "${gaveUp}" has two @JobGaveUp methods.`);
          this.gaveUpHandlers.set(gaveUp, (instance[method] as GaveUpHandler).bind(instance));
        }
        const name = Reflect.getMetadata(JOB_HANDLER_KEY, instance[method] as object) as string | undefined;
        if (!name) continue;
        found.set(name, [...(found.get(name) ?? []), `${wrapper.name}.${method}`]);
        this.handlers.set(name, (instance[method] as Handler).bind(instance));
      }
    }
    const problems = Object.values(JobName).flatMap((name) => {
      const owners = found.get(name) ?? [];
      if (owners.length === 0) return [`job "${name}" has no @JobHandler`];
      if (owners.length > 1) return [`job "${name}" has ${owners.length} handlers: ${owners.join(', ')}`];
      return [];
    });
    if (problems.length > 0) throw new Error(`The worker cannot start: ${problems.join('; ')}.`);
  }

  async dispatch(job: Job): Promise<unknown> {
    const handler = this.handlers.get(job.name);
    // A job no handler knows will not become known by retrying.
    if (!handler) throw new UnrecoverableError(`No handler for job "${job.name}"`);
    return handler(job);
  }

  /** Lets the job's owner settle a job that will not be tried again (see @JobGaveUp). */
  async gaveUp(job: Job, error: Error): Promise<void> {
    await this.gaveUpHandlers.get(job.name)?.(job, error);
  }
}
