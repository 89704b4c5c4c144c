import { useId } from "preact/hooks";
import { useI18n } from "../../i18n/index.ts";
import { SHORTCUTS } from "./keys.ts";

/** The keyboard shortcuts, listed on the page; `?` (or the button) shows and hides the table. */
export function ShortcutList({ open, onToggle }: { open: boolean; onToggle(): void }) {
  const { t } = useI18n();
  const id = useId();
  return (
    <section class="card shortcuts" aria-labelledby={`${id}-title`}>
      <div class="card-head">
        <h2 id={`${id}-title`}>{t("audit.shortcuts")}</h2>
        <button
          type="button"
          class="secondary"
          aria-expanded={open}
          aria-controls={`${id}-table`}
          onClick={onToggle}
          data-testid="shortcuts-toggle"
        >
          {t(open ? "audit.shortcuts.hide" : "audit.shortcuts.show")} <KeyHint keys="?" />
        </button>
      </div>
      <p class="hint">{t("audit.shortcuts.typing")}</p>
      <div id={`${id}-table`} hidden={!open} class="table-wrap">
        <table data-testid="shortcuts">
          <caption class="visually-hidden">{t("audit.shortcuts")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("audit.shortcuts.keys")}</th>
              <th scope="col">{t("audit.shortcuts.action")}</th>
            </tr>
          </thead>
          <tbody>
            {SHORTCUTS.map((shortcut) => (
              <tr key={shortcut.action}>
                <th scope="row">
                  {shortcut.keys.map((key, i) => (
                    <span key={key}>
                      {i > 0 && (key === "…" || shortcut.keys[i - 1] === "…" ? " " : " / ")}
                      {key === "…" ? key : <kbd>{key}</kbd>}
                    </span>
                  ))}
                </th>
                <td>{t(shortcut.action)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** A key shown next to a control's label; the control's own label says what it does, so readers skip it. */
export function KeyHint({ keys }: { keys: string | number }) {
  return (
    <span class="key-hint" aria-hidden="true">
      <kbd>{keys}</kbd>
    </span>
  );
}
