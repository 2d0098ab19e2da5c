import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { CreateUserDto, DISPLAY_NAME, UpdateProfileDto, USERNAME } from './user.dto';

function validate<T extends object>(cls: new () => T, plain: Record<string, unknown>): { dto: T; failed: string[] } {
  const dto = plainToInstance(cls, plain);
  return { dto, failed: validateSync(dto).map((e) => e.property) };
}

const validUser = { username: 'sokha.ch', displayName: 'សុខា ចាន់', role: 'educator' };

describe('DISPLAY_NAME', () => {
  it.each([
    ['Khmer with vowel signs', 'សុខា ចាន់'],
    ['Khmer with a coeng subscript', 'ស្រីពៅ'],
    ['Khmer with several subscripts and signs', 'ច័ន្ទ ស្រីនិច្ច'],
    ['Khmer with a zero-width space between words', 'សុខា\u200Bចាន់'],
    ['an apostrophe', "O'Neil"],
    ['a typographic apostrophe', 'O\u2019Neil'],
    ['a hyphen', 'Anne-Marie'],
    ['a dot and digits', 'Dara K. 2'],
    ['Thai', 'สมชาย'],
    ['Latin with accents', 'José Núñez'],
  ])('accepts %s: %p', (_what, name) => {
    expect(DISPLAY_NAME.test(name)).toBe(true);
  });

  it.each([
    ['an emoji', 'សុខា 🙂'],
    ['a heart emoji', 'Dara ❤'],
    ['a flag', 'Dara 🇰🇭'],
    ['an emoji sequence joined by ZWJ', 'Dara 👩\u200D💻'],
    ['a keycap emoji (digit, variation selector, enclosing keycap)', 'Dara 1\uFE0F\u20E3'],
    ['a text-style emoji variation selector', 'Dara \u263A\uFE0E'],
    ['a pile of combining marks', 'Da\u0301\u0301\u0301\u0301ra'],
    ['markup', '<script>alert(1)</script>'],
    ['angle brackets alone', 'Dara <b>'],
    ['a newline', 'Dara\nKim'],
    ['a tab', 'Dara\tKim'],
    ['NUL', 'Dara\u0000'],
    ['ESC (terminal escape)', 'Dara\u001B[31m'],
    ['DEL', 'Dara\u007F'],
    ['a right-to-left override', 'Dara\u202Emik'],
    ['a zero-width joiner', 'Da\u200Dra'],
    ['an empty string', ''],
    ['symbols', 'Dara & Kim'],
    ['a URL', 'https://evil.example'],
  ])('refuses %s', (_what, name) => {
    expect(DISPLAY_NAME.test(name)).toBe(false);
  });
});

describe('USERNAME', () => {
  it.each(['sokha.ch', 'demo-educator', 'dara_kim', 'abc', '7eleven', 'a'.repeat(32)])('accepts %p', (name) => {
    expect(USERNAME.test(name)).toBe(true);
  });

  it.each([
    ['too short', 'ab'],
    ['too long', 'a'.repeat(33)],
    ['starting with a dot', '.sokha'],
    ['starting with a dash', '-sokha'],
    ['upper case (the DTO lower-cases first)', 'Sokha'],
    ['a space', 'sokha ch'],
    ['Khmer', 'សុខា'],
    ['an at sign', 'sokha@ngo'],
    ['a slash', 'sokha/ch'],
    ['empty', ''],
  ])('refuses %s', (_what, name) => {
    expect(USERNAME.test(name)).toBe(false);
  });
});

describe('CreateUserDto', () => {
  it('accepts a Khmer display name and normalises spacing and Unicode form', () => {
    // NFD-decomposed Latin and extra spaces as a phone keyboard may send them.
    const { dto, failed } = validate(CreateUserDto, { ...validUser, displayName: '  Jose\u0301   Nu\u0301n\u0303ez  ' });
    expect(failed).toEqual([]);
    expect(dto.displayName).toBe('Jos\u00e9 N\u00fa\u00f1ez');

    expect(validate(CreateUserDto, { ...validUser, displayName: ' ស្រីពៅ ' }).dto.displayName).toBe('ស្រីពៅ');
  });

  it('lower-cases and trims the username before checking it', () => {
    const { dto, failed } = validate(CreateUserDto, { ...validUser, username: '  Sokha.CH ' });
    expect(failed).toEqual([]);
    expect(dto.username).toBe('sokha.ch');
  });

  it('refuses emoji, markup and control characters in the display name', () => {
    for (const displayName of ['សុខា 🙂', '<script>alert(1)</script>', 'Dara\u0000Kim', 'Dara\u001B[2J', 'Dara\u202Emik']) {
      expect(validate(CreateUserDto, { ...validUser, displayName }).failed).toEqual(['displayName']);
    }
  });

  it('never stores whitespace control characters: a newline or tab becomes a single space', () => {
    const { dto, failed } = validate(CreateUserDto, { ...validUser, displayName: 'Dara\n\tKim' });
    expect(failed).toEqual([]);
    expect(dto.displayName).toBe('Dara Kim');
  });

  it('refuses a display name that is blank or longer than 80 characters', () => {
    expect(validate(CreateUserDto, { ...validUser, displayName: '    ' }).failed).toEqual(['displayName']);
    expect(validate(CreateUserDto, { ...validUser, displayName: 'ក'.repeat(81) }).failed).toEqual(['displayName']);
    expect(validate(CreateUserDto, { ...validUser, displayName: 'ក'.repeat(80) }).failed).toEqual([]);
  });

  it('refuses bad usernames, unknown roles and a commune id that is not a UUID', () => {
    expect(validate(CreateUserDto, { ...validUser, username: 'ab' }).failed).toEqual(['username']);
    expect(validate(CreateUserDto, { ...validUser, username: 'សុខា' }).failed).toEqual(['username']);
    expect(validate(CreateUserDto, { ...validUser, role: 'superuser' }).failed).toEqual(['role']);
    expect(validate(CreateUserDto, { ...validUser, communeId: '010201' }).failed).toEqual(['communeId']);
    expect(validate(CreateUserDto, { ...validUser, preferredLanguage: 'fr' }).failed).toEqual(['preferredLanguage']);
  });
});

describe('UpdateProfileDto', () => {
  it('applies the same display-name rules to a person editing their own name', () => {
    expect(validate(UpdateProfileDto, { displayName: '  សុខា   ចាន់ ' })).toEqual({ dto: expect.objectContaining({ displayName: 'សុខា ចាន់' }), failed: [] });
    expect(validate(UpdateProfileDto, { displayName: 'សុខា 🙂' }).failed).toEqual(['displayName']);
    expect(validate(UpdateProfileDto, {}).failed).toEqual([]);
  });
});
