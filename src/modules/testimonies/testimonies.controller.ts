import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ErrorResponseDto } from '../../common/http/error-response.dto';
import { AnyRole } from '../auth/access.decorators';
import { AuthUser, CurrentUser } from '../auth/auth-user';
import { TestimonyDto, TestimonyPageDto, TestimonyQueryDto, TestimonySummaryDto } from './dto/testimony.dto';
import { TestimoniesService } from './testimonies.service';

@ApiTags('testimonies')
@Controller('testimonies')
@AnyRole()
export class TestimoniesController {
  constructor(private readonly testimonies: TestimoniesService) {}

  @Get()
  @ApiOkResponse({ type: TestimonyPageDto, description: 'Educators get their own items; editors, leads and admins get all.' })
  async list(@CurrentUser() viewer: AuthUser, @Query() query: TestimonyQueryDto): Promise<TestimonyPageDto> {
    const [items, total] = await this.testimonies.list(viewer, query);
    return { items: items.map((t) => TestimonySummaryDto.from(t)), total, page: query.page, pageSize: query.pageSize };
  }

  @Get(':id')
  @ApiOkResponse({ type: TestimonyDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async get(@CurrentUser() viewer: AuthUser, @Param('id', new ParseUUIDPipe({ version: '4' })) id: string): Promise<TestimonyDto> {
    return TestimonyDto.from(await this.testimonies.get(viewer, id));
  }
}
