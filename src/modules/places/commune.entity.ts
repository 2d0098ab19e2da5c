import { Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Province } from './province.entity';

@Entity('communes')
export class Commune {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 6, unique: true })
  code: string;

  @Column({ name: 'name_km', type: 'text' })
  nameKm: string;

  @Column({ name: 'name_en', type: 'text' })
  nameEn: string;

  @Column({ name: 'district_km', type: 'text' })
  districtKm: string;

  @Column({ name: 'district_en', type: 'text' })
  districtEn: string;

  @Column({ name: 'province_id', type: 'uuid' })
  provinceId: string;

  @ManyToOne(() => Province, (province) => province.communes, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'province_id' })
  province: Province;
}
