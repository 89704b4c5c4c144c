import { useId, useState } from "preact/hooks";
import { ApiFailure, api } from "../api.ts";
import { ErrorBox } from "../components/ui.tsx";
import { useI18n } from "../i18n/index.ts";
import { type Me, useSession } from "../session.ts";

/** Sign-in with an API key: checked with GET /v1/me, then kept in sessionStorage for this tab only. */
export function SignInPage() {
  const { t } = useI18n();
  const { signIn } = useSession();
  const [key, setKey] = useState("");
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const id = useId();
  return (
    <div class="sign-in card">
      <h1>{t("signIn.title")}</h1>
      <p>{t("signIn.intro")}</p>
      <form
        onSubmit={async (event) => {
          event.preventDefault();
          const secret = key.trim();
          if (!secret) {
            setError(new ApiFailure(401, "missing_key", "no key"));
            return;
          }
          setBusy(true);
          setError(undefined);
          try {
            signIn(secret, await api<Me>("GET", "/v1/me", { key: secret }));
          } catch (e) {
            setError(e);
          } finally {
            setBusy(false);
          }
        }}
      >
        <div class="field wide">
          <label for={id}>{t("signIn.key")}</label>
          <input
            id={id}
            type="password"
            name="api-key"
            autoComplete="off"
            spellcheck={false}
            value={key}
            onInput={(e) => setKey((e.target as HTMLInputElement).value)}
            aria-describedby={`${id}-hint`}
            required
          />
          <span id={`${id}-hint`} class="hint">
            {t("signIn.hint")}
          </span>
        </div>
        <button type="submit" class="primary" disabled={busy}>
          {busy ? t("common.working") : t("signIn.submit")}
        </button>
      </form>
      <ErrorBox error={error} />
    </div>
  );
}
