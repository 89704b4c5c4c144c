import { type SessionAgreement, sessionAgreement } from "../calibrations/report.ts";
import { DomainError } from "../errors.ts";
import { evaluateAgreement } from "./conditions/index.ts";
import { applyOutcomes, backgroundTransaction, type LifecycleContext, queueEvent } from "./lifecycle.ts";
import { type CalibrationEvent, renderCalibrationClosed } from "./payloads.ts";
import type { Rule } from "./rules.ts";

/**
 * What a calibration session that has just closed sets off: the agreement rules' outcomes and the
 * calibration.closed event. Resolves to the number of deliveries queued (0 when the session does not exist or
 * is not closed: nothing to announce).
 */
export async function announceClosedSession(
  ctx: LifecycleContext,
  sessionId: string,
  agreementRules: readonly Rule<"agreement">[],
  now: number,
): Promise<number> {
  let analysed: SessionAgreement;
  try {
    analysed = await sessionAgreement(ctx.db, sessionId);
  } catch (error) {
    if (error instanceof DomainError) return 0;
    throw error;
  }
  const { session, items, raters, result, unusable: note } = analysed;
  const info = { id: session.id, name: session.name, closedAt: session.closedAt };
  let deliveries = 0;
  if (result) {
    for (const rule of agreementRules) {
      const outcomes = evaluateAgreement(rule, info, result);
      if (outcomes !== null) deliveries += (await applyOutcomes(ctx, rule, outcomes, now)).deliveries;
    }
  }
  const data: CalibrationEvent = {
    calibration: { ...info, items: items.length, raters },
    agreement: result
      ? {
          fleiss: result.fleiss.kappa,
          ac1: result.gwet.ac1,
          alpha: result.krippendorff.alpha,
          percentAgreement: result.percentAgreement,
        }
      : null,
    ...(note ? { note } : {}),
  };
  deliveries += await backgroundTransaction(ctx.db, (tx) =>
    queueEvent(
      tx,
      "calibration.closed",
      (format) => renderCalibrationClosed(format, data, ctx.publicUrl, now),
      null,
      now,
    ),
  );
  return deliveries;
}
