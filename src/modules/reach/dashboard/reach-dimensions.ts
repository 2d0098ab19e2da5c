/** What a breakdown groups by. */
export const REACH_DIMENSIONS = ['period', 'province', 'commune', 'educator', 'language', 'kind', 'item'] as const;
export type ReachDimension = (typeof REACH_DIMENSIONS)[number];
export const GRANULARITIES = ['day', 'week', 'month'] as const;
export type Granularity = (typeof GRANULARITIES)[number];

interface DimensionSql {
  /** The group key over screenings `s` (with `c` its commune, and `t` an item shown when `viaItems`). */
  offline: string;
  /** The group key over published posts `p`, with what it needs joined (`onlineJoins`). */
  online: string;
  /**
   * Joined to `p` for the key: its testimony `t`, and `t`'s commune `c` for a province. Only what the
   * key reads: each join of the 5,000 posts costs the breakdown a few milliseconds.
   */
  onlineJoins: string;
  /** Offline reach is grouped through the items shown (a person counts once per item). */
  viaItems: boolean;
  /** Where a key's label is read (`id` = key), or null when the key is its own label. */
  label: { table: string; expr: string } | null;
}

const TESTIMONY_JOIN = 'JOIN testimonies t ON t.id = p.testimony_id';

/**
 * How each dimension maps onto both channels. Offline, a commune or educator is where and by whom the
 * screening was held; online, where the item came from and who recorded it.
 */
export function dimensionSql(by: Exclude<ReachDimension, 'period'>): DimensionSql {
  switch (by) {
    case 'province':
      return { offline: 'c.province_id', online: 'c.province_id', onlineJoins: `${TESTIMONY_JOIN} JOIN communes c ON c.id = t.commune_id`, viaItems: false, label: { table: 'provinces', expr: `name_en || ' / ' || name_km` } };
    case 'commune':
      return { offline: 's.commune_id', online: 't.commune_id', onlineJoins: TESTIMONY_JOIN, viaItems: false, label: { table: 'communes', expr: `name_en || ' / ' || name_km` } };
    case 'educator':
      return { offline: 's.recorded_by', online: 't.educator_id', onlineJoins: TESTIMONY_JOIN, viaItems: false, label: { table: 'users', expr: 'display_name' } };
    case 'language':
      return { offline: 't.language', online: 't.language', onlineJoins: TESTIMONY_JOIN, viaItems: true, label: null };
    case 'kind':
      return { offline: 't.kind::text', online: 't.kind::text', onlineJoins: TESTIMONY_JOIN, viaItems: true, label: null };
    case 'item':
      // A withdrawn item keeps its figures but not its title.
      return { offline: 't.id', online: 'p.testimony_id', onlineJoins: '', viaItems: true, label: { table: 'testimonies', expr: `CASE WHEN status = 'withdrawn' THEN NULL ELSE title END` } };
  }
}
