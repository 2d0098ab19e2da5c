export enum Role {
  Educator = 'educator',
  Editor = 'editor',
  Lead = 'lead',
  Admin = 'admin',
}

export const ALL_ROLES: readonly Role[] = [Role.Educator, Role.Editor, Role.Lead, Role.Admin];

export type Language = 'km' | 'en';
export const UI_LANGUAGES: readonly Language[] = ['km', 'en'];
