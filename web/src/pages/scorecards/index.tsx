import { useI18n } from "../../i18n/index.ts";
import { Link } from "../../router.tsx";
import { isModerator, useSession } from "../../session.ts";
import { findingsHref, OpenModerator, scorecardHref } from "../findings/index.tsx";
import { ScorecardListView } from "./list.tsx";
import { ScorecardView } from "./scorecard.tsx";
import { Targets } from "./targets.tsx";

/**
 * `/scorecards`: a moderator key's own scorecard; for leads every moderator's raw and shrunken rates, the queues'
 * targets, and with `?moderator=` one moderator's scorecard.
 */
export function ScorecardsPage({ query }: { query: URLSearchParams }) {
  const { t } = useI18n();
  const { me } = useSession();
  if (isModerator(me)) {
    return (
      <div>
        <h1>{t("scorecard.mine")}</h1>
        <p class="lead">{t("scorecard.mine.intro")}</p>
        <ScorecardView moderator={me?.moderator ?? ""} own={true} query={query} />
      </div>
    );
  }
  const moderator = query.get("moderator");
  if (moderator) {
    return (
      <div>
        <h1>{t("scorecard.of", { moderator })}</h1>
        <p class="links">
          <Link href="/scorecards">{t("scorecards.back")}</Link>
          <Link href={findingsHref(moderator)}>{t("findings.openFindings")}</Link>
        </p>
        <ScorecardView key={moderator} moderator={moderator} own={false} query={query} />
      </div>
    );
  }
  return (
    <div>
      <h1>{t("scorecards.title")}</h1>
      <p class="lead">{t("scorecards.intro")}</p>
      <ScorecardListView query={query} />
      <OpenModerator href={scorecardHref} title={t("scorecards.open")} />
      <Targets />
    </div>
  );
}
