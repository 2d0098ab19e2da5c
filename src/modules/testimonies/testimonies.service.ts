import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository, SelectQueryBuilder } from 'typeorm';
import { AppError } from '../../common/errors/app-error';
import { AuthUser } from '../auth/auth-user';
import { Role } from '../users/role';
import { TestimonyQueryDto } from './dto/testimony.dto';
import { Testimony } from './testimony.entity';

@Injectable()
export class TestimoniesService {
  constructor(@InjectRepository(Testimony) private readonly testimonies: Repository<Testimony>) {}

  /**
   * Every read goes through here, so the rule "educators see only their own items" lives in one place.
   * Editors, leads and admins see all.
   */
  private visibleTo(viewer: AuthUser): SelectQueryBuilder<Testimony> {
    const qb = this.testimonies
      .createQueryBuilder('t')
      .innerJoinAndSelect('t.commune', 'c')
      .innerJoinAndSelect('c.province', 'p')
      .innerJoinAndSelect('t.educator', 'e');
    if (viewer.role === Role.Educator) qb.andWhere('t.educatorId = :viewerId', { viewerId: viewer.id });
    return qb;
  }

  list(viewer: AuthUser, query: TestimonyQueryDto): Promise<[Testimony[], number]> {
    // Every join is many-to-one, so plain LIMIT/OFFSET pages correctly; skip/take would add a DISTINCT pre-query.
    const qb = this.visibleTo(viewer).orderBy('t.createdAt', 'DESC').addOrderBy('t.id', 'DESC').offset(query.skip).limit(query.pageSize);
    if (query.status) qb.andWhere('t.status = :status', { status: query.status });
    if (query.kind) qb.andWhere('t.kind = :kind', { kind: query.kind });
    if (query.communeId) qb.andWhere('t.communeId = :communeId', { communeId: query.communeId });
    return qb.getManyAndCount();
  }

  /** Someone else's item answers "not found", not "forbidden": an educator cannot probe for ids. */
  async get(viewer: AuthUser, id: string): Promise<Testimony> {
    const testimony = await this.visibleTo(viewer).andWhere('t.id = :id', { id }).getOne();
    if (!testimony) throw AppError.notFound('The testimony');
    return testimony;
  }
}
