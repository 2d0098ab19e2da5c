import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { ConsentModule } from '../consent/consent.module';
import { TestimoniesModule } from '../testimonies/testimonies.module';
import { TestimonyLifecycleModule } from '../testimonies/testimony-lifecycle.module';
import { Comment } from './comment.entity';
import { CommentsService } from './comments.service';
import { Decision } from './decision.entity';
import { ReviewController } from './review.controller';
import { ReviewService } from './review.service';

/** Editors' decisions, the comment thread and an item's history. */
@Module({
  imports: [TypeOrmModule.forFeature([Decision, Comment]), TestimoniesModule, TestimonyLifecycleModule, ConsentModule, AuditModule],
  controllers: [ReviewController],
  providers: [ReviewService, CommentsService],
})
export class ReviewModule {}
