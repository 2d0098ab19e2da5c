import { ApiProperty } from '@nestjs/swagger';
import { Commune } from '../commune.entity';
import { Province } from '../province.entity';

export class ProvinceRefDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '01' }) code: string;
  @ApiProperty({ example: 'បន្ទាយមានជ័យ' }) nameKm: string;
  @ApiProperty({ example: 'Banteay Meanchey' }) nameEn: string;

  static from(p: Province): ProvinceRefDto {
    return { id: p.id, code: p.code, nameKm: p.nameKm, nameEn: p.nameEn };
  }
}

export class CommuneSummaryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '010201' }) code: string;
  @ApiProperty() nameKm: string;
  @ApiProperty() nameEn: string;
  @ApiProperty() districtKm: string;
  @ApiProperty() districtEn: string;

  static from(c: Commune): CommuneSummaryDto {
    return { id: c.id, code: c.code, nameKm: c.nameKm, nameEn: c.nameEn, districtKm: c.districtKm, districtEn: c.districtEn };
  }
}

export class CommuneDto extends CommuneSummaryDto {
  @ApiProperty({ type: ProvinceRefDto }) province: ProvinceRefDto;

  static override from(c: Commune): CommuneDto {
    return { ...CommuneSummaryDto.from(c), province: ProvinceRefDto.from(c.province) };
  }
}

export class ProvinceDto extends ProvinceRefDto {
  @ApiProperty({ type: [CommuneSummaryDto] }) communes: CommuneSummaryDto[];

  static override from(p: Province): ProvinceDto {
    return { ...ProvinceRefDto.from(p), communes: p.communes.map((c) => CommuneSummaryDto.from(c)) };
  }
}
