import { useEffect, useId, useRef, useState, useSyncExternalStore, type FormEvent } from 'react';
import { api, type Province } from '../api/client';
import { ApiError, errorText, unwrap } from '../api/errors';
import { CommuneSelect } from '../components/CommuneSelect';
import { ProgressBar } from '../components/Media';
import { formatBytes, formatDuration, formatPercent, placeName, useI18n, type Translate } from '../i18n';
import { navigate } from '../router';
import { useUser } from '../session';
import { OutboxList } from '../upload/OutboxList';
import { freeBytes, keepInOutbox, OutboxFullError } from '../upload/outbox';
import {
  detectKind,
  discardUpload,
  findUnfinishedUploads,
  forgetUnfinished,
  getUploadState,
  isActive,
  maxBytes,
  pauseUpload,
  previousFieldsFor,
  resetUpload,
  resumeUpload,
  startUpload,
  subscribeUpload,
  type MediaKind,
  type UnfinishedUpload,
  type UploadFields,
  type UploadState,
} from '../upload/uploadStore';

function useUpload(): UploadState {
  return useSyncExternalStore(subscribeUpload, getUploadState);
}

/** The upload refusal in plain words, with what to do. */
export function uploadErrorText(error: unknown, t: Translate): string {
  if (error instanceof ApiError) {
    const code = (error.code ?? '').toUpperCase();
    const message = Array.isArray(error.body.message) ? error.body.message.join('. ') : error.body.message ?? '';
    if (code === 'UPLOAD_QUOTA_EXCEEDED') return t('uploadErrQuota');
    if (error.status === 413 || code.includes('TOO_LARGE')) return t('uploadErrTooLarge');
    if (error.status === 415 || code.includes('UNSUPPORTED') || code.includes('NOT_MEDIA') || code.includes('WRONG_KIND')) return t('uploadErrNotMedia');
    if (code.includes('CONSENT') || (error.status === 400 && /consent/i.test(message))) return t('uploadErrConsent');
    if ((error.status === 400 && !error.code) || code === 'UPLOAD_INVALID_DETAILS') return t('uploadErrDetails', { message });
  }
  return errorText(error, t);
}

export function UploadPage() {
  const upload = useUpload();
  const { t } = useI18n();
  // The item just kept on the phone (no signal), offered a consent record; a new key empties the form.
  const [justKept, setJustKept] = useState<string | null>(null);
  const [formKey, setFormKey] = useState(0);

  // Done: open the new item with its consent form (one record per person shown), or the list when the server did not say which.
  useEffect(() => {
    if (upload.phase !== 'done') return;
    const timer = setTimeout(() => {
      const to = upload.testimonyId ? `/testimonies/${encodeURIComponent(upload.testimonyId)}?consent=new` : '/testimonies';
      resetUpload();
      navigate(to);
    }, 600);
    return () => clearTimeout(timer);
  }, [upload.phase, upload.testimonyId]);

  return (
    <section className="upload-page">
      <h1 tabIndex={-1}>{t('uploadTitle')}</h1>
      {/* The form stays mounted while sending, so a refused file keeps what was typed. */}
      <OutboxList justKept={justKept} onConsentDone={() => setJustKept(null)} />
      <div hidden={!(upload.phase === 'idle' || upload.phase === 'failed')}>
        <UploadForm
          key={formKey}
          failure={upload.phase === 'failed' ? upload.error : null}
          onKept={(id) => {
            setJustKept(id);
            setFormKey((n) => n + 1);
          }}
        />
      </div>
      {upload.phase !== 'idle' && upload.phase !== 'failed' && <UploadProgress upload={upload} />}
    </section>
  );
}

function UploadProgress({ upload }: { upload: UploadState }) {
  const { t, lang } = useI18n();
  const fraction = upload.bytesTotal > 0 ? upload.bytesSent / upload.bytesTotal : 0;
  const remaining = upload.speed && upload.speed > 0 ? (upload.bytesTotal - upload.bytesSent) / upload.speed : null;
  const active = isActive(upload.phase);

  let status: string;
  let tone = 'info';
  switch (upload.phase) {
    case 'starting':
      status = t('uploadStarting');
      break;
    case 'paused':
      status = t('uploadPaused');
      break;
    case 'offline':
      status = t('uploadWaitingConnection');
      tone = 'warn';
      break;
    case 'retrying':
      status = t('uploadRetrying');
      tone = 'warn';
      break;
    case 'done':
      status = t('uploadDone');
      tone = 'ok';
      break;
    default:
      status = t('uploadSending');
  }

  return (
    <div className="card upload-progress" data-testid="upload-progress" data-phase={upload.phase}>
      <p className="upload-file" lang={lang}>
        <strong>{upload.title}</strong>
        <span className="sub">{upload.fileName}</span>
      </p>
      <p className="upload-percent" aria-hidden="true">
        {formatPercent(fraction, lang)}
      </p>
      <ProgressBar value={fraction} label={t('uploadSending')} big />
      <p className="upload-numbers">
        <span data-testid="upload-bytes">
          {t('uploadProgressMb', { sent: formatBytes(upload.bytesSent, lang), total: formatBytes(upload.bytesTotal, lang) })}
        </span>
        {upload.phase === 'uploading' && upload.speed && (
          <span>
            {t('uploadSpeed', { speed: formatBytes(upload.speed, lang) })}
            {remaining !== null && <> · {t('uploadRemaining', { time: formatDuration(remaining, t) })}</>}
          </span>
        )}
      </p>
      <p className={`upload-status tone-${tone}`} role="status" aria-live="polite" data-testid="upload-status">
        {tone === 'warn' && <span className="dot" aria-hidden="true" />}
        {status}
      </p>
      {upload.resumed && upload.phase !== 'done' && <p className="hint">{t('resumingEarlier')}</p>}
      {upload.phase !== 'done' && (
        <div className="button-row upload-buttons">
          {upload.phase === 'paused' ? (
            <button type="button" className="btn btn-primary btn-grow" onClick={resumeUpload} data-testid="upload-resume">
              {t('resumeUpload')}
            </button>
          ) : (
            <button type="button" className="btn btn-secondary btn-grow" onClick={pauseUpload} disabled={!active} data-testid="upload-pause">
              {t('pauseUpload')}
            </button>
          )}
          <button
            type="button"
            className="btn btn-danger btn-grow"
            onClick={() => {
              if (window.confirm(t('confirmDiscardUpload'))) discardUpload();
            }}
          >
            {t('discardUpload')}
          </button>
        </div>
      )}
      {active && <p className="hint">{t('keepPageOpen')}</p>}
    </div>
  );
}

const LANGUAGES: ReadonlyArray<UploadFields['language']> = ['km', 'en', 'th'];

function UploadForm({ failure, onKept }: { failure: unknown; onKept(outboxId: string): void }) {
  const { t, lang } = useI18n();
  const user = useUser();
  const ids = useId();
  const id = (name: string) => `${ids}-${name}`;
  const captureRef = useRef<HTMLInputElement>(null);
  const pickRef = useRef<HTMLInputElement>(null);

  const [file, setFile] = useState<File | null>(null);
  const [kind, setKind] = useState<MediaKind | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [language, setLanguage] = useState<UploadFields['language']>('km');
  const [communeId, setCommuneId] = useState(user.commune?.id ?? '');
  const [consent, setConsent] = useState(false);
  const [submitted, setSubmitted] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const [provinces, setProvinces] = useState<Province[] | null>(null);
  const [unfinished, setUnfinished] = useState<UnfinishedUpload[]>([]);

  useEffect(() => {
    void findUnfinishedUploads().then(setUnfinished);
    const controller = new AbortController();
    api
      .GET('/api/places/provinces', { signal: controller.signal })
      .then((r) => setProvinces(unwrap(r)))
      .catch(() => undefined); // the educator's own commune stays selectable
    return () => controller.abort();
  }, []);

  const chooseFile = async (picked: File | undefined) => {
    setFormError(null);
    if (!picked) return;
    const detected = detectKind(picked);
    if (!detected) {
      setFile(null);
      setKind(null);
      setFileError(t('fileNotMediaClient'));
      return;
    }
    const max = maxBytes(detected);
    if (picked.size > max) {
      setFile(null);
      setKind(null);
      setFileError(
        t('fileTooLargeClient', {
          kind: detected === 'video' ? t('kindVideo') : t('kindPhoto'),
          size: formatBytes(picked.size, lang),
          max: formatBytes(max, lang),
        }),
      );
      return;
    }
    setFileError(null);
    setFile(picked);
    setKind(detected);
    // The same file was partly sent before: fill in what was typed then.
    const previous = await previousFieldsFor(picked);
    if (previous) {
      if (previous.title) setTitle(previous.title);
      if (previous.description) setDescription(previous.description);
      if (previous.language) setLanguage(previous.language);
      if (previous.communeId) setCommuneId(previous.communeId);
    }
  };

  const titleMissing = title.trim() === '';
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    if (!file || !kind) return setFormError(fileError ?? t('chooseFileFirst'));
    if (titleMissing) return setFormError(t('enterTitle'));
    if (!consent) return setFormError(t('consentNeeded'));
    setFormError(null);
    const fields = { title: title.trim(), description: description.trim(), language, communeId };
    if (navigator.onLine) return void startUpload(file, kind, fields);
    // No signal: kept on the phone and sent by the outbox when the connection returns.
    keepInOutbox(file, kind, fields).then(onKept, async (error: unknown) => {
      const free = error instanceof OutboxFullError ? error.freeBytes : await freeBytes();
      setFormError(t('outboxPhoneFull', { size: formatBytes(file.size, lang), free: formatBytes(Math.max(0, free ?? 0), lang) }));
    });
  };

  const ownCommune = user.commune;
  const fileLabel = kind === 'video' ? t('kindVideo') : t('kindPhoto');

  return (
    <form className="card upload-form" onSubmit={submit} noValidate data-testid="upload-form">
      <p className="muted">{t('uploadIntro')}</p>

      {failure !== null && (
        <div className="notice notice-error" role="alert" data-testid="upload-error">
          <p>
            <strong>{t('uploadFailedTitle')}</strong>
          </p>
          <p>{uploadErrorText(failure, t)}</p>
        </div>
      )}

      {unfinished.map((u) => (
        <div className="notice notice-warn" key={u.key} data-testid="unfinished-upload">
          <p>{t('unfinishedUpload', { title: u.title, file: u.fileName })}</p>
          <button
            type="button"
            className="btn btn-secondary"
            onClick={() => void forgetUnfinished(u.key).then(() => setUnfinished((list) => list.filter((x) => x.key !== u.key)))}
          >
            {t('forgetUnfinished')}
          </button>
        </div>
      ))}

      <div className="field">
        <div className="file-buttons">
          {/* Camera straight away on phones; the plain picker below for files already on the phone. */}
          <label className="btn btn-primary btn-block file-button">
            <input
              ref={captureRef}
              type="file"
              accept="video/*,image/*"
              capture="environment"
              className="sr-only"
              data-testid="upload-capture"
              onChange={(e) => void chooseFile(e.target.files?.[0])}
            />
            <span className="icon-camera" aria-hidden="true" />
            {t('captureMedia')}
          </label>
          <label className="btn btn-secondary btn-block file-button">
            <input
              ref={pickRef}
              type="file"
              accept="video/*,image/*"
              className="sr-only"
              data-testid="upload-file"
              onChange={(e) => void chooseFile(e.target.files?.[0])}
            />
            {file ? t('changeFile') : t('chooseFromPhone')}
          </label>
        </div>
        <div aria-live="polite">
          {fileError && (
            <p className="notice notice-error" role="alert" data-testid="file-error">
              {fileError}
            </p>
          )}
          {file && (
            <p className="chosen-file" data-testid="chosen-file">
              <span className="sub">{t('chosenFile')}</span>
              <strong className="mono">{file.name}</strong>
              <span className="sub">
                {fileLabel} · {formatBytes(file.size, lang)}
              </span>
            </p>
          )}
        </div>
      </div>

      <div className="field">
        <label htmlFor={id('title')}>
          {t('fieldTitle')} <span className="required">*</span>
        </label>
        <input
          id={id('title')}
          type="text"
          value={title}
          maxLength={200}
          required
          aria-invalid={submitted && titleMissing}
          aria-describedby={id('title-hint')}
          onChange={(e) => setTitle(e.target.value)}
        />
        <p className="hint" id={id('title-hint')}>
          {t('titleHint')}
        </p>
      </div>

      <div className="field">
        <label htmlFor={id('description')}>{t('fieldDescription')}</label>
        <textarea
          id={id('description')}
          rows={3}
          value={description}
          maxLength={5000}
          aria-describedby={id('description-hint')}
          onChange={(e) => setDescription(e.target.value)}
        />
        <p className="hint" id={id('description-hint')}>
          {t('descriptionHint')}
        </p>
      </div>

      <fieldset className="field">
        <legend>{t('fieldSpokenLanguage')}</legend>
        <div className="choice-row">
          {LANGUAGES.map((code) => (
            <label className="choice" key={code}>
              <input type="radio" name={id('language')} value={code} checked={language === code} onChange={() => setLanguage(code)} />
              {code === 'km' ? t('langKmName') : code === 'en' ? t('langEnName') : t('langThName')}
            </label>
          ))}
        </div>
      </fieldset>

      <div className="field">
        <label htmlFor={id('commune')}>{t('fieldPlace')}</label>
        {provinces ? (
          <CommuneSelect id={id('commune')} value={communeId} onChange={setCommuneId} provinces={provinces} required={false} />
        ) : (
          <select id={id('commune')} value={communeId} onChange={(e) => setCommuneId(e.target.value)}>
            {ownCommune ? <option value={ownCommune.id}>{placeName(ownCommune, lang)}</option> : <option value="">{t('noCommune')}</option>}
          </select>
        )}
      </div>

      <fieldset className="field consent">
        <legend>
          {t('consentLegend')} <span className="required">*</span>
        </legend>
        <label className="consent-box">
          <input
            type="checkbox"
            checked={consent}
            required
            aria-invalid={submitted && !consent}
            aria-describedby={id('consent-hint')}
            onChange={(e) => setConsent(e.target.checked)}
            data-testid="upload-consent"
          />
          <span>{t('consentLabel')}</span>
        </label>
        <p className="hint" id={id('consent-hint')}>
          {t('consentHint')}
        </p>
      </fieldset>

      <div className="form-message" aria-live="polite" role="status">
        {formError && <p className="notice notice-error">{formError}</p>}
      </div>

      {file && <p className="hint" data-testid="upload-size">{t('uploadSizeToSend', { size: formatBytes(file.size, lang) })}</p>}
      <button type="submit" className="btn btn-primary btn-block btn-big" data-testid="upload-submit">
        {t('sendUpload')}
      </button>
    </form>
  );
}
