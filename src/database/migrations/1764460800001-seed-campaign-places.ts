import { MigrationInterface, QueryRunner } from 'typeorm';
import { CAMPAIGN_PROVINCES } from '../../modules/places/places.data';

/**
 * Reference data, not demo data: every deployment works in the same 25 communes. Upserts by gazetteer
 * code, so a later migration can call it again after a spelling fix in places.data.ts.
 */
export class SeedCampaignPlaces1764460800001 implements MigrationInterface {
  name = 'SeedCampaignPlaces1764460800001';

  async up(db: QueryRunner): Promise<void> {
    for (const province of CAMPAIGN_PROVINCES) {
      const [{ id }] = await db.query(
        `INSERT INTO provinces (code, name_km, name_en) VALUES ($1, $2, $3)
         ON CONFLICT (code) DO UPDATE SET name_km = EXCLUDED.name_km, name_en = EXCLUDED.name_en
         RETURNING id`,
        [province.code, province.nameKm.normalize('NFC'), province.nameEn],
      );
      for (const c of province.communes) {
        await db.query(
          `INSERT INTO communes (code, name_km, name_en, district_km, district_en, province_id)
           VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (code) DO UPDATE SET name_km = EXCLUDED.name_km, name_en = EXCLUDED.name_en,
             district_km = EXCLUDED.district_km, district_en = EXCLUDED.district_en, province_id = EXCLUDED.province_id`,
          [c.code, c.nameKm.normalize('NFC'), c.nameEn, c.districtKm.normalize('NFC'), c.districtEn, id],
        );
      }
    }
  }

  async down(db: QueryRunner): Promise<void> {
    const codes = CAMPAIGN_PROVINCES.map((p) => p.code);
    await db.query(`DELETE FROM communes WHERE province_id IN (SELECT id FROM provinces WHERE code = ANY($1))`, [codes]);
    await db.query(`DELETE FROM provinces WHERE code = ANY($1)`, [codes]);
  }
}
