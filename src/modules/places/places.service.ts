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
}
