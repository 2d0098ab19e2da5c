import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { AppError, ErrorCode } from '../../common/errors/app-error';
import { RequestContext } from '../../common/http/request-context';
import { AuditService } from '../audit/audit.service';
import { AuthUser } from '../auth/auth-user';
import { TestimoniesService } from '../testimonies/testimonies.service';
import { withdrawn } from '../testimonies/testimony-lifecycle.service';
import { MediaKind, TestimonyStatus } from '../testimonies/testimony-status';
import { Comment } from './comment.entity';
import { CommentDto, CommentInputDto } from './dto/review.dto';

/** The thread between an item's editors and its educator. Someone else's item is a 404, as everywhere. */
@Injectable()
export class CommentsService {
  constructor(
    @InjectRepository(Comment) private readonly comments: Repository<Comment>,
    private readonly db: DataSource,
    private readonly testimonies: TestimoniesService,
    private readonly audit: AuditService,
  ) {}

  async list(viewer: AuthUser, testimonyId: string): Promise<CommentDto[]> {
    await this.testimonies.get(viewer, testimonyId);
    const rows = await this.comments.find({ where: { testimonyId }, relations: { author: true }, order: { createdAt: 'ASC' } });
    return rows.map((c) => toDto(c, viewer));
  }

  async add(actor: AuthUser, testimonyId: string, input: CommentInputDto, context: RequestContext): Promise<CommentDto> {
    const item = await this.testimonies.get(actor, testimonyId);
    if (item.status === TestimonyStatus.Withdrawn) throw withdrawn();
    if (input.timecodeMs !== undefined && item.kind !== MediaKind.Video) {
      throw AppError.badRequest(ErrorCode.NotAVideo, 'Only comments on a video can point at a moment. Send it without a time.');
    }
    const id = await this.db.transaction(async (em) => {
      const saved = await em.getRepository(Comment).save(
        em.getRepository(Comment).create({ testimonyId, authorId: actor.id, body: input.body, timecodeMs: input.timecodeMs ?? null }),
      );
      await this.audit.record(
        { actor, action: 'testimony.commented', target: { type: 'testimony', id: testimonyId }, details: { commentId: saved.id, timecodeMs: saved.timecodeMs }, context },
        em,
      );
      return saved.id;
    });
    return toDto(await this.comments.findOneOrFail({ where: { id }, relations: { author: true } }), actor);
  }
}

function toDto(c: Comment, viewer: AuthUser): CommentDto {
  return {
    id: c.id,
    body: c.body,
    timecodeMs: c.timecodeMs,
    author: c.author?.displayName ?? null,
    authorRole: c.author?.role ?? null,
    mine: c.authorId === viewer.id,
    createdAt: c.createdAt.toISOString(),
  };
}
