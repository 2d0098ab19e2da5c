import { Column, Entity, OneToMany, PrimaryGeneratedColumn } from 'typeorm';
import { Commune } from './commune.entity';

@Entity('provinces')
export class Province {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Cambodian gazetteer code: a stable key that data migrations can rely on. */
  @Column({ type: 'varchar', length: 2, unique: true })
  code: string;

  @Column({ name: 'name_km', type: 'text' })
  nameKm: string;

  @Column({ name: 'name_en', type: 'text' })
  nameEn: string;

  @OneToMany(() => Commune, (commune) => commune.province)
  communes: Commune[];
}
