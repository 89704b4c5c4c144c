import { SelectField } from "../../components/ui.tsx";
import { useI18n } from "../../i18n/index.ts";

export type AllocationMethod = "proportional" | "neyman" | "equal";

/** The allocation choice, shared by the allocation calculator and the sample draw. */
export function AllocationMethodField({
  value,
  onValue,
}: {
  value: AllocationMethod;
  onValue: (v: AllocationMethod) => void;
}) {
  const { t } = useI18n();
  return (
    <SelectField
      label={t("planner.allocationMethod")}
      value={value}
      onValue={onValue}
      options={[
        { value: "proportional", label: t("allocation.proportional") },
        { value: "neyman", label: t("allocation.neyman") },
        { value: "equal", label: t("allocation.equal") },
      ]}
    />
  );
}
