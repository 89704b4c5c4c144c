import { useI18n } from "../../i18n/index.ts";
import { atLeast, useSession } from "../../session.ts";
import { AllocationCalculator } from "./allocation.tsx";
import { SampleDraw } from "./draw.tsx";
import { IntervalCalculator } from "./interval.tsx";
import { SampleSizeCalculator } from "./sample-size.tsx";

/** The planner: three calculators for everyone, and the sample draw for leads. */
export function PlannerPage() {
  const { t } = useI18n();
  const { me } = useSession();
  return (
    <div>
      <h1>{t("planner.title")}</h1>
      <p class="lead">{t("planner.intro")}</p>
      <SampleSizeCalculator />
      <IntervalCalculator />
      <AllocationCalculator />
      {atLeast(me, "lead") && <SampleDraw />}
    </div>
  );
}
