import { Role } from '../modules/users/role';

/** Demo accounts for trying the system on one machine; seed-demo refuses to run in production. */
export const DEMO_PASSWORD = 'migra-demo-2026';

export const DEMO_USERS = [
  { username: 'demo-educator', displayName: 'សុខា ចាន់', role: Role.Educator, communeCode: '010201' },
  { username: 'demo-editor', displayName: 'Dara Kim', role: Role.Editor, communeCode: null },
  { username: 'demo-lead', displayName: 'Channary Sok', role: Role.Lead, communeCode: null },
  { username: 'demo-admin', displayName: 'Admin Migra', role: Role.Admin, communeCode: null },
] as const;
