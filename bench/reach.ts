/**
 * The leads' dashboard over a year of data: 5,000 published items, 1 million insight snapshots and
 * 20,000 screening attendances. Each route's p95 is printed beside the same question asked of the raw
 * tables (the newest reading per figure picked out of the snapshot history, with no insight_latest).
 */
import { Pool } from 'pg';
import { randomUUID } from 'node:crypto';
import { createApiApp } from '../src/api-app';
import { loadConfig } from '../src/config/app-config';
import { refreshPostFigures } from '../src/modules/reach/insights/insights.repository';
import { PasswordHasher } from '../src/modules/users/password-hasher';
import { BenchEnv, percentile, record, time } from './support';

const ITEMS = 5000;
const READINGS_PER_METRIC = 40;
const POST_METRICS = ['post_total_media_view_unique', 'post_media_view', 'post_reactions_by_type_total', 'post_clicks', 'total_video_views'];
const SCREENINGS = 1000;
const ATTENDEES_PER_SCREENING = 20;
/** People who come back: 20,000 attendances among 8,000 people. */
const PEOPLE = 8000;
const RUNS = 60;

/** The newest reading per post and metric, out of the history only. */
const RAW_LATEST = `(SELECT DISTINCT ON (object_id, metric) publication_id, metric, value_number FROM insight_snapshots
                     WHERE subject = 'post' AND period = 'lifetime' ORDER BY object_id, metric, read_at DESC)`;

export async function generate(pg: Pool): Promise<string> {
  const hash = await new PasswordHasher().hash('bench-password-123');
  const [{ id: educator }] = (await pg.query(`INSERT INTO users (username, display_name, password_hash, role, commune_id) VALUES ($1, 'Bench Educator', 'x', 'educator', (SELECT id FROM communes ORDER BY code LIMIT 1)) RETURNING id`, [`bench-${randomUUID().slice(0, 8)}`])).rows;
  const lead = `bench-${randomUUID().slice(0, 8)}`;
  await pg.query(`INSERT INTO users (username, display_name, password_hash, role) VALUES ($1, 'Bench Lead', $2, 'lead')`, [lead, hash]);
  const [{ id: verifier }] = (await pg.query(`INSERT INTO users (username, display_name, password_hash, role) VALUES ($1, 'Bench Lead 2', 'x', 'lead') RETURNING id`, [`bench-${randomUUID().slice(0, 8)}`])).rows;
  const [{ id: page }] = (await pg.query(`INSERT INTO facebook_pages (page_id, name, token_sealed, token_type) VALUES ('bench', 'Bench Page', 'x', 'PAGE') RETURNING id`)).rows;
  await pg.query(
    `INSERT INTO testimonies (title, kind, language, status, commune_id, educator_id, created_at)
     SELECT 'ទីបន្ទាល់ ' || g, (CASE WHEN g % 3 = 0 THEN 'photo' ELSE 'video' END)::media_kind, (ARRAY['km','km','en','th'])[1 + g % 4],
            (CASE WHEN g % 97 = 0 THEN 'withdrawn' ELSE 'approved' END)::testimony_status, c.ids[1 + g % array_length(c.ids, 1)], $1, now() - (g % 365) * interval '1 day'
       FROM generate_series(1, ${ITEMS}) g, (SELECT array_agg(id ORDER BY code) AS ids FROM communes) c`,
    [educator],
  );
  await pg.query(`INSERT INTO testimony_decisions (testimony_id, kind) SELECT id, 'approved' FROM testimonies`);
  await pg.query(
    `INSERT INTO publications (testimony_id, page_ref, decision_id, kind, state, scheduled_at, pinned, post_id, published_at)
     SELECT t.id, $1, d.id, t.kind::text, 'published', t.created_at, '{}', 'bench_' || row_number() OVER (), t.created_at
       FROM testimonies t JOIN testimony_decisions d ON d.testimony_id = t.id`,
    [page],
  );
  // 5,000 posts x 5 metrics x 40 readings = 1,000,000 snapshots; the newest of each kept in insight_latest,
  // and each post's figures in post_figures, as the sync keeps them.
  await pg.query(
    `INSERT INTO insight_snapshots (page_ref, publication_id, object_id, subject, metric, period, value, value_number, read_at, api_version)
     SELECT $1, p.id, p.post_id, 'post', m, 'lifetime', to_jsonb(r * 37 + length(p.post_id)), r * 37 + length(p.post_id), p.published_at + r * interval '6 hours', 'v25.0'
       FROM publications p, unnest($2::text[]) m, generate_series(1, ${READINGS_PER_METRIC}) r`,
    [page, POST_METRICS],
  );
  await pg.query(
    `INSERT INTO insight_latest (page_ref, publication_id, object_id, subject, metric, period, value, value_number, read_at, api_version)
     SELECT DISTINCT ON (object_id, metric) page_ref, publication_id, object_id, subject, metric, period, value, value_number, read_at, api_version
       FROM insight_snapshots ORDER BY object_id, metric, read_at DESC`,
  );
  await refreshPostFigures(pg, (await pg.query(`SELECT array_agg(id) AS ids FROM publications`)).rows[0].ids);
  await pg.query(
    `INSERT INTO insight_latest (page_ref, object_id, subject, metric, period, end_time, value, value_number, read_at, api_version)
     SELECT $1, 'bench', 'page', m.name, m.period, now() - d * interval '1 day', to_jsonb(d * 11), d * 11, now(), 'v25.0'
       FROM generate_series(0, 364) d, (VALUES ('page_total_media_view_unique', 'day'), ('page_total_media_view_unique', 'days_28'), ('page_media_view', 'day')) m(name, period)`,
    [page],
  );
  await pg.query(
    `INSERT INTO screenings (held_on, commune_id, group_name, headcount, items_key, recorded_by, verified_by, verified_at)
     SELECT current_date - (g % 360), c.ids[1 + g % array_length(c.ids, 1)], 'Group ' || (g % 200), ${ATTENDEES_PER_SCREENING}, 'k' || g, $1, $2, now()
       FROM generate_series(1, ${SCREENINGS}) g, (SELECT array_agg(id) AS ids FROM communes) c`,
    [educator, verifier],
  );
  await pg.query(
    `INSERT INTO screening_items (screening_id, testimony_id)
     SELECT s.id, t.id FROM (SELECT id, row_number() OVER () AS n FROM screenings) s
       JOIN (SELECT id, row_number() OVER () AS n FROM testimonies) t ON t.n IN (1 + (s.n * 7) % ${ITEMS}, 1 + (s.n * 13) % ${ITEMS})`,
  );
  await pg.query(
    `INSERT INTO screening_attendances (screening_id, person_key, sex, age_band)
     SELECT s.id, encode(sha256(convert_to('person ' || ((s.n * ${ATTENDEES_PER_SCREENING} + a) % ${PEOPLE}), 'UTF8')), 'hex'),
            (ARRAY['female','male','female','other'])[1 + ((s.n + a) % 4)], (ARRAY['0-14','15-17','18-24','25-34','35-49','50+'])[1 + ((s.n * a) % 6)]
       FROM (SELECT id, row_number() OVER () AS n FROM screenings) s, generate_series(1, ${ATTENDEES_PER_SCREENING}) a
     ON CONFLICT DO NOTHING`,
  );
  await pg.query(`ANALYZE`);
  return lead;
}

export async function benchReach(env: BenchEnv): Promise<void> {
  const config = loadConfig(env);
  const pg = new Pool({ connectionString: config.database.url, max: 2 });
  const lead = await generate(pg);
  const app = await createApiApp(config);
  await app.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  const login = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: lead, password: 'bench-password-123' }) });
  const { accessToken } = (await login.json()) as { accessToken: string };

  const p95 = async (one: () => Promise<unknown>): Promise<number> => {
    for (let i = 0; i < 5; i++) await one();
    const latencies: number[] = [];
    for (let i = 0; i < RUNS; i++) latencies.push((await time(one))[0]);
    return percentile(latencies, 95);
  };
  const route = (path: string) => async () => {
    const res = await fetch(`${url}/api${path}`, { headers: { authorization: `Bearer ${accessToken}` } });
    if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
    await res.arrayBuffer();
  };
  const sql = (text: string) => () => pg.query(text);

  const questions: [string, string, string][] = [
    [
      'progress (unique people, estimate)',
      '/reach/progress',
      `SELECT count(DISTINCT a.person_key), (SELECT max(value_number) FROM ${RAW_LATEST} l WHERE metric = 'post_total_media_view_unique')
         FROM screenings s JOIN screening_attendances a ON a.screening_id = s.id WHERE s.verified_at IS NOT NULL`,
    ],
    [
      'breakdown by commune',
      '/reach/breakdown?by=commune',
      `SELECT t.commune_id, sum(l.value_number) FROM publications p JOIN testimonies t ON t.id = p.testimony_id JOIN ${RAW_LATEST} l ON l.publication_id = p.id AND l.metric = 'post_media_view' GROUP BY 1`,
    ],
    [
      'breakdown by item',
      '/reach/breakdown?by=item',
      `SELECT p.testimony_id, sum(l.value_number) FROM publications p JOIN ${RAW_LATEST} l ON l.publication_id = p.id AND l.metric = 'post_media_view' GROUP BY 1`,
    ],
    ['breakdown by month', '/reach/breakdown?by=period&granularity=month', `SELECT date_trunc('month', s.held_on), count(DISTINCT a.person_key) FROM screenings s JOIN screening_attendances a ON a.screening_id = s.id GROUP BY 1`],
    ['offline by sex and age', '/reach/offline-profile', `SELECT sex, age_band, count(DISTINCT person_key) FROM screening_attendances GROUP BY 1, 2`],
    [
      'top 20 testimonies',
      '/reach/testimonies?limit=20',
      `SELECT p.testimony_id, max(l.value_number) AS r FROM publications p JOIN ${RAW_LATEST} l ON l.publication_id = p.id AND l.metric = 'post_total_media_view_unique' GROUP BY 1 ORDER BY r DESC LIMIT 20`,
    ],
  ];
  for (const [what, path, raw] of questions) {
    record(`Reach ${what}: GET p95 vs raw tables (ms)`, await p95(route(path)), await p95(sql(raw)), 'ms', 'ours < 100 ms at p95');
  }
  await app.close();
  await pg.end();
}
