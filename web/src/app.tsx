import type { ComponentChildren } from "preact";
import { useCallback, useEffect, useMemo, useRef, useState } from "preact/hooks";
import { api, keyStore, setUnauthorizedHandler } from "./api.ts";
import { Loading } from "./components/ui.tsx";
import {
  formatters,
  I18nContext,
  LANGS,
  type Lang,
  type MessageKey,
  preferredLang,
  rememberLang,
  translate,
  useI18n,
} from "./i18n/index.ts";
import { AlertsPage } from "./pages/alerts/index.tsx";
import { AuditorsPage } from "./pages/auditors/index.tsx";
import { AuditsPage } from "./pages/audits/index.tsx";
import { CalibrationPage } from "./pages/calibration.tsx";
import { ChartsPage } from "./pages/charts.tsx";
import { DisputesPage } from "./pages/disputes.tsx";
import { FindingsPage } from "./pages/findings/index.tsx";
import { KeysPage } from "./pages/keys.tsx";
import { PlannerPage } from "./pages/planner/index.tsx";
import { QualityPage } from "./pages/quality/index.tsx";
import { SamplesPage } from "./pages/samples/index.tsx";
import { ScorecardsPage } from "./pages/scorecards/index.tsx";
import { SignInPage } from "./pages/sign-in.tsx";
import { WorkbenchPage } from "./pages/workbench/index.tsx";
import { Link, navigate, type PageName, useLocation } from "./router.tsx";
import { atLeast, isModerator, type Me, type Role, SessionContext, useSession } from "./session.ts";

interface NavItem {
  page: Exclude<PageName, "sign-in">;
  label: MessageKey;
  /** The least role offered the page; `"moderator"` marks a moderator key's own pages, offered to it alone. */
  role: Role;
}

/**
 * What each role is offered: a page a role may not use is not in its navigation. A moderator key sees its own
 * findings and scorecard only; the same pages serve leads (with every moderator's data) under other names.
 */
export const NAV: readonly NavItem[] = [
  { page: "findings", label: "nav.myFindings", role: "moderator" },
  { page: "scorecards", label: "nav.myScorecard", role: "moderator" },
  { page: "quality", label: "nav.quality", role: "viewer" },
  { page: "charts", label: "nav.charts", role: "viewer" },
  { page: "calibration", label: "nav.calibration", role: "viewer" },
  { page: "alerts", label: "nav.alerts", role: "viewer" },
  { page: "planner", label: "nav.planner", role: "viewer" },
  { page: "samples", label: "nav.samples", role: "viewer" },
  { page: "audits", label: "nav.audits", role: "viewer" },
  { page: "audit", label: "nav.audit", role: "auditor" },
  { page: "findings", label: "nav.feedback", role: "lead" },
  { page: "scorecards", label: "nav.scorecards", role: "lead" },
  { page: "disputes", label: "nav.disputes", role: "lead" },
  { page: "auditors", label: "nav.auditors", role: "lead" },
  { page: "keys", label: "nav.keys", role: "admin" },
];

/** Whether an item is offered to a key: moderator items to moderator keys only, the others by rank. */
const offered = (me: Me | null, item: NavItem): boolean =>
  item.role === "moderator" ? isModerator(me) : !isModerator(me) && atLeast(me, item.role);

/** The navigation for a key: what its role may use, the workbench first for an auditor (their daily page). */
function navFor(me: Me): NavItem[] {
  const items = NAV.filter((item) => offered(me, item));
  if (me.role !== "auditor") return items;
  return [...items.filter((item) => item.page === "audit"), ...items.filter((item) => item.page !== "audit")];
}

/** Where a key lands after signing in: an auditor at the workbench, a moderator at its findings, everyone else
 * at the error rates. */
const homeOf = (me: Me | null) =>
  me?.role === "auditor" ? "/audit" : me?.role === "moderator" ? "/findings" : "/quality";

function LanguageSwitch() {
  const { lang, setLang, t } = useI18n();
  return (
    <fieldset class="lang-switch">
      <legend class="visually-hidden">{t("lang.label")}</legend>
      {LANGS.map((option) => (
        <button
          key={option}
          type="button"
          lang={option}
          aria-pressed={lang === option}
          data-lang={option}
          onClick={() => setLang(option)}
        >
          {t(option === "ko" ? "lang.ko" : "lang.en")}
        </button>
      ))}
    </fieldset>
  );
}

function Header({ current }: { current: PageName | "not-found" }) {
  const { t } = useI18n();
  const { me, signOut } = useSession();
  return (
    <header class="top">
      <a class="skip" href="#main">
        {t("app.skip")}
      </a>
      <div class="brand">
        <span class="logo" aria-hidden="true" />
        <span>{t("app.name")}</span>
      </div>
      {me && (
        <nav aria-label={t("nav.label")}>
          <ul class="nav-list">
            {navFor(me).map((item) => (
              <li key={item.page}>
                <Link href={`/${item.page}`} aria-current={current === item.page ? "page" : undefined}>
                  {t(item.label)}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      )}
      <div class="top-right">
        <LanguageSwitch />
        {me && (
          <span class="who">
            <span data-testid="who">
              {me.name} · {t(`role.${me.role}`)}
              {me.rater ? ` · ${me.rater}` : me.moderator ? ` · ${me.moderator}` : ""}
            </span>
            <button type="button" class="secondary" onClick={signOut}>
              {t("app.signOut")}
            </button>
          </span>
        )}
      </div>
    </header>
  );
}

const PAGE_TITLES: Record<PageName | "not-found", MessageKey> = {
  "sign-in": "signIn.title",
  audit: "audit.title",
  planner: "planner.title",
  quality: "quality.title",
  charts: "charts.title",
  calibration: "calibration.title",
  alerts: "alerts.title",
  keys: "keys.title",
  findings: "findings.title",
  scorecards: "scorecards.title",
  disputes: "disputes.title",
  samples: "samples.title",
  audits: "audits.title",
  auditors: "auditors.title",
  "not-found": "app.notFound",
};

function Page() {
  const location = useLocation();
  const { me } = useSession();
  const { t } = useI18n();
  const main = useRef<HTMLElement>(null);
  const page = location.page;
  const signedIn = !!me;
  const home = homeOf(me);
  const shown: PageName | "not-found" = signedIn
    ? page === "sign-in" || (location.home && home !== "/quality")
      ? (home.slice(1) as PageName)
      : page
    : "sign-in";

  useEffect(() => {
    document.title = `${t(PAGE_TITLES[shown])} · ${t("app.name")}`;
  }, [shown, t]);
  // Move focus to the new page's content on navigation, as a full page load would.
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.focus();
  }, [shown, location.id]);
  useEffect(() => {
    if (signedIn && (page === "sign-in" || (location.home && home !== "/quality"))) navigate(home, true);
  }, [signedIn, page, location.home, home]);

  const items = NAV.filter((n) => n.page === shown);
  let content: ComponentChildren;
  if (shown === "sign-in") content = <SignInPage />;
  else if (items.length > 0 && !items.some((item) => offered(me, item)))
    content = <p class="notice">{t("app.forbidden")}</p>;
  else if (shown === "audit") content = <WorkbenchPage query={location.query} />;
  else if (shown === "planner") content = <PlannerPage />;
  else if (shown === "quality") content = <QualityPage query={location.query} />;
  else if (shown === "charts") content = <ChartsPage query={location.query} />;
  else if (shown === "calibration") content = <CalibrationPage id={location.id} />;
  else if (shown === "alerts") content = <AlertsPage query={location.query} />;
  else if (shown === "keys") content = <KeysPage />;
  else if (shown === "findings") content = <FindingsPage query={location.query} />;
  else if (shown === "scorecards") content = <ScorecardsPage query={location.query} />;
  else if (shown === "disputes") content = <DisputesPage query={location.query} />;
  else if (shown === "samples") content = <SamplesPage id={location.id} query={location.query} />;
  else if (shown === "audits") content = <AuditsPage id={location.id} query={location.query} />;
  else if (shown === "auditors") content = <AuditorsPage query={location.query} />;
  else
    content = (
      <div>
        <h1>{t("app.notFound")}</h1>
        <p>
          <Link href={home}>{t("app.home")}</Link>
        </p>
      </div>
    );
  return (
    <>
      <Header current={shown} />
      <main id="main" ref={main} tabIndex={-1} data-page={shown}>
        {content}
      </main>
    </>
  );
}

export function App() {
  const [lang, setLangState] = useState<Lang>(preferredLang);
  const [me, setMe] = useState<Me | null>(null);
  const [restoring, setRestoring] = useState(() => keyStore.get() !== null);

  const setLang = useCallback((next: Lang) => {
    rememberLang(next);
    setLangState(next);
  }, []);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);

  const signOut = useCallback(() => {
    keyStore.clear();
    setMe(null);
  }, []);
  const signIn = useCallback((key: string, who: Me) => {
    keyStore.set(key);
    setMe(who);
  }, []);
  useEffect(() => setUnauthorizedHandler(signOut), [signOut]);

  // A reload keeps the session: the key is still in sessionStorage, ask who it is.
  useEffect(() => {
    const key = keyStore.get();
    if (!key) return;
    api<Me>("GET", "/v1/me", { key })
      .then(setMe, () => keyStore.clear())
      .finally(() => setRestoring(false));
  }, []);

  const i18n = useMemo(
    () => ({
      lang,
      setLang,
      t: (key: MessageKey, vars?: Record<string, string | number>) => translate(lang, key, vars),
      fmt: formatters(lang),
    }),
    [lang, setLang],
  );
  const session = useMemo(() => ({ me, signIn, signOut }), [me, signIn, signOut]);

  return (
    <I18nContext.Provider value={i18n}>
      <SessionContext.Provider value={session}>
        {restoring ? <Loading when={true} /> : <Page />}
      </SessionContext.Provider>
    </I18nContext.Provider>
  );
}
