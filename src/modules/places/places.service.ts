import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Commune } from './commune.entity';
import { Province } from './province.entity';

@Injectable()
export class PlacesService {
  constructor(
    @InjectRepository(Province) private readonly provinces: Repository<Province>,
    @InjectRepository(Commune) private readonly communes: Repository<Commune>,
  ) {}

  listProvinces(): Promise<Province[]> {
    return this.provinces.find({ relations: { communes: true }, order: { nameEn: 'ASC', communes: { nameEn: 'ASC' } } });
  }

  findCommune(id: string): Promise<Commune | null> {
    return this.communes.findOne({ where: { id }, relations: { province: true } });
  }

  /**
   * Every campaign commune with its province, read once: the 25 communes are seeded by a migration and
   * never change while the process runs, so lists need not join them for every row.
   */
  communesById(): Promise<Map<string, Commune>> {
    this.communeCache ??= this.communes
      .find({ relations: { province: true } })
      .then((rows) => new Map(rows.map((c) => [c.id, c])))
      .catch((error: unknown) => {
        this.communeCache = undefined;
        throw error;
      });
    return this.communeCache;
  }

  private communeCache?: Promise<Map<string, Commune>>;
}
