import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { api, CAPTION_LANGUAGES, type CaptionLanguage, type CaptionTrack, type Cue, type TestimonyDetail } from '../api/client';
import { ApiError, errorText, unwrap } from '../api/errors';
import { Loading, LoadError } from '../components/Feedback';
import { MediaView, pickRendition } from '../components/MediaView';
import { languageName, useI18n } from '../i18n';
import { useLeaveGuard } from '../router';
import { useAsync } from '../useAsync';
import { LanguageTabs, SaveBar, type Message } from './CaptionControls';
import { BurnInCard, ProposalsCard } from './CaptionTasks';
import { CaptionFiles } from './CaptionFiles';
import { problemLines, warningText } from './captionMessages';
import { CaptionVersions } from './CaptionVersions';
import { CueActions, useCueShortcuts, type CueAction } from './CueActions';
import { CueList } from './CueList';
import { cueIndexAt, cueProblems, formatCueTime, insertCueAt, sameCue, splitCue } from './cues';
import { DraftTrack } from './DraftTrack';
import { PreviewFrame } from './PreviewFrame';
import { useCaptionDraft } from './useCaptionDraft';
import { isActive, useCaptionTasks } from './useCaptionTasks';

function firstLanguage(item: TestimonyDetail): CaptionLanguage {
  return CAPTION_LANGUAGES.find((code) => code === item.language) ?? 'km';
}

/** The caption editor of one video (read-only for people who may not change captions). */
export function CaptionEditor({ item, editable, onExpired }: { item: TestimonyDetail; editable: boolean; onExpired(): void }) {
  const { t, lang } = useI18n();
  const panelId = useId();
  const [language, setLanguage] = useState<CaptionLanguage>(() => firstLanguage(item));
  const draft = useCaptionDraft(item.id, language);
  const tasks = useCaptionTasks(item.id, language);
  const summaries = useAsync(async (signal) => unwrap(await api.GET('/api/testimonies/{id}/captions', { params: { path: { id: item.id } }, signal })), [item.id]);
  const videoRef = useRef<HTMLVideoElement>(null);
  const [playheadMs, setPlayheadMs] = useState(0);
  const [selected, setSelected] = useState<number | null>(null);
  const [actionNote, setActionNote] = useState<string | null>(null);
  const [message, setMessage] = useState<Message | null>(null);
  const [conflict, setConflict] = useState(false);
  const [saving, setSaving] = useState(false);

  const { cues, track, dirty } = draft;
  const durationMs = pickRendition(item.renditions, 'publish', 'review')?.durationMs ?? undefined;
  const problems = useMemo(() => cueProblems(cues, durationMs), [cues, durationMs]);
  const problemCount = problems.filter((p) => p.length > 0).length;
  const activeIndex = cueIndexAt(cues, playheadMs);
  // The cue the buttons and shortcuts change: the one last tapped, else the one playing.
  const target = selected !== null && selected < cues.length ? selected : activeIndex;

  useLeaveGuard(dirty ? t('captionsLeaveUnsaved') : null);
  const confirmDiscard = () => !dirty || window.confirm(t('captionsDiscardUnsaved'));

  /** For other cues on screen: nothing chosen, no notes about the ones before. */
  const resetView = () => {
    setSelected(null);
    setActionNote(null);
    setMessage(null);
    setConflict(false);
  };

  // A success note is about the cues as they were saved: the next change makes it old news.
  const edit = (change: (cues: Cue[]) => Cue[]) => {
    draft.edit(change);
    setMessage((m) => (m?.tone === 'ok' ? null : m));
  };

  const accept = (saved: CaptionTrack) => {
    draft.accept(saved);
    resetView();
    summaries.reload();
  };

  const switchLanguage = (next: CaptionLanguage) => {
    if (next === language || !confirmDiscard()) return;
    setLanguage(next);
    resetView();
  };

  const seek = (ms: number) => {
    if (videoRef.current) videoRef.current.currentTime = ms / 1000;
    setPlayheadMs(ms);
  };

  const act = (action: CueAction) => {
    // The element's own time: `timeupdate` only reports a few times a second.
    const at = videoRef.current ? Math.round(videoRef.current.currentTime * 1000) : playheadMs;
    setActionNote(null);
    if (action === 'add') {
      setSelected(insertCueAt(cues, at, durationMs).index);
      edit((current) => insertCueAt(current, at, durationMs).cues);
      return;
    }
    const cue = cues[target];
    if (!cue) return setActionNote(t('cueChooseFirst'));
    if (action === 'split') {
      if (!splitCue(cue, at, language)) return setActionNote(t('splitOutside', { n: target + 1 }));
      edit((current) => {
        const parts = current[target] && splitCue(current[target], at, language);
        return parts ? [...current.slice(0, target), ...parts, ...current.slice(target + 1)] : current;
      });
      setSelected(target + 1);
      return;
    }
    const change = action === 'start' ? { startMs: at } : { endMs: at };
    edit((current) => current.map((c, i) => (i === target ? { ...c, ...change } : c)));
  };
  useCueShortcuts(editable, act);

  const applyProposal = (proposed: Cue[]) => {
    if (cues.length > 0 && !window.confirm(t('replaceCuesConfirm', { count: cues.length, proposed: proposed.length }))) return;
    edit(() => proposed);
    setSelected(null);
    setMessage({ tone: 'ok', text: t('proposalUsed', { count: proposed.length }) });
  };

  // A machine transcript that became the captions is a new saved version: show it, unless the person is mid-edit.
  const transcript = tasks.byKind('transcript');
  const transcriptWorking = useRef(false);
  useEffect(() => {
    if (isActive(transcript)) {
      transcriptWorking.current = true;
      return;
    }
    if (!transcriptWorking.current) return;
    transcriptWorking.current = false;
    if (transcript?.outcome !== 'applied') return;
    summaries.reload();
    if (dirty) setMessage({ tone: 'warn', text: t('transcriptAppliedWhileEditing') });
    else draft.reload();
  }, [transcript?.status]);

  const save = async (overwrite = false) => {
    setConflict(false);
    if (problemCount > 0) return setMessage({ tone: 'error', text: t('captionsFixFirst', { count: problemCount }) });
    setSaving(true);
    setMessage(null);
    try {
      const saved = await draft.save({ overwrite });
      const tipped = new Set(saved.warnings.map((w) => w.cue)).size;
      setMessage({ tone: 'ok', text: tipped > 0 ? t('captionsSavedTips', { version: saved.version, count: tipped }) : t('captionsSaved', { version: saved.version }) });
      summaries.reload();
    } catch (e) {
      const lines = problemLines(e, t, lang);
      if (e instanceof ApiError && e.code === 'CONFLICT') setConflict(true);
      else setMessage(lines ? { tone: 'error', text: t('captionsRefused'), lines } : { tone: 'error', text: errorText(e, t) });
    } finally {
      setSaving(false);
    }
  };

  const warningsFor = (index: number): string[] => {
    const cue = cues[index];
    // Tips belong to the saved cue; once it is changed they may no longer hold.
    if (!track || !cue || !sameCue(cue, track.cues[index])) return [];
    return track.warnings.filter((w) => w.cue === index + 1).map((w) => warningText(w, t));
  };

  return (
    <section className="captions-page" data-testid="captions-page" data-language={language} data-dirty={dirty}>
      <h1 tabIndex={-1}>{t('captionsTitle')}</h1>
      <p className="captions-of" lang={item.language}>
        {item.title}
      </p>
      {!editable && <p className="notice notice-warn">{t('captionsReadOnly')}</p>}
      <LanguageTabs language={language} summaries={summaries.data} panelId={panelId} onChange={switchLanguage} />
      <div role="tabpanel" id={panelId} className="captions-panel">
        {/* On a wide screen the player stays in view beside the cues while one is being typed. */}
        <div className="captions-stage" data-testid="captions-stage">
          <MediaView item={item} onExpired={onExpired} videoRef={videoRef} onPlayhead={setPlayheadMs} preload="metadata">
            {draft.ready && <DraftTrack cues={cues} language={language} />}
          </MediaView>
          <p className="playhead" data-testid="playhead">
            {t('playheadAt', { time: formatCueTime(playheadMs, lang) })}
          </p>
        </div>
        <div className="captions-work">
          {editable && <CueActions target={target} onAct={act} note={actionNote} />}
          {!draft.ready ? (
            draft.loadError !== undefined ? (
              <LoadError error={draft.loadError} onRetry={draft.reload} />
            ) : (
              <Loading />
            )
          ) : (
            <>
              {editable && <ProposalsCard tasks={tasks} onUse={applyProposal} />}
              <h2 className="cue-list-title">{t('cuesTitle', { language: languageName(language, t) })}</h2>
              <CueList
                cues={cues}
                language={language}
                editable={editable}
                activeIndex={activeIndex}
                selected={selected}
                problems={problems}
                warnings={warningsFor}
                durationMs={durationMs}
                onSelect={setSelected}
                onSeek={seek}
                onChange={(index, cue) => edit((current) => current.map((c, i) => (i === index ? cue : c)))}
                onDelete={(index) => {
                  edit((current) => current.filter((_, i) => i !== index));
                  setSelected(null);
                }}
              />
              {editable && (
                <SaveBar
                  state={dirty ? t('captionsUnsaved') : track ? t('captionsUpToDate', { version: track.version }) : t('captionsNotSavedYet')}
                  canSave={dirty && !saving}
                  saving={saving}
                  conflict={conflict}
                  message={message}
                  onSave={(overwrite) => void save(overwrite)}
                  onLoadNewest={() => {
                    draft.reload();
                    resetView();
                  }}
                />
              )}
              <PreviewFrame key={language} id={item.id} language={language} atMs={playheadMs} saved={!!track} dirty={dirty} />
              <BurnInCard tasks={tasks} editable={editable} track={track} dirty={dirty} />
              <CaptionFiles key={`files-${language}`} id={item.id} language={language} editable={editable} track={track} confirmReplace={confirmDiscard} onImported={accept} />
              <CaptionVersions key={`versions-${language}`} id={item.id} language={language} track={track} editable={editable} confirmReplace={confirmDiscard} onRestored={accept} />
            </>
          )}
        </div>
      </div>
    </section>
  );
}
