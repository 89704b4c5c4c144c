import { useCallback, useEffect, useMemo, useRef, useState } from "preact/hooks";
import { api } from "../../api.ts";
import { ErrorBox, Loading, Progress, useAsync, useCodeLabel } from "../../components/ui.tsx";
import { type MessageKey, useI18n, type Vars } from "../../i18n/index.ts";
import { Link, replaceQuery } from "../../router.tsx";
import { ItemContext, SkipPrompt, VerdictForm } from "./item-view.tsx";
import { isTypingTarget, type KeyAction, keyAction } from "./keys.ts";
import { saveQueue } from "./save-queue.ts";
import { KeyHint, ShortcutList } from "./shortcuts.tsx";
import {
  bodyOf,
  type Draft,
  draftOf,
  itemPath,
  type SkipReason,
  sameVerdict,
  type VerdictBody,
  verdictBody,
  type WorkItem,
  type WorkPage,
} from "./types.ts";

const PAGE_LIMIT = 500;

/**
 * Every item of one auditor in one sample, in position order (the work queue, page by page): the caller's own
 * for an auditor key, the named auditor's for a lead or admin.
 */
export async function loadItems(
  sampleId: string,
  auditor: string | undefined,
  signal: AbortSignal,
): Promise<WorkItem[]> {
  const items: WorkItem[] = [];
  let cursor: string | null = null;
  do {
    const page: WorkPage = await api<WorkPage>("GET", "/v1/work", {
      query: { sample: sampleId, auditor, status: "all", limit: PAGE_LIMIT, cursor },
      signal,
    });
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items.sort((a, b) => a.position - b.position);
}

/** Verdicts, skips and unskips answer the item as the work queue now shows it. */
const putVerdict = (item: WorkItem, body: VerdictBody & { reason?: string }) =>
  api<WorkItem & { changed: boolean }>("PUT", `${itemPath(item.sampleId, item.decisionId)}/verdict`, {
    json: body,
  });

/** Re-renders the component whenever the save queue changes. */
function useSaveQueue(): void {
  const [, setTick] = useState(0);
  useEffect(() => saveQueue.subscribe(() => setTick((n) => n + 1)), []);
}

/** A second-by-second clock while a write waits for its retry, for the countdown. */
function useNow(active: boolean): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}

interface Message {
  key: MessageKey;
  vars?: Vars;
  tone: "info" | "error";
}

/** One sample's items, one at a time, worked from the keyboard. */
export function Workbench({
  sampleId,
  position,
  auditor,
}: {
  sampleId: string;
  position?: number;
  /** A lead or admin working an auditor's queue (verdicts are that auditor's, recorded by the lead). */
  auditor?: string;
}) {
  const { t, fmt } = useI18n();
  const code = useCodeLabel();
  useSaveQueue();
  const loadedAt = useRef(0);
  const loaded = useAsync(
    (signal) => {
      loadedAt.current = Date.now();
      return loadItems(sampleId, auditor, signal);
    },
    [sampleId, auditor],
  );
  const [index, setIndex] = useState(0);
  const [drafts, setDrafts] = useState<Record<string, Draft>>({});
  const [askingSkip, setAskingSkip] = useState(false);
  const [skipNote, setSkipNote] = useState("");
  const [help, setHelp] = useState(false);
  const [message, setMessage] = useState<Message | null>(null);
  const region = useRef<HTMLElement>(null);
  const root = useRef<HTMLDivElement>(null);
  const noteRef = useRef<HTMLTextAreaElement>(null);
  const promptRef = useRef<HTMLFieldSetElement>(null);

  // The item as last known: the answer to a write of this session when newer than the list.
  const items = useMemo(() => loaded.data ?? [], [loaded.data]);
  const shown = (item: WorkItem): WorkItem => {
    return saveQueue.savedItem(item.sampleId, item.decisionId, loadedAt.current) ?? item;
  };

  // Start at the item named in the address, else the first one still to do.
  const started = useRef(false);
  useEffect(() => {
    if (started.current || items.length === 0) return;
    started.current = true;
    const named = position === undefined ? -1 : items.findIndex((i) => i.position === position);
    const todo = items.findIndex(isTodo);
    setIndex(named >= 0 ? named : Math.max(todo, 0));
    region.current?.focus({ preventScroll: true });
  }, [items, position]);

  const current = items.length > 0 ? shown(items[Math.min(index, items.length - 1)]) : undefined;
  useEffect(() => {
    if (current) replaceQuery({ sample: sampleId, auditor, item: current.position });
  }, [sampleId, auditor, current?.position]);

  /** The verdict the server holds (or will, once this session's queued writes are through). */
  const expectedOf = (item: WorkItem): VerdictBody | null => {
    const expected = saveQueue.expectedVerdict(item.sampleId, item.decisionId);
    if (expected !== undefined) return expected;
    return item.verdict ? bodyOf(item.verdict) : null;
  };
  const draftFor = (item: WorkItem): Draft => drafts[item.decisionId] ?? draftOf(expectedOf(item));
  const setDraft = (item: WorkItem, draft: Draft) =>
    setDrafts((all) => ({ ...all, [item.decisionId]: draft }));

  const go = (next: number) => {
    if (next < 0 || next >= items.length) {
      setMessage({ key: next < 0 ? "audit.atFirst" : "audit.atLast", tone: "info" });
      return;
    }
    setIndex(next);
    setAskingSkip(false);
  };
  /** Still to do: no verdict or skip stored, and none on its way. */
  const isTodo = (item: WorkItem) =>
    shown(item).status === "todo" &&
    !saveQueue.pendingFor(item.sampleId, item.decisionId) &&
    !saveQueue.expectedVerdict(item.sampleId, item.decisionId);
  /** After a save or a skip: the next item, or from the end back to the first one still to do. */
  const advance = (from: number) => {
    if (from + 1 < items.length) return go(from + 1);
    const todo = items.findIndex((item, i) => i !== from && isTodo(item));
    if (todo >= 0) go(todo);
    else setMessage({ key: "audit.allDone", tone: "info" });
  };

  const save = () => {
    if (!current) return;
    const body = verdictBody(draftFor(current));
    if (typeof body === "string") {
      setMessage({ key: body, tone: "error" });
      return;
    }
    const previous = expectedOf(current);
    const stored =
      current.status === "done" ||
      saveQueue.expectedVerdict(current.sampleId, current.decisionId) !== undefined;
    if (stored && sameVerdict(previous, body)) {
      setMessage({ key: "audit.unchanged", vars: { position: fmt.integer(current.position) }, tone: "info" });
      advance(index);
      return;
    }
    const item = current;
    const writeId = saveQueue.add(
      { ...ids(item), kind: "verdict", send: () => putVerdict(item, body) },
      body,
    );
    saveQueue.undoStack(sampleId).push({
      writeId,
      decisionId: item.decisionId,
      sampleId,
      position: item.position,
      previous,
      next: body,
    });
    setMessage(null);
    advance(index);
  };

  const undo = () => {
    const stack = saveQueue.undoStack(sampleId);
    const last = stack.at(-1);
    if (!last) {
      setMessage({ key: "audit.undo.nothing", tone: "info" });
      return;
    }
    const at = items.findIndex((i) => i.decisionId === last.decisionId);
    if (last.previous === null || at < 0) {
      setMessage({ key: "audit.undo.created", vars: { position: fmt.integer(last.position) }, tone: "info" });
      return;
    }
    stack.pop();
    const item = items[at];
    const previous = last.previous;
    saveQueue.add(
      { ...ids(item), kind: "undo", send: () => putVerdict(item, { ...previous, reason: "undo" }) },
      previous,
    );
    setDraft(item, draftOf(previous));
    setIndex(at);
    setAskingSkip(false);
    setMessage({
      key: "audit.undo.done",
      vars: { position: fmt.integer(last.position), verdict: verdictText(previous) },
      tone: "info",
    });
  };

  const skip = (reason: SkipReason) => {
    if (!current) return;
    const item = current;
    const note = skipNote.trim();
    saveQueue.add({
      ...ids(item),
      kind: "skip",
      send: async () =>
        api<WorkItem>("POST", `${itemPath(item.sampleId, item.decisionId)}/skip`, {
          json: note ? { reason, note } : { reason },
        }),
    });
    setAskingSkip(false);
    setSkipNote("");
    setMessage({
      key: "audit.skipped",
      vars: { position: fmt.integer(item.position), reason: code("audit.skipReason", reason) },
      tone: "info",
    });
    advance(index);
  };

  const unskip = () => {
    if (!current) return;
    const item = current;
    saveQueue.add({
      ...ids(item),
      kind: "unskip",
      send: () => api<WorkItem>("DELETE", `${itemPath(item.sampleId, item.decisionId)}/skip`),
    });
  };

  const verdictText = (verdict: VerdictBody) =>
    verdict.outcome === "correct"
      ? t("audit.outcome.correct")
      : `${t("audit.outcome.incorrect")} (${code("errorType", verdict.errorType)})`;

  // Without scrolling: the position and the save state above the item stay in view.
  const focusRegion = () => region.current?.focus({ preventScroll: true });

  const act = (action: KeyAction) => {
    if (!current) return;
    const draft = draftFor(current);
    switch (action.type) {
      case "outcome":
        return setDraft(current, { ...draft, outcome: action.outcome });
      case "errorType":
        return setDraft(current, { ...draft, errorType: action.errorType });
      case "severity":
        if (draft.outcome !== "incorrect") {
          setMessage({ key: "audit.severity.needsIncorrect", tone: "info" });
          return;
        }
        return setDraft(current, {
          ...draft,
          severity: draft.severity === action.severity ? null : action.severity,
        });
      case "note":
        return noteRef.current?.focus();
      case "save":
        return save();
      case "skip":
        if (current.status === "done" || saveQueue.expectedVerdict(current.sampleId, current.decisionId)) {
          setMessage({ key: "audit.skip.hasVerdict", tone: "error" });
          return;
        }
        setAskingSkip(true);
        setTimeout(() => promptRef.current?.focus(), 0);
        return;
      case "skipReason":
        skip(action.reason);
        return focusRegion();
      case "previous":
        return go(index - 1);
      case "next":
        return go(index + 1);
      case "undo":
        return undo();
      case "help":
        return setHelp((open) => !open);
      case "escape":
        if (askingSkip) setAskingSkip(false);
        else if (help) setHelp(false);
        return focusRegion();
    }
  };

  // One listener on the document; it reads the latest state through a ref.
  const handler = useRef<(event: KeyboardEvent) => void>(() => {});
  handler.current = (event: KeyboardEvent) => {
    if (event.defaultPrevented || event.isComposing) return;
    const target = event.target as HTMLElement | null;
    if (isTypingTarget(target)) {
      // Typing: no shortcut fires; Escape leaves the field (and closes the skip prompt when in its note).
      if (event.key === "Escape") {
        event.preventDefault();
        target?.blur();
        if (askingSkip && promptRef.current?.contains(target)) setAskingSkip(false);
        focusRegion();
      }
      return;
    }
    // Only on the workbench (or nothing focused): keys on the rest of the page, a lead's reassignment
    // checkboxes for one, keep their own meaning.
    const onPage = !target || target === document.body || target.id === "main";
    if (!onPage && !root.current?.contains(target)) return;
    // Enter and Space on a button or link do what the button or link does.
    if ((event.key === "Enter" || event.key === " ") && target?.closest("button, a, summary")) return;
    // Arrows on a radio button move between its choices.
    if (event.key.startsWith("Arrow") && target instanceof HTMLInputElement) return;
    const draft = current ? draftFor(current) : undefined;
    const action = keyAction(event, { outcome: draft?.outcome ?? null, askingSkip });
    if (!action) return;
    event.preventDefault();
    act(action);
  };
  const onKey = useCallback((event: KeyboardEvent) => handler.current(event), []);
  useEffect(() => {
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [onKey]);

  const pending = saveQueue.pending(sampleId);
  const waiting = pending.find((w) => w.retryAt !== null);
  const now = useNow(waiting !== undefined);

  if (loaded.error) return <ErrorBox error={loaded.error} />;
  if (!loaded.data) return <Loading when={true} />;
  const back = (
    <p>
      <Link href="/audit">{t("audit.back")}</Link>
    </p>
  );
  if (!current)
    return (
      <div>
        {back}
        <p class="notice" data-testid="no-items">
          {t("audit.noItems")}
        </p>
      </div>
    );

  const all = items.map(shown);
  const done = all.filter((i) => i.status === "done").length;
  const skipped = all.filter((i) => i.status === "skipped").length;
  const draft = draftFor(current);
  const writing = saveQueue.pendingFor(current.sampleId, current.decisionId);
  const failure = saveQueue.failure(current.sampleId, current.decisionId);
  const stack = saveQueue.undoStack(sampleId);
  const last = stack.at(-1);
  const failures = saveQueue.failures(sampleId);
  const dirty = !sameVerdict(
    expectedOf(current),
    typeof verdictBody(draft) === "string" ? null : (verdictBody(draft) as VerdictBody),
  );

  let state: { key: MessageKey; vars?: Vars; tone: string };
  if (writing?.lastError)
    state = {
      key: "audit.state.retrying",
      vars: { seconds: fmt.integer(Math.max(0, Math.ceil(((writing.retryAt ?? now) - now) / 1000))) },
      tone: "pending",
    };
  else if (writing) state = { key: "audit.state.saving", tone: "pending" };
  else if (failure) state = { key: "audit.state.failed", tone: "failed" };
  else if (current.status === "done")
    state = {
      key: "audit.state.saved",
      vars: { revision: fmt.integer(current.verdict?.revision ?? 1) },
      tone: "done",
    };
  else if (current.status === "skipped") state = { key: "audit.state.skipped", tone: "skipped" };
  else state = { key: "audit.state.todo", tone: "todo" };

  return (
    <div class="workbench" ref={root}>
      {back}
      {auditor && (
        <p class="notice" data-testid="on-behalf">
          {t("audit.onBehalf", { auditor })}
        </p>
      )}
      <div class="work-head">
        <h2 class="position" data-testid="position">
          <span class="visually-hidden">{t("audit.item")} </span>
          {t("audit.position", {
            position: fmt.integer(current.position),
            count: fmt.integer(current.auditorItems),
          })}
        </h2>
        <span class={`badge state-${state.tone}`} data-testid="item-state" data-state={state.tone}>
          {t(state.key, state.vars)}
        </span>
        <Progress value={done + skipped} max={items.length} label={t("audit.myProgress")} />
        <span class="hint" data-testid="my-counts">
          {t("audit.counts", {
            done: fmt.integer(done),
            skipped: fmt.integer(skipped),
            todo: fmt.integer(items.length - done - skipped),
          })}
        </span>
      </div>
      <div class="status-line">
        <div class="live" aria-live="polite" data-testid="save-status">
          {pending.length > 0 && (
            <span class="pending-note">
              {t(waiting ? "audit.pending.offline" : "audit.pending", { n: fmt.integer(pending.length) })}{" "}
              {waiting && (
                <button type="button" class="secondary" onClick={() => saveQueue.retryNow()}>
                  {t("audit.retryNow")}
                </button>
              )}
            </span>
          )}
        </div>
        <div class="live" role="status" data-testid="message">
          {message && (
            <span class={message.tone === "error" ? "message-error" : undefined}>
              {t(message.key, message.vars)}
            </span>
          )}
        </div>
      </div>
      {failures.length > 0 && (
        <ul class="failures" data-testid="failures">
          {failures.map((f) => {
            const at = items.findIndex((i) => i.decisionId === f.decisionId);
            return (
              <li key={f.decisionId}>
                <button type="button" class="secondary" onClick={() => go(at)} disabled={at < 0}>
                  {t("audit.failedAt", { position: fmt.integer(items[at]?.position ?? 0) })}
                </button>
                <ErrorBox error={f.error} />
              </li>
            );
          })}
        </ul>
      )}
      <section
        class="work"
        ref={region}
        tabIndex={-1}
        aria-label={t("audit.itemRegion")}
        data-testid="work-item"
      >
        <div class="work-context">
          <ItemContext item={current} />
        </div>
        <div class="work-form">
          <VerdictForm draft={draft} onDraft={(d) => setDraft(current, d)} onSave={save} noteRef={noteRef} />
          <div class="buttons">
            <button type="button" class="primary" onClick={save} data-testid="save" aria-keyshortcuts="Enter">
              {t("audit.save")} <KeyHint keys="↵" />
            </button>
            <button
              type="button"
              class="secondary"
              onClick={() => act({ type: "previous" })}
              aria-keyshortcuts="ArrowLeft"
            >
              <KeyHint keys="←" /> {t("audit.previous")}
            </button>
            <button
              type="button"
              class="secondary"
              onClick={() => act({ type: "next" })}
              aria-keyshortcuts="ArrowRight"
            >
              {t("audit.next")} <KeyHint keys="→" />
            </button>
            {current.status === "skipped" ? (
              <button type="button" class="secondary" onClick={unskip}>
                {t("audit.unskip")}
              </button>
            ) : (
              <button
                type="button"
                class="secondary"
                onClick={() => act({ type: "skip" })}
                aria-keyshortcuts="S"
              >
                {t("audit.skip")} <KeyHint keys="S" />
              </button>
            )}
            <button
              type="button"
              class="secondary"
              onClick={undo}
              disabled={!last || last.previous === null}
              aria-describedby="undo-note"
              aria-keyshortcuts="U"
            >
              {t("audit.undo")} <KeyHint keys="U" />
            </button>
          </div>
          <p class="hint" data-testid="key-hint">
            {dirty && draft.outcome ? `${t("audit.unsaved")} ` : ""}
            {t(draft.outcome === "incorrect" ? "audit.hint.incorrect" : "audit.hint.start")}
          </p>
          <p id="undo-note" class="hint" data-testid="undo-note">
            {!last
              ? t("audit.undo.none")
              : last.previous === null
                ? t("audit.undo.created", { position: fmt.integer(last.position) })
                : t("audit.undo.offer", {
                    position: fmt.integer(last.position),
                    verdict: verdictText(last.previous),
                  })}
          </p>
          {askingSkip && (
            <SkipPrompt
              note={skipNote}
              onNote={setSkipNote}
              onChoose={(reason) => {
                skip(reason);
                focusRegion();
              }}
              onCancel={() => {
                setAskingSkip(false);
                focusRegion();
              }}
              promptRef={promptRef}
            />
          )}
        </div>
      </section>
      <ShortcutList open={help} onToggle={() => setHelp((open) => !open)} />
    </div>
  );
}

const ids = (item: WorkItem) => ({ sampleId: item.sampleId, decisionId: item.decisionId });
