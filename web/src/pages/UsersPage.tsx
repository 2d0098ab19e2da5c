import { useId, useState, type FormEvent } from 'react';
import { api, paging, ROLES, type Province, type Role, type User } from '../api/client';
import { errorText, unwrap } from '../api/errors';
import { CommuneSelect } from '../components/CommuneSelect';
import { FormMessage, Loading, LoadError } from '../components/Feedback';
import { Pager } from '../components/Pager';
import { TemporaryPassword } from '../components/TemporaryPassword';
import { districtName, formatDate, LANGS, placeName, roleLabel, useI18n, type Lang } from '../i18n';
import { useUser } from '../session';
import { useAsync } from '../useAsync';

const PAGE_SIZE = 25;
type ActiveFilter = '' | 'true' | 'false';

export function UsersPage() {
  const { t } = useI18n();
  const [page, setPage] = useState(1);
  const [role, setRole] = useState<Role | ''>('');
  const [active, setActive] = useState<ActiveFilter>('');
  const [search, setSearch] = useState('');
  const [q, setQ] = useState('');
  const [creating, setCreating] = useState(false);
  const [reveal, setReveal] = useState<{ username: string; password: string } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const users = useAsync(
    async (signal) =>
      unwrap(
        await api.GET('/api/users', {
          params: {
            query: {
              ...paging(page, PAGE_SIZE),
              ...(role ? { role } : {}),
              ...(active ? { active: active === 'true' } : {}),
              ...(q ? { q } : {}),
            },
          },
          signal,
        }),
      ),
    [page, role, active, q],
  );
  const places = useAsync(async (signal) => unwrap(await api.GET('/api/places/provinces', { signal })), []);
  const provinces: Province[] = places.data ?? [];

  const replaceUser = (updated: User) => {
    if (!users.data) return;
    users.setData({ ...users.data, items: users.data.items.map((u) => (u.id === updated.id ? updated : u)) });
  };

  const onSearch = (e: FormEvent) => {
    e.preventDefault();
    setPage(1);
    setQ(search.trim());
  };

  return (
    <section aria-busy={users.loading}>
      <div className="page-head">
        <h1 tabIndex={-1}>{t('usersTitle')}</h1>
        {!creating && (
          <button type="button" className="btn btn-primary" onClick={() => setCreating(true)} data-testid="add-user">
            + {t('addUser')}
          </button>
        )}
      </div>

      {reveal && <TemporaryPassword username={reveal.username} password={reveal.password} onDone={() => setReveal(null)} />}
      <p className="form-message" aria-live="polite">
        {notice && !reveal ? <span className="notice notice-ok">{notice}</span> : null}
      </p>

      {creating && (
        <CreateUserForm
          provinces={provinces}
          placesError={places.error}
          onCancel={() => setCreating(false)}
          onCreated={(user, temporaryPassword) => {
            setCreating(false);
            setNotice(t('userCreated', { username: user.username }));
            setReveal({ username: user.username, password: temporaryPassword });
            users.reload();
          }}
        />
      )}

      <form className="filters" role="search" onSubmit={onSearch}>
        <div className="field field-grow">
          <label htmlFor="user-search">{t('searchUsers')}</label>
          <div className="input-row">
            <input id="user-search" type="search" value={search} onChange={(e) => setSearch(e.target.value)} autoCapitalize="none" />
            <button type="submit" className="btn btn-secondary">
              {t('search')}
            </button>
          </div>
        </div>
        <div className="field">
          <label htmlFor="user-role-filter">{t('role')}</label>
          <select
            id="user-role-filter"
            value={role}
            onChange={(e) => {
              setPage(1);
              setRole(e.target.value as Role | '');
            }}
          >
            <option value="">{t('allRoles')}</option>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {roleLabel(r, t)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="user-active-filter">{t('accountStatus')}</label>
          <select
            id="user-active-filter"
            value={active}
            onChange={(e) => {
              setPage(1);
              setActive(e.target.value as ActiveFilter);
            }}
          >
            <option value="">{t('allStatuses')}</option>
            <option value="true">{t('onlyActive')}</option>
            <option value="false">{t('onlyInactive')}</option>
          </select>
        </div>
      </form>

      {users.loading && !users.data && <Loading />}
      {users.error !== undefined && <LoadError error={users.error} onRetry={users.reload} />}
      {users.data && users.data.items.length === 0 && <p className="empty">{t('noUsers')}</p>}
      {users.data && users.data.items.length > 0 && (
        <>
          <ul className="user-list" data-testid="user-list">
            {users.data.items.map((u) => (
              <UserCard
                key={u.id}
                user={u}
                provinces={provinces}
                onChanged={replaceUser}
                onTemporaryPassword={(password) => setReveal({ username: u.username, password })}
              />
            ))}
          </ul>
          <Pager page={users.data.page} pageSize={users.data.pageSize} total={users.data.total} onPage={setPage} />
        </>
      )}
    </section>
  );
}

// --- create ------------------------------------------------------------------

function CreateUserForm({
  provinces,
  placesError,
  onCancel,
  onCreated,
}: {
  provinces: Province[];
  placesError: unknown;
  onCancel(): void;
  onCreated(user: User, temporaryPassword: string): void;
}) {
  const { t } = useI18n();
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [role, setRole] = useState<Role>('educator');
  const [communeId, setCommuneId] = useState('');
  const [language, setLanguage] = useState<Lang>('km');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const needsCommune = role === 'educator';

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const name = username.trim().toLowerCase();
    if (!name) return setError(t('enterUsername'));
    if (!displayName.trim()) return setError(t('enterDisplayName'));
    if (needsCommune && !communeId) return setError(t('errCommuneRequired'));
    setBusy(true);
    setError(null);
    try {
      const created = unwrap(
        await api.POST('/api/users', {
          body: {
            username: name,
            displayName: displayName.trim(),
            role,
            preferredLanguage: language,
            ...(communeId ? { communeId } : {}),
          },
        }),
      );
      onCreated(created.user, created.temporaryPassword);
    } catch (err) {
      setError(errorText(err, t));
      setBusy(false);
    }
  };

  return (
    <form className="card stack" onSubmit={submit} noValidate data-testid="create-user-form">
      <h2>{t('newUserTitle')}</h2>
      <div className="field">
        <label htmlFor="new-username">{t('username')}</label>
        <input
          id="new-username"
          autoFocus
          type="text"
          autoCapitalize="none"
          autoCorrect="off"
          spellCheck={false}
          autoComplete="off"
          aria-describedby="new-username-hint"
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          required
        />
        <p className="hint" id="new-username-hint">
          {t('usernameHint')}
        </p>
      </div>
      <div className="field">
        <label htmlFor="new-display-name">{t('displayName')}</label>
        <input id="new-display-name" type="text" autoComplete="off" value={displayName} onChange={(e) => setDisplayName(e.target.value)} required />
      </div>
      <RoleAndCommune
        idPrefix="new"
        role={role}
        communeId={communeId}
        provinces={provinces}
        placesError={placesError}
        onRole={setRole}
        onCommune={setCommuneId}
      />
      <fieldset className="field">
        <legend>{t('preferredLanguage')}</legend>
        <div className="choice-row">
          {LANGS.map((code) => (
            <label key={code} className="choice">
              <input type="radio" name="new-language" value={code} checked={language === code} onChange={() => setLanguage(code)} />
              <span lang={code}>{code === 'km' ? 'ខ្មែរ' : 'English'}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <FormMessage error={error} />
      <div className="button-row">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? t('creating') : t('createUser')}
        </button>
        <button type="button" className="btn btn-secondary" onClick={onCancel}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}

function RoleAndCommune(props: {
  idPrefix: string;
  role: Role;
  communeId: string;
  provinces: Province[];
  placesError: unknown;
  onRole(role: Role): void;
  onCommune(id: string): void;
}) {
  const { t } = useI18n();
  const { idPrefix, role, communeId, provinces, placesError, onRole, onCommune } = props;
  const needsCommune = role === 'educator';
  return (
    <>
      <div className="field">
        <label htmlFor={`${idPrefix}-role`}>{t('role')}</label>
        <select id={`${idPrefix}-role`} value={role} onChange={(e) => onRole(e.target.value as Role)}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {roleLabel(r, t)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${idPrefix}-commune`}>
          {t('commune')}
          {needsCommune && <span className="required" aria-hidden="true"> *</span>}
        </label>
        <CommuneSelect
          id={`${idPrefix}-commune`}
          value={communeId}
          onChange={onCommune}
          provinces={provinces}
          required={needsCommune}
          describedBy={`${idPrefix}-commune-hint`}
        />
        <p className="hint" id={`${idPrefix}-commune-hint`}>
          {placesError !== undefined ? t('placesLoadFailed') : needsCommune ? t('communeRequiredHint') : ''}
        </p>
      </div>
    </>
  );
}

// --- one user ------------------------------------------------------------------

function UserCard({
  user,
  provinces,
  onChanged,
  onTemporaryPassword,
}: {
  user: User;
  provinces: Province[];
  onChanged(user: User): void;
  onTemporaryPassword(password: string): void;
}) {
  const { t, lang } = useI18n();
  const me = useUser();
  const [editing, setEditing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const name = user.displayName || user.username;
  const isMe = user.id === me.id;
  const headingId = useId();

  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (err) {
      setError(errorText(err, t));
    } finally {
      setBusy(false);
    }
  };

  const toggleActive = () =>
    run(async () => {
      if (user.active) {
        if (!window.confirm(t('confirmDeactivate', { name }))) return;
        onChanged(unwrap(await api.POST('/api/users/{id}/deactivate', { params: { path: { id: user.id } } })));
      } else {
        onChanged(unwrap(await api.POST('/api/users/{id}/reactivate', { params: { path: { id: user.id } } })));
      }
    });

  const resetPassword = () =>
    run(async () => {
      if (!window.confirm(t('confirmResetPassword', { name }))) return;
      const result = unwrap(await api.POST('/api/users/{id}/reset-password', { params: { path: { id: user.id } } }));
      onTemporaryPassword(result.temporaryPassword);
      onChanged({ ...user, mustChangePassword: true });
    });

  return (
    <li className={`card user-card${user.active ? '' : ' is-inactive'}`} aria-labelledby={headingId} data-testid="user-card">
      <div className="user-card-head">
        <div>
          <h2 id={headingId} className="user-name">
            {name}
          </h2>
          <p className="muted mono">@{user.username}</p>
        </div>
        <div className="badges">
          <span className={`badge role-${user.role}`}>{roleLabel(user.role, t)}</span>
          <span className={`badge ${user.active ? 'badge-ok' : 'badge-bad'}`}>{user.active ? t('active') : t('inactive')}</span>
          {user.mustChangePassword && <span className="badge badge-warn">{t('mustChangePasswordBadge')}</span>}
        </div>
      </div>
      <p className="user-meta">
        {user.commune
          ? `${placeName(user.commune, lang)}, ${districtName(user.commune, lang)}, ${placeName(user.commune.province, lang)}`
          : t('noCommune')}
        <br />
        {t('lastSignIn', { date: user.lastLoginAt ? formatDate(user.lastLoginAt, lang, true) : t('never') })}
      </p>

      {editing ? (
        <EditUserForm
          user={user}
          provinces={provinces}
          onCancel={() => setEditing(false)}
          onSaved={(updated) => {
            onChanged(updated);
            setEditing(false);
          }}
        />
      ) : (
        <div className="button-row">
          <button type="button" className="btn btn-secondary" onClick={() => setEditing(true)} disabled={busy}>
            {t('edit')}
          </button>
          <button type="button" className="btn btn-secondary" onClick={resetPassword} disabled={busy || !user.active}>
            {t('resetPassword')}
          </button>
          {!isMe && (
            <button type="button" className={`btn ${user.active ? 'btn-danger' : 'btn-secondary'}`} onClick={toggleActive} disabled={busy}>
              {user.active ? t('deactivate') : t('reactivate')}
            </button>
          )}
        </div>
      )}
      <FormMessage error={error} />
    </li>
  );
}

function EditUserForm({
  user,
  provinces,
  onCancel,
  onSaved,
}: {
  user: User;
  provinces: Province[];
  onCancel(): void;
  onSaved(user: User): void;
}) {
  const { t } = useI18n();
  const [displayName, setDisplayName] = useState(user.displayName);
  const [role, setRole] = useState<Role>(user.role);
  const [communeId, setCommuneId] = useState(user.commune?.id ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const prefix = `edit-${user.id}`;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!displayName.trim()) return setError(t('enterDisplayName'));
    if (role === 'educator' && !communeId) return setError(t('errCommuneRequired'));
    const body: { displayName?: string; role?: Role; communeId?: string } = {};
    if (displayName.trim() !== user.displayName) body.displayName = displayName.trim();
    if (role !== user.role) body.role = role;
    if (communeId && communeId !== user.commune?.id) body.communeId = communeId;
    if (Object.keys(body).length === 0) return onCancel();
    setBusy(true);
    setError(null);
    try {
      onSaved(unwrap(await api.PATCH('/api/users/{id}', { params: { path: { id: user.id } }, body })));
    } catch (err) {
      setError(errorText(err, t));
      setBusy(false);
    }
  };

  return (
    <form className="stack edit-user" onSubmit={submit} noValidate>
      <div className="field">
        <label htmlFor={`${prefix}-name`}>{t('displayName')}</label>
        <input id={`${prefix}-name`} type="text" value={displayName} onChange={(e) => setDisplayName(e.target.value)} required />
      </div>
      <RoleAndCommune
        idPrefix={prefix}
        role={role}
        communeId={communeId}
        provinces={provinces}
        placesError={undefined}
        onRole={setRole}
        onCommune={setCommuneId}
      />
      <FormMessage error={error} />
      <div className="button-row">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? t('saving') : t('save')}
        </button>
        <button type="button" className="btn btn-secondary" onClick={onCancel}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}
