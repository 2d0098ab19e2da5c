import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AnyRole } from '../auth/access.decorators';
import { ProvinceDto } from './dto/place.dto';
import { PlacesService } from './places.service';

@ApiTags('places')
@Controller('places')
export class PlacesController {
  constructor(private readonly places: PlacesService) {}

  @Get('provinces')
  @AnyRole()
  @ApiOkResponse({ type: [ProvinceDto], description: 'The campaign provinces with their communes, in Khmer and English.' })
  async provinces(): Promise<ProvinceDto[]> {
    return (await this.places.listProvinces()).map((p) => ProvinceDto.from(p));
  }
}
