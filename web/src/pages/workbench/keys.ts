/*
 * The workbench's keyboard: which action a key press means, as a pure function of the key and the form's
 * state, so the page, its shortcut list and the browser test agree on one table.
 */
import { ERROR_TYPES, type ErrorType, type Outcome, SKIP_REASONS, type SkipReason } from "./types.ts";

export type KeyAction =
  | { type: "outcome"; outcome: Outcome }
  | { type: "errorType"; errorType: ErrorType }
  | { type: "severity"; severity: number }
  | { type: "skipReason"; reason: SkipReason }
  | { type: "note" | "save" | "skip" | "previous" | "next" | "undo" | "help" | "escape" };

export interface KeyState {
  /** The outcome chosen in the form: after "incorrect", 1–4 choose the error type. */
  outcome: Outcome | null;
  /** The skip prompt is open: 1–3 choose the reason. */
  askingSkip: boolean;
}

interface KeyPress {
  key: string;
  code: string;
  shiftKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
}

/** Shift+1…4 by the physical key, whatever the layout types with Shift (`!`, `@` on a US keyboard). */
function shiftedDigit(press: KeyPress): number | undefined {
  const match = /^(?:Digit|Numpad)([1-4])$/.exec(press.code);
  return match ? Number(match[1]) : undefined;
}

/**
 * The key's name for the shortcuts: a Latin letter or digit by the physical key when the layout types something
 * else there (a Korean input source types ㅊ on C, ㅌ on X), so the shortcuts work whatever the input language.
 */
function keyName(press: KeyPress): string {
  if (/^[0-9a-z]$/i.test(press.key)) return press.key.toLowerCase();
  if (press.key.length === 1) {
    const physical = /^(?:Key([A-Z])|Digit([0-9]))$/.exec(press.code);
    if (physical) return (physical[1] ?? physical[2]).toLowerCase();
  }
  return press.key;
}

export function keyAction(press: KeyPress, state: KeyState): KeyAction | null {
  if (press.ctrlKey || press.metaKey || press.altKey) return null; // the browser's and the system's own
  if (press.key === "Escape") return { type: "escape" };
  if (state.askingSkip) {
    const n = Number(keyName(press));
    if (!press.shiftKey && n >= 1 && n <= SKIP_REASONS.length)
      return { type: "skipReason", reason: SKIP_REASONS[n - 1] };
    return null;
  }
  if (press.key === "?") return { type: "help" };
  if (press.shiftKey) {
    const severity = shiftedDigit(press);
    if (severity !== undefined) return { type: "severity", severity };
    if (press.key !== "Enter") return null;
  }
  const key = keyName(press);
  if (/^[1-4]$/.test(key)) {
    const n = Number(key);
    if (state.outcome === "incorrect") return { type: "errorType", errorType: ERROR_TYPES[n - 1] };
    if (n === 1) return { type: "outcome", outcome: "correct" };
    if (n === 2) return { type: "outcome", outcome: "incorrect" };
    return null;
  }
  switch (key) {
    case "c":
      return { type: "outcome", outcome: "correct" };
    case "x":
      return { type: "outcome", outcome: "incorrect" };
    case "n":
      return { type: "note" };
    case "Enter":
      return { type: "save" };
    case "s":
      return { type: "skip" };
    case "ArrowLeft":
      return { type: "previous" };
    case "ArrowRight":
      return { type: "next" };
    case "u":
      return { type: "undo" };
    default:
      return null;
  }
}

/** Elements where keys type text or operate the control: no shortcut fires there (Escape leaves them). */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) {
    return !["radio", "checkbox", "button", "submit", "reset"].includes(target.type);
  }
  return false;
}

/** The shortcuts as the page lists them: keys and the message key of what they do. */
export const SHORTCUTS = [
  { keys: ["1", "C"], action: "audit.key.correct" },
  { keys: ["2", "X"], action: "audit.key.incorrect" },
  { keys: ["1", "2", "3", "4"], action: "audit.key.errorType" },
  { keys: ["Shift+1", "…", "Shift+4"], action: "audit.key.severity" },
  { keys: ["N"], action: "audit.key.note" },
  { keys: ["Enter"], action: "audit.key.save" },
  { keys: ["S"], action: "audit.key.skip" },
  { keys: ["←", "→"], action: "audit.key.move" },
  { keys: ["U"], action: "audit.key.undo" },
  { keys: ["?"], action: "audit.key.help" },
  { keys: ["Esc"], action: "audit.key.escape" },
] as const;
