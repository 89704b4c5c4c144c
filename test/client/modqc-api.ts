export interface paths {
  "/health": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Liveness, version, backend and leadership
     * @description No key needed.
     */
    get: operations["getHealth"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/keys": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List API keys, without secrets
     * @description Role: admin or above.
     */
    get: operations["listKeys"];
    put?: never;
    /**
     * Create an API key (the secret is shown once)
     * @description Role: admin or above.
     */
    post: operations["createKey"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/keys/{id}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /**
     * Revoke an API key at once
     * @description The last active admin key cannot be revoked (409): create another admin key first.
     *
     *     Role: admin or above.
     */
    delete: operations["revokeKey"];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/me": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * The calling key: its id, name, role, rater and moderator (any valid key)
     * @description Role: moderator or above.
     */
    get: operations["getMe"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/sample-size": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * How many decisions to audit: estimate a rate, or demonstrate it is below a limit
     * @description No key needed unless MODQC_OPEN_CALCULATORS=false.
     */
    post: operations["calculateSampleSize"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/interval": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Confidence interval for an error rate (count of n)
     * @description No key needed unless MODQC_OPEN_CALCULATORS=false.
     */
    post: operations["calculateInterval"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/allocation": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Split a sample across strata (proportional, Neyman or equal)
     * @description No key needed unless MODQC_OPEN_CALCULATORS=false.
     */
    post: operations["calculateAllocation"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/audits": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List audits: cursor-paginated JSON, or the whole selection as CSV (with BOM, for Excel) or NDJSON
     * @description The report filters select the same audits a report counts (`errorType`: only errors of that type); `outcome`, `minSeverity` and `id` narrow by verdict or to one audit (the dashboard's drill-down from a report to the audits behind it).
     *
     *     An auditor key that has a dispute's blind second review to record does not get that audit (GET /v1/work/reviews) until it records the review.
     *
     *     An auditor key does not get the audits of samples with gold items mixed into their queues (their absence beside the queue would show which items were gold); its own verdicts there are in GET /v1/work.
     *
     *     Role: viewer or above.
     */
    get: operations["listAudits"];
    put?: never;
    /**
     * Record audit outcomes (one, many, or a million), all or nothing
     * @description Body: `application/json` (one audit or an array), `application/x-ndjson` (one per line) or `text/csv` (header row, RFC 4180 quoting).
     *
     *     Encoding: UTF-8 with or without a BOM by default; UTF-16 LE/BE when the body starts with its BOM (Excel's "Unicode text", which is tab-separated: a CSV whose header line has tabs and no comma is read as tab-separated); CP949/EUC-KR with `?charset=cp949` (or `euc-kr`, or Content-Type's `charset=` parameter). A body that is not in its encoding → 400 `invalid_encoding` naming the line and byte (a body read as UTF-8 that is valid CP949 is said to be, with how to fix it); nothing is stored, and no replacement character is ever stored.
     *
     *     `application/vnd.openxmlformats-officedocument.spreadsheetml.sheet` (an .xlsx workbook): its first sheet is read as CSV (row 1 the header; sheet row N = CSV line N in errors; the same validation, all or nothing). Text cells as they are, numbers as their shortest decimal (never E-notation), date cells as ISO 8601 in `tz` (default MODQC_TZ), formulas as their saved result (none → 400 `xlsx_cell_without_value` naming the cell). The body limit is the CSV one; the workbook may unpack to at most 512 MiB (→ 413 `xlsx_too_large`); a file that is not a readable workbook → 400 `invalid_xlsx`.
     *
     *     The whole batch is validated first: any bad row → 400 listing rows (CSV line with the header as line 1, NDJSON line, or array index) and fields; nothing is stored.
     *
     *     Re-sending an audit with the same id and identical content counts as a duplicate (safe retries); the same id with different content → 409 listing the ids, nothing stored.
     *
     *     A 2xx is sent only after the batch is committed. Auditor keys may only write audits whose auditor is their own rater name (403 otherwise). Each audit records who sent it (`recordedBy`: the rater, or the key's name).
     *
     *     CSV only (a spreadsheet round trip, e.g. the audit template of `GET /v1/samples/{id}/items?format=csv&template=audit`): `auditedAt` and `decidedAt` may be a spreadsheet's local date-time without an offset (`2026-12-06 10:15`, `2026-12-06 10:15:30`, `2026/12/06 10:15`, `2026-12-06T10:15`), read in `tz` (default MODQC_TZ); an empty `auditedAt` means the time of upload, and such a row sent again later is still a duplicate; rows naming a `sampleId` whose verdict columns (outcome, errorType, severity, correctPolicy, notes) are all empty are ignored.
     *
     *     Spreadsheet formula guard: the CSV exports prefix `'` to text starting with `=`, `+`, `-`, `@`, tab or CR (so a spreadsheet shows it as text); a CSV upload reads a cell that is `'` followed by one of those characters without the apostrophe, so an exported id like `-17` or `=x` comes back exactly.
     *
     *     Round trips cannot double count: unless `allowNewIds=true`, an upload is refused with 409 `suspected_duplicate` (naming each row, `field: id`, and the stored id it collides with; nothing stored) when an audit's id looks like a spreadsheet's mangled copy of a stored audit's id of the same decision (the stored id is all digits, e.g. with leading zeros or more than 15 digits, and equals the uploaded number or rounds/truncates to it, as in `2082` for `00002082` or `3.15312E+11` for `315312345678`), when a CSV cell's id is in E-notation at all, or when an audit matches a stored one on (sampleId, decisionId, auditor) under another id. Re-sending an audit under its own id stays a duplicate.
     *
     *     Role: auditor or above.
     */
    post: operations["uploadAudits"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/audits/{id}/revisions": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Correct an audit's verdict: a new revision, the old ones kept
     * @description Changes the verdict fields given (outcome, errorType, severity, correctPolicy, notes; `null` clears an optional one) with a `reason`. The audit keeps its id; reports, charts, funnels, estimates, alerts and exports use the latest revision. Turning an audit correct clears its errorType.
     *
     *     A revision that changes nothing → 200 with `changed: false`. Auditor keys may correct only their own audits (403 `not_own_audit`); leads and admins any.
     *
     *     Role: auditor or above.
     */
    post: operations["correctAudit"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/audits/{id}/history": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Every revision of an audit, oldest first, with who, when and why
     * @description An audit under the calling auditor key's own pending blind second review (a dispute) answers 404 until the review is recorded.
     *
     *     Role: viewer or above.
     */
    get: operations["getAuditHistory"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/audits/{id}/disputes": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Dispute an incorrect verdict: a blind second review by another auditor
     * @description The audited moderator's own key, or a lead or admin on their behalf (other keys 403). Only an `incorrect` verdict (409 `audit_not_incorrect`), within MODQC_DISPUTE_WINDOW after its auditedAt (409 `dispute_window_closed`), with no unresolved dispute (409 `dispute_exists`), not already disputed at the same revision (409 `already_disputed`).
     *
     *     The second reviewer is assigned at once: a rater of an active auditor key, not the audit's auditor, not the moderator, not an earlier reviewer of the audit, with the fewest reviews still to record (then the fewest ever assigned, then by name); none → 409 `no_reviewer_available`. Queues the dispute.opened webhook event.
     *
     *     Role: moderator or above.
     */
    post: operations["disputeAudit"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/disputes/stats": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Overturn rate per auditor, dispute rate per queue, time to resolution
     * @description Over the disputes of the audits audited in [from, to) (dates in tz), optionally one queue's. Per auditor: overturned / resolved disputes of their audits with a 95 % Wilson interval. Per queue: disputed audits / audits with a 95 % Wilson interval. Time to resolution (opening → resolution) in ms: count, median and 90th percentile, sample quantiles by linear interpolation (Hyndman & Fan 1996, definition 7; R's default).
     *
     *     Role: lead or above.
     */
    get: operations["getDisputeStats"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/disputes": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List disputes, newest first, each with its age
     * @description Leads and admins: every dispute, by state, moderator, auditor, reviewer, queue and opening date (from/to, dates in tz). A moderator key: its own moderator's only (auditor and reviewer filters 403 unless MODQC_SHOW_AUDITOR_TO_MODERATOR=true). An auditor key: the disputes it reviews, blind while open (the auditor filter 403). Viewer keys 403.
     *
     *     Role: moderator or above.
     */
    get: operations["listDisputes"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/disputes/{id}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * One dispute, as the caller may see it
     * @description Leads and admins; the audited moderator's key (auditor names hidden unless MODQC_SHOW_AUDITOR_TO_MODERATOR=true); the second reviewer's auditor key, blind until its review is recorded (no verdict, notes, auditor or reason); the audit's auditor once the dispute is resolved. Others 403.
     *
     *     Role: moderator or above.
     */
    get: operations["getDispute"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/disputes/{id}/review": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /**
     * Record the blind second review
     * @description Only the assigned reviewer's auditor key (403 `not_reviewer`), once (409 `review_already_recorded`). The same outcome as the audit's verdict (and, when incorrect, the same errorType) → `upheld` (resolved; dispute.resolved queued); a different one → `escalated` to a lead.
     *
     *     Role: auditor or above.
     */
    put: operations["reviewDispute"];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/disputes/{id}/decision": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Decide an escalated dispute: uphold the verdict or overturn it
     * @description Only an escalated dispute (409 `review_pending` before the review, `dispute_resolved` after a decision). `overturned` makes the second reviewer's verdict the audit's: a revision whose reason is `dispute <id> overturned: <note>`, so reports, charts, estimates and alerts use it. Queues dispute.resolved.
     *
     *     Role: lead or above.
     */
    post: operations["decideDispute"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/work/reviews": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Second reviews of disputes waiting for an auditor, oldest first
     * @description An auditor key gets its own (naming another auditor → 403), blind: the decision and its context, not the verdict, notes, auditor or reason. Lead and admin keys name the auditor.
     *
     *     Role: auditor or above.
     */
    get: operations["listReviewWork"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/findings": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * A moderator's audited decisions with verdicts and notes, newest first
     * @description A moderator key reads only its own moderator; leads and admins name one with `moderator`. Viewer and auditor keys: 403.
     *
     *     Role: moderator or above.
     */
    get: operations["listFindings"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/findings/unread": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Errors no moderator has read yet: per moderator how many and since when, the oldest first
     * @description Role: lead or above.
     */
    get: operations["listUnreadFindings"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/audits/{id}/ack": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Mark one of your findings as read (moderator keys only)
     * @description Only the audited moderator's key. Marking twice keeps the first time. Another moderator's audit: 404.
     *
     *     Role: moderator or above.
     */
    post: operations["acknowledgeFinding"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/scorecards/{moderator}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * A moderator's scorecard: error rate, target, shrunken rate, breakdowns, trend and latest findings
     * @description A moderator key reads only its own moderator; leads and admins any; viewer and auditor keys 403. The period is `from`..`to` (dates in `tz`), by default the 90 days up to today, at most 366 days (400 period_too_long).
     *
     *     Role: moderator or above.
     */
    get: operations["getScorecard"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/scorecards": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Every moderator with the raw and the shrunken error rate, sortable by either (JSON or CSV)
     * @description One prior over all moderators in scope (in `queue`, or all queues). At most 100,000 moderator-queue pairs (422 too_many_moderators). The period is `from`..`to` (dates in `tz`), by default the 90 days up to today, at most 366 days (400 period_too_long).
     *
     *     Role: lead or above.
     */
    get: operations["listScorecards"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/targets": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Error-rate targets: the default and each queue's own
     * @description Any key may read the targets (moderator keys see them on their scorecards).
     *
     *     Role: moderator or above.
     */
    get: operations["listTargets"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/targets/{queue}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /**
     * Set a queue's error-rate target
     * @description Role: lead or above.
     */
    put: operations["setTarget"];
    post?: never;
    /**
     * Remove a queue's own target (the default applies again)
     * @description Role: lead or above.
     */
    delete: operations["deleteTarget"];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/gold": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Gold items, newest first (lead and admin keys only: auditors never see them)
     * @description Role: lead or above.
     */
    get: operations["listGold"];
    put?: never;
    /**
     * Register gold items: decisions with their known-correct verdict
     * @description Either `items` (by hand) or `calibration` (a CLOSED session's gold labels, each mapped by `answers` to a verdict; a calibration item's id is the decision id, its values from `decisions` or the drawn item of `sampleId`). All or nothing: 400 validation_failed names every bad field (`items.3.errorType`, `calibration.answers.hate`, `calibration.decisions.p2`); 409 gold_exists when a decision already has an active gold item; 409 calibration_open for an open session. Gold items are mixed blind into work queues by POST /v1/samples/{id}/assign with `gold`.
     *
     *     Role: lead or above.
     */
    post: operations["registerGold"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/gold/{id}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /**
     * Retire a gold item: never placed again; its placements and verdicts stay (nothing is deleted)
     * @description Role: lead or above.
     */
    delete: operations["retireGold"];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/samples/{id}/gold": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Which items of a sample are gold, whose they are and their verdicts (lead and admin keys only)
     * @description Role: lead or above.
     */
    get: operations["listSampleGold"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/auditors": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Each auditor's accuracy on the gold items mixed into their queues, with Wilson intervals (JSON or CSV)
     * @description A verdict on a gold slot is correct when its outcome equals the known one and, when the known outcome is incorrect, its error type too (severity and policy are not scored); only the latest revision of each slot counts, dated by when it was recorded. By the gold's known error type ("none": the decision was right) and by queue. The period is `from`..`to` (dates in `tz`), by default the 90 days up to today, at most 366 days (400 period_too_long). Leads and admins only: an auditor watching its own gold count would learn which item was gold.
     *
     *     Role: lead or above.
     */
    get: operations["listAuditorAccuracy"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/quality": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Error rates with confidence intervals, overall and per group
     * @description Role: viewer or above.
     */
    get: operations["getQuality"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/charts": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * A control chart over stored audits, one point per period (day, week or month in tz) or, for bernoulli-cusum, per audit
     * @description Same result as POST /v1/chart. Each point counts the audits of one period (label = the period's first day in tz); periods with no audits are omitted, not zero. Errors are outcome = incorrect, or only errors of `errorType` when given.
     *
     *     Role: viewer or above.
     */
    get: operations["getStoredChart"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/funnel": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Funnel plot of moderators, auditors, queues, policies or markets over stored audits
     * @description Role: viewer or above.
     */
    get: operations["getStoredFunnel"];
    put?: never;
    /**
     * Funnel plot (Spiegelhalter 2005): compare units of different volumes against a target
     * @description No key needed unless MODQC_OPEN_CALCULATORS=false.
     */
    post: operations["computeFunnel"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/policy-confusion": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Which policies are confused with which: wrong-policy errors by applied × correct policy
     * @description Over the audits in the filter: the matrix of wrong-policy errors that name a correctPolicy (counts, and row shares = the share of the applied policy's wrong-policy errors that should have been each correct policy), the count without a correctPolicy (not in the matrix), and per applied policy the audited decisions, errors, error rate with a Wilson interval and errors by type. At most 500 applied policies, 500 correct policies and 10000 non-empty cells, else 422 too_expensive (narrow the filters). CSV: the matrix in long form (applied, correct, count, rowShare).
     *
     *     Role: viewer or above.
     */
    get: operations["getPolicyConfusion"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/policy-impact": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Error rates of one policy's audits before and after a date (a policy update), compared
     * @description The audits whose applied policy is `policy`, in the `days` calendar days (in tz) before `at` and the `days` days from `at`: audited, errors and rate with a Wilson interval per side, compared as in POST /v1/compare (a = before, b = after: difference, Newcombe interval, z test, Fisher's exact p; null with a reason when a side has no audits), and each side's confusion matrix of the wrong-policy errors whose applied or correct policy is `policy` (other filters apply). At most 500 applied policies, 500 correct policies and 10000 non-empty cells, else 422 too_expensive (narrow the filters).
     *
     *     Role: viewer or above.
     */
    get: operations["getPolicyImpact"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/chart": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Control chart (p, np, c, u, Laney p′/u′, EWMA, CUSUM, Bernoulli CUSUM) with Western Electric or Nelson run rules
     * @description No key needed unless MODQC_OPEN_CALCULATORS=false.
     */
    post: operations["computeChart"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/compare": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Before/after: difference of two proportions (Newcombe interval, pooled z test, Fisher's exact p)
     * @description No key needed unless MODQC_OPEN_CALCULATORS=false.
     */
    post: operations["compareRates"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/chart-design": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * EWMA or CUSUM design by average run length (Markov chain, Brook & Evans 1972; Lucas & Saccucci 1990): ARL₀ and ARL₁, or L or h for a target ARL₀
     * @description No key needed unless MODQC_OPEN_CALCULATORS=false.
     */
    post: operations["designChart"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/agreement": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Inter-rater agreement: percent agreement, Cohen's and Fleiss' kappa, Krippendorff's alpha, Gwet's AC1
     * @description Kappa and AC1 are both given on purpose: on lopsided moderation data (most items fine) kappa can be low while raters agree on nearly every item (the kappa paradox); AC1 is stable there. A label outside `categories`, a ragged row or fewer than two raters answer 400 naming `ratings.<row>.<column>`.
     *
     *     No key needed unless MODQC_OPEN_CALCULATORS=false.
     */
    post: operations["computeAgreement"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/calibrations": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List calibration sessions with their status and progress, newest first
     * @description Role: viewer or above.
     */
    get: operations["listCalibrations"];
    put?: never;
    /**
     * Open a blind calibration session: items (with optional gold labels), raters and categories
     * @description Role: lead or above.
     */
    post: operations["createCalibration"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/calibrations/{id}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * A session's metadata, item ids and each rater's progress (never labels while open)
     * @description Role: viewer or above.
     */
    get: operations["getCalibration"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/calibrations/{id}/ratings/{rater}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * One rater's labels: only that rater's own auditor key while open; anyone (viewer+) after close
     * @description Role: viewer or above.
     */
    get: operations["getCalibrationRatings"];
    /**
     * Set or clear one rater's labels (merged with what is stored)
     * @description An auditor key may write only its own rater. Every item id and label is checked first; one bad entry writes nothing.
     *
     *     Role: auditor or above.
     */
    put: operations["putCalibrationRatings"];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/calibrations/{id}/ratings": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Import labels from CSV (item,rater,label)
     * @description Body: text/csv, a header row naming the columns item, rater and label (any order; other columns are ignored), fields quoted as RFC 4180. An empty label clears. Errors name `rows.N` with N the row number as a spreadsheet shows it (the header is row 1). Everything is checked first; one bad row writes nothing. An auditor key may import only its own rater's rows.
     *
     *     Encoding: UTF-8 with or without a BOM by default; UTF-16 LE/BE when the body starts with its BOM (Excel's "Unicode text", which is tab-separated: a CSV whose header line has tabs and no comma is read as tab-separated); CP949/EUC-KR with `?charset=cp949` (or `euc-kr`, or Content-Type's `charset=` parameter). A body that is not in its encoding → 400 `invalid_encoding` naming the line and byte (a body read as UTF-8 that is valid CP949 is said to be, with how to fix it); nothing is stored, and no replacement character is ever stored.
     *
     *     Spreadsheet formula guard: the CSV exports prefix `'` to text starting with `=`, `+`, `-`, `@`, tab or CR (so a spreadsheet shows it as text); a CSV upload reads a cell that is `'` followed by one of those characters without the apostrophe, so an exported id like `-17` or `=x` comes back exactly.
     *
     *     Role: auditor or above.
     */
    post: operations["addCalibrationRatings"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/calibrations/{id}/close": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Close a session: ratings freeze and the report becomes available
     * @description Role: lead or above.
     */
    post: operations["closeCalibration"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/calibrations/{id}/report": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Agreement report of a closed session: coefficients, each rater vs gold and consensus, items to discuss
     * @description 409 while the session is open: the session is blind and nobody, not even a lead, sees others' labels before it closes. `format=csv` gives the item table as CSV (UTF-8 with a BOM so Excel shows Korean text).
     *
     *     Role: viewer or above.
     */
    get: operations["getCalibrationReport"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/latent-class": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Rater quality without gold: Dawid–Skene confusion matrices, class priors and item posteriors
     * @description Dawid & Skene (1979) EM: started from each item's vote shares (majority vote, ties split evenly), a pseudo-count of 0.01 on every confusion cell, E-step in log space, stopped when the log-likelihood changes by less than 1e-10 or after 1,000 iterations (`converged` says which). Ratings as in POST /v1/agreement (missing allowed); `gold` fixes known classes. A bad cell answers 400 naming `ratings.<row>.<column>` or `gold.<row>`.
     *
     *     No key needed unless MODQC_OPEN_CALCULATORS=false.
     */
    post: operations["computeLatentClass"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/calibrations/{id}/latent-class": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Dawid–Skene over a closed calibration session: each rater's estimated accuracy and confusion matrix
     * @description Dawid & Skene (1979) EM: started from each item's vote shares (majority vote, ties split evenly), a pseudo-count of 0.01 on every confusion cell, E-step in log space, stopped when the log-likelihood changes by less than 1e-10 or after 1,000 iterations (`converged` says which). The session's categories are the classes; its gold labels are fixed as known classes (`gold=fixed`, the default) or left out (`gold=ignored`, to compare with the gold-based report). 409 while the session is open: it is blind, as for the report.
     *
     *     Role: viewer or above.
     */
    get: operations["getCalibrationLatentClass"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/populations": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List populations
     * @description Role: viewer or above.
     */
    get: operations["listPopulations"];
    put?: never;
    /**
     * Upload a population of decisions to sample from (streamed, all or nothing)
     * @description Body: `text/csv` (header row, RFC 4180 quoting) or `application/x-ndjson` (one JSON object per line); `application/json` (one object or an array) is accepted too.
     *
     *     Encoding: UTF-8 with or without a BOM by default; UTF-16 LE/BE when the body starts with its BOM (Excel's "Unicode text", which is tab-separated: a CSV whose header line has tabs and no comma is read as tab-separated); CP949/EUC-KR with `?charset=cp949` (or `euc-kr`, or Content-Type's `charset=` parameter). A body that is not in its encoding → 400 `invalid_encoding` naming the line and byte (a body read as UTF-8 that is valid CP949 is said to be, with how to fix it); nothing is stored, and no replacement character is ever stored.
     *
     *     `application/vnd.openxmlformats-officedocument.spreadsheetml.sheet` (an .xlsx workbook): its first sheet is read as CSV (row 1 the header; sheet row N = CSV line N in errors; the same validation, all or nothing). Text cells as they are, numbers as their shortest decimal (never E-notation), date cells as ISO 8601 in `tz` (default MODQC_TZ), formulas as their saved result (none → 400 `xlsx_cell_without_value` naming the cell). The body limit is the CSV one; the workbook may unpack to at most 512 MiB (→ 413 `xlsx_too_large`); a file that is not a readable workbook → 400 `invalid_xlsx`.
     *
     *     Spreadsheet formula guard: the CSV exports prefix `'` to text starting with `=`, `+`, `-`, `@`, tab or CR (so a spreadsheet shows it as text); a CSV upload reads a cell that is `'` followed by one of those characters without the apostrophe, so an exported id like `-17` or `=x` comes back exactly.
     *
     *     Each row is one decision: `id` (unique within the population), `queue`, `moderator`, optional `label`, `policy`, `market`, `decidedAt` (ISO 8601 with offset), and any other string columns, kept as attributes usable for strata. Empty or null = absent. At most 500 characters per value.
     *
     *     Context columns, shown to auditors with the sample items and never attributes (no strata, not counted in `attributes`, no distinct-value limit): `url` (the decision's page in the moderation tool: an absolute http or https URL, at most 2,048 characters), `content` (a short excerpt or caption, at most 2,000 characters) and `context.<name>` columns (a labelled field; name 1 to 64 characters, value at most 2,000 characters, at most 20 such columns). A bad value → `invalid_rows` naming the line and the column.
     *
     *     Up to 10,000,000 rows, 50 extra columns and 100,000 distinct values per attribute; the body is spooled, so memory stays bounded.
     *
     *     A duplicate id (→ `duplicate_ids`, naming every line of each duplicated id) or a bad row (→ `invalid_rows`, with line numbers; the header is line 1) → 400 and nothing is stored.
     *
     *     Role: lead or above.
     */
    post: operations["uploadPopulation"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/populations/{id}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * A population: decisions per value of each attribute
     * @description Role: viewer or above.
     */
    get: operations["getPopulation"];
    put?: never;
    post?: never;
    /**
     * Delete a population that no sample uses
     * @description Role: lead or above.
     */
    delete: operations["deletePopulation"];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/samples": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List samples with their population and progress
     * @description Role: viewer or above.
     */
    get: operations["listSamples"];
    put?: never;
    /**
     * Draw a reproducible stratified sample from a population
     * @description Sizes each stratum (total, margin, or perStratum; allocation proportional, neyman or equal), then draws, in each stratum, the n_h decisions with the smallest priority: the first 8 bytes of SHA-256 over the UTF-8 text `seed:id`, as an unsigned big-endian 64-bit integer (ties by id).
     *
     *     Uniform without replacement and identical for the same population, plan and seed whatever the upload's row order; see the README for the same draw in PostgreSQL or DuckDB.
     *
     *     Role: lead or above.
     */
    post: operations["drawSample"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/samples/{id}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * A sample: plan, seed, strata and audit progress
     * @description Role: viewer or above.
     */
    get: operations["getSample"];
    put?: never;
    post?: never;
    /**
     * Delete a sample and its items; 409 sample_has_audits while audits name it
     * @description Role: lead or above.
     */
    delete: operations["deleteSample"];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/samples/{id}/items": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * The drawn decisions with stratum, priority, auditor and context (JSON, or CSV with BOM)
     * @description Each item: the decision (`id`, `queue`, `moderator`, `label` = the moderator's action, `policy`, `market`, `decidedAt`, the extra columns as `attributes`), its place in the draw (`stratum`, `rank`, `priority`), its `auditor`, and the decision's context from the population: `url`, `content` (null when absent) and `context` (name → value of the `context.<name>` columns; {} when none).
     *
     *     CSV: the same fields, then `sampleId`, `url`, `content` and one `context.<name>` column per context name of the population. Text that a spreadsheet would run as a formula (starting with =, +, -, @, tab or CR) gets a leading apostrophe.
     *
     *     `template=audit` (format=csv or xlsx): the audit template for a round trip through a spreadsheet. Only the columns POST /v1/audits takes, in this order: `id`, `decisionId`, `queue`, `moderator`, `auditor`, `policy`, `market`, `decidedAt`, `sampleId`, `outcome`, `errorType`, `severity`, `correctPolicy`, `notes`, `auditedAt`. `id` is the verdict's deterministic audit id (derived from the sample and decision ids, so an item uploaded twice is one audit), the decision's fields, `auditor` (the assigned auditor) and `sampleId` are filled in, the verdict columns `outcome`, `errorType`, `severity`, `correctPolicy`, `notes`, `auditedAt` are empty. No context columns (the upload refuses unknown columns). An auditor key gets only its own assigned items (another `auditor=` → 403); viewer, lead and admin keys get every item, or one auditor's with `auditor=`. `template` with format=json → 400. `format=xlsx`: the same columns as one sheet, ids and other texts as text cells, numbers as numbers, `decidedAt` as date cells in `tz`.
     *
     *     Role: viewer or above.
     */
    get: operations["listSampleItems"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/samples/{id}/assign": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Assign every drawn item an auditor: balanced, never the decision's own moderator
     * @description Loads differ by at most one whenever that is possible without self-review (an auditor never gets a decision whose moderator has the same name); otherwise the most even assignment possible, with `balanced: false` and a note. A sample already assigned answers 409 already_assigned (details: each current auditor's done, skipped and todo items) unless the body says `replace: true`. 422 when no valid assignment exists (a single auditor who moderated some of the decisions).
     *
     *     Role: lead or above.
     */
    post: operations["assignSample"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/samples/{id}/estimate": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Population error rate from the audited items (stratified estimator), overall and by error type
     * @description p̂ = Σ W_h p̂_h, W_h = N_h/N; variance Σ W_h²(1 − n_h/N_h)p̂_h(1 − p̂_h)/(n_h − 1) with n_h the audited items; normal interval clipped to [0, 1]. Each stratum's rate has a Wilson interval. Strata with fewer than 2 audited items are listed with included: false and a warning, and the weights are re-normalised over the others (coverage says which share of the population the estimate covers). Each item counts by the latest audit of its decision.
     *
     *     Role: viewer or above.
     */
    get: operations["getSampleEstimate"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/samples/{id}/explain": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * How a decision got into the sample (or why not): its hash, priority, stratum and the cut-off
     * @description Role: viewer or above.
     */
    get: operations["explainSample"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/work": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * The auditor's work queue: assigned items across samples, by sample then position
     * @description Each item with its decision's values and context, its place among the auditor's items of the sample, its status and current verdict. Keyset-paginated: pass `nextCursor` as `cursor`.
     *
     *     Role: auditor or above.
     */
    get: operations["listWork"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/work/summary": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Per sample, the auditor's items: assigned, done, skipped, todo
     * @description Role: auditor or above.
     */
    get: operations["getWorkSummary"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/samples/{id}/items/{itemId}/verdict": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /**
     * Record the verdict on a drawn item (idempotent: one audit per item, corrections are revisions)
     * @description Creates the audit with id `verdictAuditId(sample, decision)` (so a retried or concurrent PUT is the same audit), its queue, moderator, policy, market, decidedAt, decisionId and sampleId from the population, auditedAt now; validated as POST /v1/audits. The same verdict again → 200 `changed: false`; another verdict → 200, a new revision (with `reason`). Ends the item's skip.
     *
     *     An auditor key acts on the items assigned to its rater (another's → 403 not_assigned); lead and admin keys on any item. A lead or admin records for the assigned auditor (the audit's recordedBy names the caller); on an unassigned item they name the auditor. No one audits a decision they moderated (403 self_review).
     *
     *     Role: auditor or above.
     */
    put: operations["recordVerdict"];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/samples/{id}/items/{itemId}/skip": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Skip a drawn item with a reason (it counts as skipped and is left out of estimates)
     * @description An auditor key acts on the items assigned to its rater (another's → 403 not_assigned); lead and admin keys on any item. An item with a verdict cannot be skipped (409 already_audited). Skipping again replaces the reason and note.
     *
     *     Role: auditor or above.
     */
    post: operations["skipItem"];
    /**
     * Unskip a drawn item (todo again)
     * @description An auditor key acts on the items assigned to its rater (another's → 403 not_assigned); lead and admin keys on any item.
     *
     *     Role: auditor or above.
     */
    delete: operations["unskipItem"];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/samples/{id}/items/reassign": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Give unstarted or skipped items to another auditor
     * @description All or nothing: every item must be drawn in the sample (400 naming it), have no verdict (409 already_audited naming it) and not be decided by the auditor (400 self_review naming it). Skipped items become todo. The sample's assignment summary gets the new loads and a note; the sample must have been assigned (409 sample_not_assigned).
     *
     *     Role: lead or above.
     */
    post: operations["reassignItems"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/alert-rules": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List alert rules
     * @description Role: viewer or above.
     */
    get: operations["listAlertRules"];
    put?: never;
    /**
     * Create an alert rule (chart, threshold, agreement or audit condition)
     * @description Chart and threshold rules are evaluated after every ingest that touches their scope and on a timer; agreement rules when a calibration session closes; audit rules on every audit and correction, within about a second of its commit (one alert per matching audit, labelled with the audit id; audits stored before the rule never fire; no scope, groupBy or evaluation counters). See README: Alerts and webhooks.
     *
     *     Role: lead or above.
     */
    post: operations["createAlertRule"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/alert-rules/preview": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * How often a rule would have fired over the last days
     * @description Evaluates a stored rule (`ruleId`) or a new one (a NewAlertRule's fields) as it would have been evaluated at the end of each of the last `days` complete days (in the chart condition's zone, else MODQC_TZ), on the audits stored now that were audited before that instant (corrections included); agreement rules on the calibration sessions closed in those days; audit rules count the matching errors audited each day. `alertsWouldOpen` replays the pending and keep-firing counters on those evaluations, none open at the start. One evaluation per day is a simplification (see `note`). Stores nothing. 422 too_expensive when it does not finish within the compute time budget (fewer days, a narrower scope).
     *
     *     Role: lead or above.
     */
    post: operations["previewAlertRule"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/alert-rules/{id}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * One alert rule
     * @description Role: viewer or above.
     */
    get: operations["getAlertRule"];
    put?: never;
    post?: never;
    /**
     * Delete an alert rule
     * @description Its open alerts are resolved (firing ones notify alert.resolved, reason: rule deleted); its alert history stays.
     *
     *     Role: lead or above.
     */
    delete: operations["deleteAlertRule"];
    options?: never;
    head?: never;
    /**
     * Change an alert rule
     * @description Disabling a rule, or changing its scope, groupBy or condition, resolves its open alerts (firing ones notify alert.resolved with the reason); the next evaluation starts afresh.
     *
     *     Role: lead or above.
     */
    patch: operations["updateAlertRule"];
    trace?: never;
  };
  "/v1/alerts": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List alerts, newest first
     * @description `from`/`to` select alerts active at some time in [from, to): started before `to` and not resolved before `from`.
     *
     *     Role: viewer or above.
     */
    get: operations["listAlerts"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/alerts/{id}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * One alert
     * @description Role: viewer or above.
     */
    get: operations["getAlert"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/alerts/{id}/ack": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Acknowledge an alert (it still resolves, and notifies, on its own); a lead's note resolves an audit rule's alert
     * @description Idempotent: a second acknowledgement keeps the first time and author (a new note replaces the old one). A firing alert's first acknowledgement notifies alert.acknowledged. An audit rule's alert (about one audit, which no later evaluation clears) is resolved by an acknowledgement with a non-empty note from a lead or admin key: alert.resolved is notified instead, with the note in `resolution`; without a note, or from an auditor key, it is only acknowledged. 409 for a resolved alert.
     *
     *     Role: auditor or above.
     */
    post: operations["acknowledgeAlert"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/webhooks": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List webhooks (without secrets)
     * @description Role: admin or above.
     */
    get: operations["listWebhooks"];
    put?: never;
    /**
     * Register a webhook (the signing secret is shown once)
     * @description Only http and https; no credentials in the URL. The destination address is checked at send time: loopback, private and link-local addresses are refused unless listed in MODQC_WEBHOOK_ALLOW_HOSTS. Redirects are not followed.
     *
     *     Role: admin or above.
     */
    post: operations["createWebhook"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/webhooks/{id}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * One webhook (without its secret)
     * @description Role: admin or above.
     */
    get: operations["getWebhook"];
    put?: never;
    post?: never;
    /**
     * Delete a webhook with its deliveries
     * @description Role: admin or above.
     */
    delete: operations["deleteWebhook"];
    options?: never;
    head?: never;
    /**
     * Enable or disable a webhook, or change its events
     * @description A disabled webhook gets no new deliveries; its pending ones wait (and die at the maximum age) until it is enabled again.
     *
     *     Role: admin or above.
     */
    patch: operations["updateWebhook"];
    trace?: never;
  };
  "/v1/webhooks/{id}/disable": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Disable a webhook (same as PATCH {enabled: false})
     * @description Role: admin or above.
     */
    post: operations["disableWebhook"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/webhooks/{id}/enable": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Enable a webhook again (same as PATCH {enabled: true})
     * @description Role: admin or above.
     */
    post: operations["enableWebhook"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/webhooks/{id}/deliveries": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Deliveries of a webhook, newest first, with every attempt
     * @description Role: admin or above.
     */
    get: operations["listWebhookDeliveries"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/deliveries/{id}/redeliver": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Send a delivery again, as a new delivery with the same body
     * @description Queues a new delivery (new Modqc-Delivery id, `redeliveryOf` = this one) at the end of the webhook's queue. 409 while the original is still pending.
     *
     *     Role: admin or above.
     */
    post: operations["redeliverDelivery"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
export type webhooks = Record<string, never>;
export interface components {
  schemas: {
    VerdictRequest: {
      /** @enum {string} */
      outcome: "correct" | "incorrect";
      /**
       * @description Required when incorrect, absent when correct
       * @enum {string|null}
       */
      errorType?: "false-positive" | "false-negative" | "wrong-policy" | "other" | null;
      severity?: number | null;
      /** @description The policy the decision should have applied */
      correctPolicy?: string | null;
      notes?: string | null;
      /** @description Why a stored verdict is changed (its revision history) */
      reason?: string | null;
      /** @description Lead and admin keys, unassigned items only: whose verdict it is */
      auditor?: string;
    };
    Health: {
      /** @enum {string} */
      status: "ok";
      version: string;
      /**
       * @description The storage backend this instance uses
       * @enum {string}
       */
      database: "sqlite" | "postgres";
      /** @description Whether this instance runs alert evaluation and webhook delivery (always true on SQLite; on PostgreSQL one instance of those sharing the database) */
      leader: boolean;
    };
    CreatedApiKey: components["schemas"]["ApiKey"] & {
      /** @description The secret. Shown only in this response: store it now. */
      key: string;
    };
    ApiKey: {
      id: string;
      name: string;
      /** @enum {string} */
      role: "moderator" | "viewer" | "auditor" | "lead" | "admin";
      /** @description The rater name an auditor key is bound to */
      rater: string | null;
      /** @description The moderator name a moderator key is bound to */
      moderator: string | null;
      /** @description First characters of the secret, to tell keys apart */
      prefix: string;
      createdAt: string;
      revokedAt: string | null;
    };
    Error: {
      error: {
        /** @example validation_failed */
        code: string;
        message: string;
        /** @description Usually one entry per problem; a few errors give an object (e.g. the samples that refer to a population) */
        details?:
          | components["schemas"]["ErrorDetail"][]
          | {
              [key: string]: unknown;
            };
        requestId?: string;
      };
    };
    ErrorDetail: {
      /** @example decidedAt */
      path: string;
      /** @description The row of an upload (CSV: the header is row 1) */
      row?: number;
      /** @example decidedAt */
      field?: string;
      /**
       * @description What is wrong, stable: zod's issue codes for request validation (too_big, too_small, invalid_type, invalid_value, invalid_format, unrecognized_keys, custom…), and for rows of uploads required, blank, invalid_type, too_big, not_well_formed, nul_character, unknown_field, invalid_value, integer_between, required_when, absent_when, invalid_timestamp, not_object, unreadable_row, too_many_rows, missing_column, invalid_url, invalid_column_name, too_many_columns, sample_not_found, not_drawn, differs_from_drawn, duplicate_id, unknown_item, unknown_rater, unknown_label, repeated_rating
       * @example invalid_timestamp
       */
      code?: string;
      /**
       * @example {
       *       "example": "2026-11-24T09:30:00+09:00"
       *     }
       */
      params?: {
        [key: string]: string | number;
      };
      /** @example must be an ISO 8601 date-time with an offset */
      message: string;
    } & {
      [key: string]: unknown;
    };
    NewApiKey: {
      /** @enum {string} */
      role: "moderator" | "viewer" | "auditor" | "lead" | "admin";
      name: string;
      /** @description Required for (and only for) auditor keys: the rater name the key may write as */
      rater?: string;
      /** @description Required for (and only for) moderator keys: the moderator name (as in audits' `moderator`) whose findings the key reads */
      moderator?: string;
    };
    Me: {
      id: string;
      name: string;
      /** @enum {string} */
      role: "moderator" | "viewer" | "auditor" | "lead" | "admin";
      /** @description The rater name an auditor key is bound to */
      rater: string | null;
      /** @description The moderator name a moderator key is bound to */
      moderator: string | null;
    };
    SampleSizeResult: {
      n: number;
      /** @enum {string} */
      goal: "estimate" | "demonstrate";
      method: string;
      confidence: number;
      /**
       * @description The code of `note` (a caveat), for a client's own language
       * @enum {string}
       */
      noteCode?: "degenerate_rate";
      /** @description A caveat of an estimate, in English */
      note?: string;
      population: number | null;
      /** @description estimate: the size before the finite-population correction */
      n0?: number;
      margin?: number;
      expectedRate?: number;
      z?: number;
      maxRate?: number;
      allowedErrors?: number;
      /** @enum {string} */
      distribution?: "binomial" | "hypergeometric";
      achievedRisk?: number;
    };
    SampleSizeRequest: {
      /**
       * @description estimate: size a sample to measure an error rate within ±margin. demonstrate: size a sample that proves the rate is below maxRate if at most allowedErrors are found. Default: "estimate".
       * @enum {string}
       */
      goal?: "estimate" | "demonstrate";
      /** @description Confidence level, default 0.95 */
      confidence?: number;
      /** @description Half-width wanted (estimate) */
      margin?: number;
      /** @description Anticipated rate, default 0.5 (estimate) */
      expectedRate?: number;
      /**
       * @description wald: Cochran's formula (default). wilson / clopper-pearson: smallest n whose interval is narrow enough, found by a search whose predicted cost must fit a budget (else 422 too_expensive naming the smallest margin that fits)
       * @enum {string}
       */
      method?: "wald" | "wilson" | "clopper-pearson";
      /** @description Population size N, for the finite-population correction */
      population?: number;
      /** @description The limit to demonstrate (demonstrate) */
      maxRate?: number;
      /** @description Errors allowed in the sample, default 0 (demonstrate) */
      allowedErrors?: number;
    };
    IntervalResult: {
      estimate: number;
      lower: number;
      upper: number;
      method: string;
      confidence: number;
    };
    IntervalRequest: {
      /** @description Number of events (errors) */
      count: number;
      /** @description Number of trials (audited items) */
      n: number;
      /** @description Confidence level, default 0.95 */
      confidence?: number;
      /**
       * @description Default wilson
       * @enum {string}
       */
      method?: "wald" | "wilson" | "clopper-pearson" | "agresti-coull" | "jeffreys";
    };
    AllocationResult: {
      total: number;
      method: string;
      strata: {
        key: string;
        size: number;
        n: number;
      }[];
      notes: string[];
      /** @description The notes with a stable code and parameters (a client's own language), one for one */
      notices: {
        /** @example total_derived */
        code: string;
        params: {
          [key: string]: number | string;
        };
        message: string;
      }[];
    };
    AllocationRequest: {
      strata: {
        key: string;
        /** @description Stratum size N_h */
        size: number;
        expectedRate?: number;
      }[];
      /** @enum {string} */
      method: "proportional" | "neyman" | "equal";
      /** @description Sample size to split */
      total?: number;
      /** @description Confidence level, default 0.95 */
      confidence?: number;
      margin?: number;
      /** @description Anticipated rate for deriving the total from margin (default 0.5) */
      expectedRate?: number;
      minPerStratum?: number;
    };
    IngestResult: {
      inserted: number;
      duplicates: number;
    };
    AuditPage: {
      audits: (components["schemas"]["Audit"] & {
        /** @description The drawn decision's `url` when the audit names a sample whose item has one (JSON pages only), else null */
        decisionUrl: string | null;
      })[];
      nextCursor: string | null;
    };
    Audit: {
      /** @description Client-chosen unique id: the idempotency key */
      id: string;
      decisionId: string;
      queue: string;
      moderator: string;
      auditor: string;
      /** @enum {string} */
      outcome: "correct" | "incorrect";
      /**
       * @description Required when incorrect, absent when correct. false-positive = over-enforcement, false-negative = under-enforcement
       * @enum {string|null}
       */
      errorType?: "false-positive" | "false-negative" | "wrong-policy" | "other" | null;
      severity?: number | null;
      policy?: string | null;
      market?: string | null;
      /**
       * @description ISO 8601 date-time with offset
       * @example 2026-11-24T09:30:00+09:00
       */
      decidedAt?: string | null;
      /**
       * @description ISO 8601 date-time with offset
       * @example 2026-11-24T09:30:00+09:00
       */
      auditedAt: string;
      sampleId?: string | null;
      /** @description Free text; any well-formed Unicode, kept exactly */
      notes?: string | null;
      /** @description The policy the decision should have applied (for wrong-policy errors) */
      correctPolicy?: string | null;
      /** @description Set by the server (who sent the audit: the rater, or the key's name); ignored on upload */
      recordedBy?: string | null;
      /** @description Set by the server (1 until the audit is corrected); ignored on upload */
      revision?: number | null;
    };
    AuditRevisionResult: {
      auditId: string;
      /** @description false when the verdict already was this: nothing was written */
      changed: boolean;
      /** @description The audit's revision now (1 = never corrected) */
      revision: number;
    };
    AuditRevisionRequest: {
      /** @enum {string} */
      outcome?: "correct" | "incorrect";
      /** @enum {string|null} */
      errorType?: "false-positive" | "false-negative" | "wrong-policy" | "other" | null;
      severity?: number | null;
      correctPolicy?: string | null;
      notes?: string | null;
      reason?: string | null;
    };
    AuditHistory: {
      auditId: string;
      revisions: components["schemas"]["AuditRevision"][];
    };
    AuditRevision: {
      revision: number;
      /** @enum {string} */
      outcome: "correct" | "incorrect";
      /** @enum {string|null} */
      errorType: "false-positive" | "false-negative" | "wrong-policy" | "other" | null;
      severity: number | null;
      correctPolicy: string | null;
      notes: string | null;
      changedBy: string | null;
      changedAt: string;
      reason: string | null;
    };
    Dispute: {
      id: string;
      /**
       * @description open (waiting for the second review) → upheld | escalated; escalated → upheld | overturned
       * @enum {string}
       */
      state: "open" | "escalated" | "upheld" | "overturned";
      /** @description true for the second reviewer before its review: auditId, auditRevision, auditor, reason, openedBy and verdict are null */
      blind: boolean;
      auditId: string | null;
      /** @description The audit's revision under dispute */
      auditRevision: number | null;
      moderator: string;
      queue: string;
      /** @description The audit's auditor; null to moderator keys unless MODQC_SHOW_AUDITOR_TO_MODERATOR=true */
      auditor: string | null;
      /** @description The blind second reviewer; null to moderator keys unless MODQC_SHOW_AUDITOR_TO_MODERATOR=true */
      reviewer: string | null;
      reason: string | null;
      openedBy: string | null;
      openedAt: string;
      /** @description From opening to resolution, or to now while unresolved */
      ageMs: number;
      resolvedAt: string | null;
      /** @description The moderation decision under dispute, with its context when its sample has it */
      decision: {
        decisionId: string;
        queue: string;
        moderator: string;
        market: string | null;
        /** @description The policy the moderator applied */
        policy: string | null;
        decidedAt: string | null;
        /** @description The moderator's action (from the audit's sample) */
        label: string | null;
        url: string | null;
        content: string | null;
        context: {
          [key: string]: string;
        };
      };
      /** @description The verdict under dispute */
      verdict: {
        /** @enum {string} */
        outcome: "correct" | "incorrect";
        /** @enum {string|null} */
        errorType: "false-positive" | "false-negative" | "wrong-policy" | "other" | null;
        severity: number | null;
        correctPolicy: string | null;
        notes: string | null;
      } | null;
      /** @description The second reviewer's verdict */
      review: {
        /** @enum {string} */
        outcome: "correct" | "incorrect";
        /** @enum {string|null} */
        errorType: "false-positive" | "false-negative" | "wrong-policy" | "other" | null;
        severity: number | null;
        correctPolicy: string | null;
        notes: string | null;
        reviewedAt: string;
        agreed: boolean;
      } | null;
      leadDecision: {
        /** @enum {string} */
        final: "upheld" | "overturned";
        by: string;
        note: string;
        decidedAt: string;
      } | null;
    };
    NewDispute: {
      reason: string;
    };
    DisputeStats: {
      confidence: number;
      /** @enum {string} */
      method: "wilson";
      states: {
        open: number;
        escalated: number;
        upheld: number;
        overturned: number;
      };
      auditors: {
        auditor: string;
        resolved: number;
        overturned: number;
        rate: number | null;
        lower: number | null;
        upper: number | null;
      }[];
      queues: {
        queue: string;
        audits: number;
        disputed: number;
        rate: number | null;
        lower: number | null;
        upper: number | null;
      }[];
      resolution: {
        count: number;
        medianMs: number | null;
        p90Ms: number | null;
        /** @enum {string} */
        quantile: "hyndman-fan-7";
      };
    };
    DisputePage: {
      disputes: components["schemas"]["Dispute"][];
      nextCursor: string | null;
      /** @description Leads and admins: the statistics of GET /v1/disputes/stats for the same from, to and queue (overturn rate per auditor, dispute rate per queue, time to resolution); null to other keys */
      stats: components["schemas"]["DisputeStats"] | null;
    };
    DisputeReview: {
      /** @enum {string} */
      outcome: "correct" | "incorrect";
      /**
       * @description Required when incorrect, absent when correct
       * @enum {string|null}
       */
      errorType?: "false-positive" | "false-negative" | "wrong-policy" | "other" | null;
      severity?: number | null;
      correctPolicy?: string | null;
      notes?: string | null;
    };
    DisputeDecision: {
      /** @enum {string} */
      final: "upheld" | "overturned";
      note: string;
    };
    ReviewQueue: {
      auditor: string;
      reviews: components["schemas"]["Dispute"][];
    };
    FindingsPage: {
      moderator: string;
      findings: components["schemas"]["Finding"][];
      nextCursor: string | null;
    };
    Finding: {
      auditId: string;
      decisionId: string;
      queue: string;
      market: string | null;
      policy: string | null;
      correctPolicy: string | null;
      /** @enum {string} */
      outcome: "correct" | "incorrect";
      /** @enum {string|null} */
      errorType: "false-positive" | "false-negative" | "wrong-policy" | "other" | null;
      severity: number | null;
      notes: string | null;
      decidedAt: string | null;
      auditedAt: string;
      sampleId: string | null;
      revision: number;
      /** @description Null to moderator keys unless MODQC_SHOW_AUDITOR_TO_MODERATOR=true */
      auditor: string | null;
      read: {
        at: string;
        by: string;
      } | null;
      /** @description The latest dispute of this verdict, if any */
      dispute: {
        id: string;
        state: string;
      } | null;
      disputableUntil: string;
      /** @description An incorrect verdict inside MODQC_DISPUTE_WINDOW that is not under dispute and was not disputed at its current revision */
      disputable: boolean;
    };
    UnreadFindings: {
      /** @description Incorrect audits inside the filter no moderator has read */
      unread: number;
      moderatorsWithUnread: number;
      moderators: {
        moderator: string;
        unread: number;
        /** @description auditedAt of the oldest unread error */
        oldestUnreadAt: string;
        /** @description Whole hours since then */
        oldestUnreadHours: number;
      }[];
    };
    FindingRead: {
      auditId: string;
      readAt: string;
      readBy: string;
      /** @description true when it was marked read before: the first time stays */
      alreadyRead: boolean;
    };
    Scorecard: {
      moderator: string;
      queue: string | null;
      period: {
        from: string;
        to: string;
        timeZone: string;
      };
      audited: number;
      errors: number;
      rate: number | null;
      lower: number | null;
      upper: number | null;
      /** @description The queue's target (its own or MODQC_TARGET_ERROR_RATE); over several queues the audit-weighted mean of their targets */
      target: number;
      /**
       * @description The 95 % Wilson interval wholly above the target, wholly below it, or across it (null: no audits)
       * @enum {string|null}
       */
      evidence: "above" | "below" | "across" | null;
      shrunken: components["schemas"]["ShrunkenRate"];
      /** @description The prior of the shrunken rate: with `queue` or a single queue, that queue's (over all its moderators); over several queues, one prior over all moderators of those queues, each moderator's audits in them taken together */
      prior:
        | (components["schemas"]["BetaBinomialPrior"] & {
            queues: string[];
          })
        | null;
      byType: {
        /** @enum {string} */
        errorType: "false-positive" | "false-negative" | "wrong-policy" | "other";
        errors: number;
        share: number | null;
      }[];
      byPolicy: {
        policy: string | null;
        audited: number;
        errors: number;
        rate: number | null;
        lower: number | null;
        upper: number | null;
      }[];
      byQueue: {
        queue: string;
        audited: number;
        errors: number;
        rate: number | null;
        lower: number | null;
        upper: number | null;
        target: number;
        /**
         * @description The 95 % Wilson interval wholly above the target, wholly below it, or across it (null: no audits)
         * @enum {string|null}
         */
        evidence: "above" | "below" | "across" | null;
        shrunken: components["schemas"]["ShrunkenRate"];
        prior: components["schemas"]["BetaBinomialPrior"];
      }[];
      trend: {
        /** @description The ISO week's Monday in tz (YYYY-MM-DD) */
        week: string;
        audited: number;
        errors: number;
        rate: number | null;
        lower: number | null;
        upper: number | null;
      }[];
      latestFindings: {
        auditId: string;
        decisionId: string;
        queue: string;
        policy: string | null;
        correctPolicy: string | null;
        /** @enum {string|null} */
        errorType: "false-positive" | "false-negative" | "wrong-policy" | "other" | null;
        severity: number | null;
        notes: string | null;
        auditedAt: string;
        revision: number;
        /** @description Null to moderator keys unless MODQC_SHOW_AUDITOR_TO_MODERATOR=true */
        auditor: string | null;
      }[];
    };
    /** @description Empirical-Bayes posterior mean of the error rate and its 95 % equal-tailed credible interval, Beta(α + errors, β + audited − errors) */
    ShrunkenRate: {
      rate: number;
      lower: number;
      upper: number;
    } | null;
    BetaBinomialPrior: {
      alpha: number;
      beta: number;
      mean: number;
      /**
       * @description maximum-likelihood: beta-binomial marginal likelihood over the moderators (Griffiths 1973); jeffreys: Beta(½, ½) when fewer than two moderators have audits, or there are no errors, or nothing but errors
       * @enum {string}
       */
      method: "maximum-likelihood" | "jeffreys";
      /**
       * @description Whether α + β stopped at its bound: at most the audits fitted (no overdispersion), at least 0.001
       * @enum {string}
       */
      bound: "none" | "no-overdispersion" | "extreme-overdispersion";
      /** @description Moderators the prior was fitted over */
      groups: number;
      audits: number;
    };
    ScorecardList: {
      queue: string | null;
      period: {
        from: string;
        to: string;
        timeZone: string;
      };
      /** @enum {string} */
      sort: "shrunken" | "raw";
      /** @enum {string} */
      order: "asc" | "desc";
      prior: components["schemas"]["BetaBinomialPrior"] | null;
      moderators: {
        moderator: string;
        audited: number;
        errors: number;
        rate: number | null;
        lower: number | null;
        upper: number | null;
        target: number;
        /**
         * @description The 95 % Wilson interval wholly above the target, wholly below it, or across it (null: no audits)
         * @enum {string|null}
         */
        evidence: "above" | "below" | "across" | null;
        shrunken: components["schemas"]["ShrunkenRate"];
      }[];
    };
    QueueTargets: {
      /** @description MODQC_TARGET_ERROR_RATE: the target of every other queue */
      defaultTarget: number;
      targets: components["schemas"]["QueueTarget"][];
    };
    QueueTarget: {
      queue: string;
      target: number;
      setBy: string | null;
      setAt: string;
    };
    QueueTargetCleared: {
      queue: string;
      /** @description The target that applies now: the default */
      target: number;
      removed: components["schemas"]["QueueTarget"];
    };
    GoldRegistered: {
      items: components["schemas"]["GoldItem"][];
    };
    GoldItem: {
      id: string;
      decisionId: string;
      queue: string;
      moderator: string;
      label: string | null;
      policy: string | null;
      market: string | null;
      decidedAt: string | null;
      url: string | null;
      content: string | null;
      context: {
        [key: string]: string;
      };
      answer: {
        /** @enum {string} */
        outcome: "correct" | "incorrect";
        /** @enum {string|null} */
        errorType: "false-positive" | "false-negative" | "wrong-policy" | "other" | null;
        severity: number | null;
        correctPolicy: string | null;
      };
      /** @enum {string} */
      source: "manual" | "calibration";
      calibrationId: string | null;
      calibrationItem: string | null;
      notes: string | null;
      createdBy: string | null;
      createdAt: string;
      retiredAt: string | null;
      retiredBy: string | null;
      /** @description Samples it was placed in */
      slots: number;
      /** @description Verdicts recorded on it (latest revisions) */
      verdicts: number;
      /** @description Of those, scored correct */
      correct: number;
    };
    GoldRequest: {
      /** @description Gold items by hand: the decision's values as the work queue shows them, and the answer */
      items?: components["schemas"]["GoldManualItem"][];
      calibration?: {
        /** @description A CLOSED calibration session */
        id: string;
        /** @description Each gold label (as text) → the verdict it means */
        answers: {
          [key: string]: {
            /**
             * @description The known-correct outcome
             * @enum {string}
             */
            outcome: "correct" | "incorrect";
            /**
             * @description Required when incorrect
             * @enum {string|null}
             */
            errorType?: "false-positive" | "false-negative" | "wrong-policy" | "other" | null;
            /** @description Reported, not scored */
            severity?: number | null;
            /** @description Reported, not scored */
            correctPolicy?: string | null;
          };
        };
        /** @description Item id (= decision id) → the decision's values */
        decisions?: {
          [key: string]: {
            queue: string;
            /** @description Never placed in this moderator's own queue as an auditor */
            moderator: string;
            /** @description The moderator's action */
            label?: string | null;
            policy?: string | null;
            market?: string | null;
            /** @description ISO 8601 with an offset; the queue shows a time within the sample's when this one is not */
            decidedAt?: string | null;
            /** @description Absolute http(s) URL */
            url?: string | null;
            content?: string | null;
            /** @description Labelled fields as in populations' context.<name> columns (≤ 20) */
            context?: {
              [key: string]: string;
            };
          };
        };
        /** @description Items not in decisions take their values from this sample's drawn item of that id */
        sampleId?: string;
        notes?: string | null;
      };
    };
    GoldManualItem: {
      decisionId: string;
      queue: string;
      /** @description Never placed in this moderator's own queue as an auditor */
      moderator: string;
      /** @description The moderator's action */
      label?: string | null;
      policy?: string | null;
      market?: string | null;
      /** @description ISO 8601 with an offset; the queue shows a time within the sample's when this one is not */
      decidedAt?: string | null;
      /** @description Absolute http(s) URL */
      url?: string | null;
      content?: string | null;
      /** @description Labelled fields as in populations' context.<name> columns (≤ 20) */
      context?: {
        [key: string]: string;
      };
      /**
       * @description The known-correct outcome
       * @enum {string}
       */
      outcome: "correct" | "incorrect";
      /**
       * @description Required when incorrect
       * @enum {string|null}
       */
      errorType?: "false-positive" | "false-negative" | "wrong-policy" | "other" | null;
      /** @description Reported, not scored */
      severity?: number | null;
      /** @description Reported, not scored */
      correctPolicy?: string | null;
      notes?: string | null;
    };
    GoldPage: {
      items: components["schemas"]["GoldItem"][];
      nextCursor: string | null;
    };
    SampleGold: {
      sample: string;
      slots: components["schemas"]["GoldSlot"][];
    };
    GoldSlot: {
      goldId: string;
      decisionId: string;
      /** @description 1-based place in the sample's order */
      position: number;
      stratum: string;
      /** @description Whose queue it is in now */
      auditor: string | null;
      placedFor: string;
      /** @description The decision time the queue shows */
      decidedAt: string | null;
      placedAt: string;
      expected: {
        /** @enum {string} */
        outcome: "correct" | "incorrect";
        /** @enum {string|null} */
        errorType: "false-positive" | "false-negative" | "wrong-policy" | "other" | null;
      };
      verdict: {
        /** @enum {string} */
        outcome: "correct" | "incorrect";
        /** @enum {string|null} */
        errorType: "false-positive" | "false-negative" | "wrong-policy" | "other" | null;
        revision: number;
        correct: boolean;
      } | null;
    };
    AuditorAccuracyReport: {
      period: {
        from: string;
        to: string;
        timeZone: string;
      };
      confidence: number;
      /** @enum {string} */
      method: "wilson";
      auditors: {
        auditor: string;
        /** @description Gold items judged (the latest verdict of each) */
        gold: number;
        /** @description Of them, matching the known answer */
        correct: number;
        /** @description correct / gold */
        accuracy: number;
        /** @description Two-sided Wilson score interval, lower end */
        lower: number;
        /** @description Two-sided Wilson score interval, upper end */
        upper: number;
        byErrorType: {
          /** @description The gold's known error type, or "none" for a decision that was right */
          errorType: string;
          /** @description Gold items judged (the latest verdict of each) */
          gold: number;
          /** @description Of them, matching the known answer */
          correct: number;
          /** @description correct / gold */
          accuracy: number;
          /** @description Two-sided Wilson score interval, lower end */
          lower: number;
          /** @description Two-sided Wilson score interval, upper end */
          upper: number;
        }[];
        byQueue: {
          queue: string | null;
          /** @description Gold items judged (the latest verdict of each) */
          gold: number;
          /** @description Of them, matching the known answer */
          correct: number;
          /** @description correct / gold */
          accuracy: number;
          /** @description Two-sided Wilson score interval, lower end */
          lower: number;
          /** @description Two-sided Wilson score interval, upper end */
          upper: number;
        }[];
      }[];
    };
    QualityReport: {
      groups: {
        audited: number;
        errors: number;
        rate: number | null;
        lower: number | null;
        upper: number | null;
        /** @description Severity-weighted error index (only with `weights`); null when nothing was audited */
        weighted?: {
          index: number;
          standardError: number | null;
          lower: number | null;
          upper: number | null;
        } | null;
        /** @description Only with `limit`: P(X ≥ errors | audited, limit) */
        p?: number;
        /** @description Only with `limit`: p adjusted across the groups */
        q?: number;
        /** @description Only with `limit`: q ≤ fdr */
        flagged?: boolean;
        key: {
          [key: string]: string | null;
        };
      }[];
      overall: {
        audited: number;
        errors: number;
        rate: number | null;
        lower: number | null;
        upper: number | null;
        /** @description Severity-weighted error index (only with `weights`); null when nothing was audited */
        weighted?: {
          index: number;
          standardError: number | null;
          lower: number | null;
          upper: number | null;
        } | null;
        /** @description Only with `limit`: P(X ≥ errors | audited, limit) */
        p?: number;
        /** @description Only with `limit`: p adjusted across the groups */
        q?: number;
        /** @description Only with `limit`: q ≤ fdr */
        flagged?: boolean;
      };
      confidence: number;
      method: string;
      weights?: number[];
      limit?: number;
      fdr?: number;
      /** @enum {string} */
      multiplicity?: "bh" | "by";
      /** @description Only with `limit`: groups flagged */
      flagged?: number;
      timeZone: string;
    };
    StoredChartResult: {
      /** @enum {string} */
      type: "p" | "np" | "c" | "u" | "laney-p" | "laney-u" | "ewma" | "cusum" | "bernoulli-cusum";
      points: {
        index: number;
        /** @description The input label, or null when none was given */
        label: string | null;
        /** @description 0-based phase number */
        phase: number;
        /** @description The plotted value: count/n (p, u, laney-p, laney-u), count (np, c), the EWMA statistic (ewma), the standardised observation z (cusum; null where z is undefined), or the CUSUM B after the point (bernoulli-cusum; compare with ucl = h) */
        value: number | null;
        center: number;
        lcl: number;
        ucl: number;
        /** @description The point's standard error in the units of `value` */
        sigma: number;
        /** @description (value − center)/sigma; null when sigma = 0 */
        z: number | null;
        signals: string[];
        /** @description Used to estimate its phase's centre and limits */
        inEstimate: boolean;
        /** @description EWMA and CUSUM: the raw observation */
        observed?: number;
        /** @description CUSUM: the centre of the base chart */
        baseCenter?: number;
        /** @description CUSUM: the base standard error */
        baseSigma?: number;
        /** @description CUSUM: C⁺ after this point, in σ units */
        cusumUpper?: number;
        /** @description CUSUM: C⁻ after this point, in σ units */
        cusumLower?: number;
        /** @description Bernoulli CUSUM: items since the last restart (start or the point after a signal), this one's included */
        runLength?: number;
      }[];
      signals: {
        index: number;
        label: string | null;
        rule: string;
      }[];
      notes: string[];
      /** @description Absent when no audit matches the filters */
      overdispersion?: {
        /** @description Σzᵢ²/df over the baseline; null when undefined */
        ratio: number | null;
        p: number | null;
        statistic: number | null;
        df: number;
        note: string;
      };
      /** @description Absent when no audit matches the filters */
      phases?: {
        phase: number;
        from: number;
        to: number;
        center: number;
        /** @enum {string} */
        centerSource: "estimate" | "standard";
        estimatedFrom: number;
        /** @description Laney charts: σ_z */
        sigmaZ?: number | null;
        processSd?: number;
        overdispersion?: {
          /** @description Σzᵢ²/df over the baseline; null when undefined */
          ratio: number | null;
          p: number | null;
          statistic: number | null;
          df: number;
          note: string;
        };
      }[];
      /** @description Absent when no audit matches the filters */
      sigmaMultiplier?: number;
      /** @description Absent when no audit matches the filters */
      rules?: string[];
      /** @description Absent when no audit matches the filters */
      baseline?: {
        from: number;
        to: number;
      };
      /** @description Absent when no audit matches the filters */
      exclude?: number[];
      /** @description Absent when no audit matches the filters */
      ewma?: {
        lambda: number;
        L: number;
        /** @enum {string} */
        base: "p" | "u" | "c" | "individual";
      };
      /** @description Absent when no audit matches the filters */
      cusum?: {
        k: number;
        h: number;
        /** @enum {string} */
        base: "p" | "u" | "c" | "individual";
      };
      /** @description Absent when no audit matches the filters */
      bernoulliCusum?: {
        /** @enum {string} */
        variant: "reynolds-stoumbos-1/m";
        p0: number;
        /** @enum {string} */
        p0Source: "option" | "standard" | "estimate";
        p1: number;
        oddsRatio: number;
        /** @description The likelihood-ratio reference value γ* */
        gammaExact: number;
        /** @description The reference value used, 1/m */
        gamma: number;
        m: number;
        h: number;
        /** @description Markov-chain states H = m·h */
        states: number;
        /** @description Zero-state ARL at p₀, in items (exact Markov chain) */
        arl0: number;
        /** @description Zero-state ARL at p₁, in items */
        arl1: number;
        targetArl0?: number;
        /**
         * @description item: every point is one item; period: points of several items taken together
         * @enum {string}
         */
        steps: "item" | "period";
      };
      /** @enum {string} */
      interval: "day" | "week" | "month";
      /** @enum {string} */
      per: "period" | "audit";
      /** @description per=audit: the id of each point's audit, in the points' order */
      auditIds?: string[];
      timeZone: string;
    };
    StoredFunnelResult: {
      by: string;
      timeZone: string;
      minAudited: number;
      /** @description How many units have fewer than minAudited audits */
      unitsBelowMinimum: number;
      /** @description Null only when no audit matches the filters */
      target: number | null;
      /** @enum {string} */
      targetSource: "pooled" | "given";
      /** @enum {string} */
      method: "exact" | "normal";
      limits: {
        level: number;
        name: string;
      }[];
      curves: {
        level: number;
        name: string;
        points: {
          n: number;
          lower: number;
          upper: number;
        }[];
      }[];
      overdispersion: {
        /** @enum {string} */
        method: "multiplicative";
        phiEstimate: number | null;
        phi: number;
        applied: boolean;
        statistic: number | null;
        df: number;
        p: number | null;
        winsorisedAt: {
          lower: number;
          upper: number;
        } | null;
      } | null;
      notes: string[];
      units: {
        key: string | number;
        count: number;
        n: number;
        rate: number;
        /** @description Null when the target is 0 or 1 */
        z: number | null;
        /** @description z/√φ when a multiplicative overdispersion factor was applied */
        zAdjusted?: number | null;
        /** @description "inside", or the most extreme band crossed ("above-99.8") */
        band: string;
        limits: {
          level: number;
          lower: number;
          upper: number;
        }[];
        belowMinimum: boolean;
      }[];
    };
    PolicyConfusion: {
      matrix: components["schemas"]["ConfusionMatrix"];
      policies: {
        policy: string | null;
        audited: number;
        errors: number;
        rate: number;
        lower: number;
        upper: number;
        byType: {
          "false-positive": {
            errors: number;
            rate: number;
          };
          "false-negative": {
            errors: number;
            rate: number;
          };
          "wrong-policy": {
            errors: number;
            rate: number;
          };
          other: {
            errors: number;
            rate: number;
          };
        };
        wrongPolicyWithoutCorrect: number;
      }[];
      confidence: number;
      timeZone: string;
    };
    ConfusionMatrix: {
      /** @description The correct policies (columns), bytewise */
      columns: string[];
      rows: {
        applied: string | null;
        total: number;
        cells: {
          correct: string;
          count: number;
          rowShare: number;
        }[];
      }[];
      total: number;
      withoutCorrectPolicy: number;
    };
    PolicyImpact: {
      policy: string;
      at: string;
      days: number;
      before: {
        from: string;
        to: string;
        start: string;
        end: string;
        audited: number;
        errors: number;
        rate: number | null;
        lower: number | null;
        upper: number | null;
        matrix: components["schemas"]["ConfusionMatrix"];
      };
      after: {
        from: string;
        to: string;
        start: string;
        end: string;
        audited: number;
        errors: number;
        rate: number | null;
        lower: number | null;
        upper: number | null;
        matrix: components["schemas"]["ConfusionMatrix"];
      };
      comparison: {
        a: {
          count: number;
          n: number;
          proportion: number;
        };
        b: {
          count: number;
          n: number;
          proportion: number;
        };
        difference: number;
        lower: number;
        upper: number;
        confidence: number;
        z: number | null;
        p: number | null;
        fisherP: number | null;
        fisherUndefinedReason?: string;
        undefinedReason?: string;
      } | null;
      comparisonUndefinedReason?: string;
      confidence: number;
      timeZone: string;
    };
    ChartResult: {
      /** @enum {string} */
      type: "p" | "np" | "c" | "u" | "laney-p" | "laney-u" | "ewma" | "cusum" | "bernoulli-cusum";
      points: {
        index: number;
        /** @description The input label, or null when none was given */
        label: string | null;
        /** @description 0-based phase number */
        phase: number;
        /** @description The plotted value: count/n (p, u, laney-p, laney-u), count (np, c), the EWMA statistic (ewma), the standardised observation z (cusum; null where z is undefined), or the CUSUM B after the point (bernoulli-cusum; compare with ucl = h) */
        value: number | null;
        center: number;
        lcl: number;
        ucl: number;
        /** @description The point's standard error in the units of `value` */
        sigma: number;
        /** @description (value − center)/sigma; null when sigma = 0 */
        z: number | null;
        signals: string[];
        /** @description Used to estimate its phase's centre and limits */
        inEstimate: boolean;
        /** @description EWMA and CUSUM: the raw observation */
        observed?: number;
        /** @description CUSUM: the centre of the base chart */
        baseCenter?: number;
        /** @description CUSUM: the base standard error */
        baseSigma?: number;
        /** @description CUSUM: C⁺ after this point, in σ units */
        cusumUpper?: number;
        /** @description CUSUM: C⁻ after this point, in σ units */
        cusumLower?: number;
        /** @description Bernoulli CUSUM: items since the last restart (start or the point after a signal), this one's included */
        runLength?: number;
      }[];
      signals: {
        index: number;
        label: string | null;
        rule: string;
      }[];
      overdispersion?: {
        /** @description Σzᵢ²/df over the baseline; null when undefined */
        ratio: number | null;
        p: number | null;
        statistic: number | null;
        df: number;
        note: string;
      };
      phases: {
        phase: number;
        from: number;
        to: number;
        center: number;
        /** @enum {string} */
        centerSource: "estimate" | "standard";
        estimatedFrom: number;
        /** @description Laney charts: σ_z */
        sigmaZ?: number | null;
        processSd?: number;
        overdispersion?: {
          /** @description Σzᵢ²/df over the baseline; null when undefined */
          ratio: number | null;
          p: number | null;
          statistic: number | null;
          df: number;
          note: string;
        };
      }[];
      sigmaMultiplier: number;
      rules: string[];
      baseline: {
        from: number;
        to: number;
      };
      exclude: number[];
      ewma?: {
        lambda: number;
        L: number;
        /** @enum {string} */
        base: "p" | "u" | "c" | "individual";
      };
      cusum?: {
        k: number;
        h: number;
        /** @enum {string} */
        base: "p" | "u" | "c" | "individual";
      };
      bernoulliCusum?: components["schemas"]["BernoulliCusumDesign"];
      notes: string[];
    };
    BernoulliCusumDesign: {
      /** @enum {string} */
      variant: "reynolds-stoumbos-1/m";
      p0: number;
      /** @enum {string} */
      p0Source: "option" | "standard" | "estimate";
      p1: number;
      oddsRatio: number;
      /** @description The likelihood-ratio reference value γ* */
      gammaExact: number;
      /** @description The reference value used, 1/m */
      gamma: number;
      m: number;
      h: number;
      /** @description Markov-chain states H = m·h */
      states: number;
      /** @description Zero-state ARL at p₀, in items (exact Markov chain) */
      arl0: number;
      /** @description Zero-state ARL at p₁, in items */
      arl1: number;
      targetArl0?: number;
      /**
       * @description item: every point is one item; period: points of several items taken together
       * @enum {string}
       */
      steps: "item" | "period";
    };
    ChartRequest: {
      /** @enum {string} */
      type: "p" | "np" | "c" | "u" | "laney-p" | "laney-u" | "ewma" | "cusum" | "bernoulli-cusum";
      points: {
        /** @description Errors (p, np), defects (c, u): integers ≥ 0; or the measurement (individual base). |count| ≤ 10¹² */
        count: number;
        /** @description Subgroup size (p, np) or inspection units (u), ≤ 10¹² */
        n?: number;
        label?: string | null;
      }[];
      baseline?: {
        from: number;
        to: number;
      };
      exclude?: number[];
      phases?: number[];
      standard?: number;
      sigma?: number;
      rules?: ("western-electric" | "nelson" | "none") | string[];
      ewma?: {
        lambda?: number;
        L?: number;
        /** @enum {string} */
        base?: "p" | "u" | "c" | "individual";
        mean?: number;
        sd?: number;
      };
      cusum?: {
        k?: number;
        h?: number;
        /** @enum {string} */
        base?: "p" | "u" | "c" | "individual";
        mean?: number;
        sd?: number;
      };
      /** @description Bernoulli CUSUM (Reynolds & Stoumbos 1999, γ rounded to 1/m): points of n = 1 are items, points of n > 1 periods taken together */
      bernoulli?: {
        /** @description In-control error rate p₀ in (0, 1); default `standard`, else Σcount/Σn over the baseline */
        p0?: number;
        /** @description Error rate p₁ in (p₀, 1) to detect */
        p1?: number;
        /** @description Instead of p1: p₁ = OR·p₀/(1 − p₀ + OR·p₀); default 2 when p1 is absent */
        oddsRatio?: number;
        /** @description Decision interval h (rounded up to a multiple of γ = 1/m); signal when B ≥ h */
        h?: number;
        /** @description Instead of h: the smallest h on the grid of 1/m whose zero-state in-control ARL is at least this many items (default 10,000) */
        targetArl0?: number;
        /** @description γ = 1/m; default round(1/γ*) for the likelihood-ratio reference value γ* */
        m?: number;
      };
    };
    FunnelResult: {
      target: number;
      /** @enum {string} */
      targetSource: "pooled" | "given";
      /** @enum {string} */
      method: "exact" | "normal";
      limits: {
        level: number;
        name: string;
      }[];
      curves: {
        level: number;
        name: string;
        points: {
          n: number;
          lower: number;
          upper: number;
        }[];
      }[];
      overdispersion: {
        /** @enum {string} */
        method: "multiplicative";
        phiEstimate: number | null;
        phi: number;
        applied: boolean;
        statistic: number | null;
        df: number;
        p: number | null;
        winsorisedAt: {
          lower: number;
          upper: number;
        } | null;
      } | null;
      notes: string[];
      units: {
        key: string | number;
        count: number;
        n: number;
        rate: number;
        /** @description Null when the target is 0 or 1 */
        z: number | null;
        /** @description z/√φ when a multiplicative overdispersion factor was applied */
        zAdjusted?: number | null;
        /** @description "inside", or the most extreme band crossed ("above-99.8") */
        band: string;
        limits: {
          level: number;
          lower: number;
          upper: number;
        }[];
      }[];
    };
    FunnelRequest: {
      units: {
        key: string | number;
        /** @description Errors of the unit */
        count: number;
        /** @description Items audited in the unit: an integer from 1 to 10¹² */
        n: number;
      }[];
      target?: number;
      limits?: number[];
      /** @enum {string} */
      method?: "exact" | "normal";
      /** @enum {string} */
      overdispersion?: "none" | "multiplicative";
      gridPoints?: number;
    };
    CompareResult: {
      difference: number;
      lower: number;
      upper: number;
      z: number | null;
      p: number | null;
      fisherP: number | null;
      fisherUndefinedReason?: string;
      undefinedReason?: string;
      a: {
        count: number;
        n: number;
        proportion: number;
      };
      b: {
        count: number;
        n: number;
        proportion: number;
      };
      confidence: number;
    };
    CompareRequest: {
      a: {
        /** @description Errors */
        count: number;
        /** @description Items audited */
        n: number;
      };
      b: {
        /** @description Errors */
        count: number;
        /** @description Items audited */
        n: number;
      };
      /** @description Confidence level, default 0.95 */
      confidence?: number;
    };
    ChartDesignResult: {
      /** @enum {string} */
      type: "ewma" | "cusum";
      /**
       * @description normal: standardised N(0, 1) observations; binomial: the standardised subgroup proportion (X/n − p₀)/√(p₀(1 − p₀)/n) the p-based charts plot
       * @enum {string}
       */
      data: "normal" | "binomial";
      lambda?: number;
      /** @description EWMA: the limit width given or solved */
      L?: number;
      /** @enum {string} */
      limits?: "asymptotic" | "time-varying";
      /** @description CUSUM: the reference value given or defaulted */
      k?: number;
      /** @description CUSUM: the decision interval given or solved */
      h?: number;
      /** @description The shift in σ of one observation (binomial: (p₁ − p₀)/σ₀) */
      shift: number;
      p0?: number;
      n?: number;
      p1?: number;
      /** @description In-control average run length (points to a false alarm) */
      arl0: number;
      /** @description Average run length after the shift (points to detection) */
      arl1: number;
      /** @description Transient states of the finest Markov chain used */
      states: number;
      /** @description Largest change of an ARL from the previous refinement, relative (to 10 points for ARLs under 10) */
      change: number;
      /** @description change < tolerance */
      converged: boolean;
      /** @description The tolerance `converged` was judged by */
      tolerance: number;
      /**
       * @description richardson: extrapolated from the last two chains (normal data); chain: the finest chain
       * @enum {string}
       */
      extrapolation: "richardson" | "chain";
      /** @description CUSUM: k was not given; half the shift was used */
      kDefaulted?: boolean;
      solved?: {
        /** @enum {string} */
        parameter: "L" | "h";
        targetArl0: number;
        /** @description Relative tolerance on ARL₀ */
        tolerance: number;
        evaluations: number;
      };
      /** @enum {string} */
      method: "markov-chain";
      notes: string[];
    };
    ChartDesignRequest: {
      /**
       * @description Two-sided EWMA (λ, L) or tabular CUSUM (k, h)
       * @enum {string}
       */
      type: "ewma" | "cusum";
      /** @description EWMA: smoothing weight λ, 0.01 to 1 (required for ewma) */
      lambda?: number;
      /** @description EWMA: limit width in σ of the EWMA statistic, (0, 6]; or give targetArl0 */
      L?: number;
      /**
       * @description EWMA: limits at the asymptotic σ_z (Lucas & Saccucci's tables; default) or the exact time-varying limits the product's charts draw
       * @enum {string}
       */
      limits?: "asymptotic" | "time-varying";
      /** @description CUSUM: reference value in σ, 0 to 5; default half the shift */
      k?: number;
      /** @description CUSUM: decision interval in σ, (0, 40]; or give targetArl0 */
      h?: number;
      /** @description Instead of L (EWMA) or h (CUSUM): the in-control ARL to reach, 2 to 10⁶ */
      targetArl0?: number;
      /** @description Normal data: the shift to detect, in σ of one observation, −10 to 10 */
      shift?: number;
      /** @description Binomial data: the in-control error rate (the chart's centre) */
      p0?: number;
      /** @description Binomial data: the subgroup size (audits per period), 1 to 1000000 */
      n?: number;
      /** @description Binomial data: the out-of-control error rate to detect */
      p1?: number;
      /** @description Relative change between chain refinements at which the ARLs count as converged, 1e-5 to 0.01 (default 1e-4); a coarser one stops at a smaller chain */
      tolerance?: number;
    };
    AgreementResult: {
      items: number;
      itemsRated: number;
      itemsPairable: number;
      raters: string[];
      categories: (string | number)[];
      /** @enum {string} */
      level: "nominal" | "ordinal" | "interval" | "ratio";
      /** @enum {string} */
      weights: "unweighted" | "linear" | "quadratic";
      confidence: number;
      percentAgreement: number | null;
      percentAgreementUndefinedReason: string | null;
      /** @description Cohen's kappa: only with exactly two raters */
      cohen: {
        kappa: number | null;
        /** @description Standard error (non-null) */
        se: number | null;
        lower: number | null;
        upper: number | null;
        /** @description Landis & Koch band (a reading aid only) */
        interpretation: string | null;
        confidence: number;
        undefinedReason: string | null;
        /** @description Standard error under H0 (kappa = 0) */
        se0: number | null;
        z: number | null;
        p: number | null;
        weights: string;
        items: number;
        po: number | null;
        pe: number | null;
        seUndefinedReason: string | null;
        se0UndefinedReason: string | null;
      } | null;
      fleiss: {
        kappa: number | null;
        /** @description Standard error (non-null) */
        se: number | null;
        lower: number | null;
        upper: number | null;
        /** @description Landis & Koch band (a reading aid only) */
        interpretation: string | null;
        confidence: number;
        undefinedReason: string | null;
        se0: number | null;
        z: number | null;
        p: number | null;
        /** @enum {string} */
        weights: "unweighted" | "linear" | "quadratic";
        pa: number | null;
        pe: number | null;
        itemsRated: number;
        itemsPairable: number;
        perCategory: {
          category: string | number;
          kappa: number | null;
          se0: number | null;
          z: number | null;
          p: number | null;
          undefinedReason: string | null;
        }[];
        seUndefinedReason: string | null;
        se0UndefinedReason: string | null;
      };
      krippendorff: {
        alpha: number | null;
        /** @enum {string} */
        level: "nominal" | "ordinal" | "interval" | "ratio";
        /** @description Landis & Koch band (a reading aid only) */
        interpretation: string | null;
        pairableValues: number;
        pairableUnits: number;
        observedDisagreement: number | null;
        expectedDisagreement: number | null;
        undefinedReason: string | null;
        bootstrap?: unknown;
      };
      gwet: {
        /** @description AC1, or AC2 when weighted (see coefficient) */
        ac1: number | null;
        /** @description Standard error (non-null) */
        se: number | null;
        lower: number | null;
        upper: number | null;
        /** @description Landis & Koch band (a reading aid only) */
        interpretation: string | null;
        confidence: number;
        undefinedReason: string | null;
        /** @enum {string} */
        coefficient: "AC1" | "AC2";
        /** @enum {string} */
        weights: "unweighted" | "linear" | "quadratic";
        pa: number | null;
        pe: number | null;
        itemsRated: number;
        itemsPairable: number;
        seUndefinedReason: string | null;
      };
      pairwise: {
        raters: [string, string];
        items: number;
        percentAgreement: number | null;
        kappa: number | null;
        /** @description Landis & Koch band (a reading aid only) */
        interpretation: string | null;
        undefinedReason: string | null;
      }[];
    };
    AgreementRequest: {
      /**
       * @description One row per item, one column per rater (null = not rated). At least two columns, at most 100; at most 200 distinct labels (checked while reading, naming the first label past the limit); string labels at most 200 characters.
       * @example [
       *       [
       *         "ok",
       *         "ok",
       *         "hate"
       *       ],
       *       [
       *         "hate",
       *         "hate",
       *         "hate"
       *       ],
       *       [
       *         "ok",
       *         null,
       *         "ok"
       *       ]
       *     ]
       */
      ratings: (string | number | null)[][];
      /** @description Rater names, one per column (default r1, r2, …) */
      raters?: string[];
      /** @description Allowed labels in order, at most 200 (default: the observed labels, sorted) */
      categories?: (string | number)[];
      /**
       * @description Krippendorff's alpha level, default nominal
       * @enum {string}
       */
      level?: "nominal" | "ordinal" | "interval" | "ratio";
      /**
       * @description Weights for Cohen, Fleiss and Gwet (AC2 when weighted), default unweighted
       * @enum {string}
       */
      weights?: "unweighted" | "linear" | "quadratic";
      /** @description Confidence level of the intervals, default 0.95 */
      confidence?: number;
    };
    Calibration: {
      id: string;
      name: string;
      categories: components["schemas"]["Label"][];
      /** @enum {string} */
      level: "nominal" | "ordinal" | "interval" | "ratio";
      /** @enum {string} */
      status: "open" | "closed";
      /** @description Number of items */
      items: number;
      /** @description Items with a gold label */
      goldItems: number;
      raters: string[];
      progress: components["schemas"]["RaterProgress"][];
      /** @description Ratings given so far */
      labelled: number;
      /** @description items × raters */
      expected: number;
      createdAt: string;
      closedAt: string | null;
    };
    /** @description A category: a string (any Unicode) or a number. 1 and "1" are different. */
    Label: string | number;
    RaterProgress: {
      rater: string;
      /** @description Items this rater has labelled */
      labelled: number;
      /** @description Items this rater has not labelled yet */
      remaining: number;
    };
    NewCalibration: {
      name: string;
      /** @description The allowed labels, in order (the order matters for ordinal levels and weights) */
      categories: components["schemas"]["Label"][];
      /**
       * @description Measurement level for Krippendorff's alpha. Default: "nominal".
       * @enum {string}
       */
      level?: "nominal" | "ordinal" | "interval" | "ratio";
      items: {
        id: string;
        /** @description The reference answer, one of categories. Hidden from every response until the session closes. */
        gold?: string | number | null;
      }[];
      /** @description Rater names; an auditor key bound to one of these names may write that rater's labels */
      raters: string[];
    };
    CalibrationDetail: components["schemas"]["Calibration"] & {
      /** @description Item ids in session order; gold labels only after close (the session is blind) */
      itemList: {
        id: string;
        /** @description Only once the session is closed */
        gold?: string | number | null;
      }[];
    };
    RatingsWriteResult: {
      /** @description Labels set */
      written: number;
      /** @description Labels removed */
      cleared: number;
      /** @description Progress of the raters written */
      progress: components["schemas"]["RaterProgress"][];
    };
    RatingsUpdate: {
      /**
       * @description item id → label (one of the session's categories), or null to clear that item's label
       * @example {
       *       "post-1": "혐오 표현",
       *       "post-2": null
       *     }
       */
      ratings: {
        [key: string]: string | number | null;
      };
    };
    RatingsImportResult: components["schemas"]["RatingsWriteResult"] & {
      /** @description Data rows read (blank rows skipped) */
      rows: number;
    };
    RaterRatings: {
      rater: string;
      /** @enum {string} */
      status: "open" | "closed";
      /** @description item id → label, in item order */
      ratings: {
        [key: string]: components["schemas"]["Label"];
      };
      progress: components["schemas"]["RaterProgress"];
    };
    CalibrationReport: {
      itemsRated: number;
      itemsPairable: number;
      raters: string[];
      categories: (string | number)[];
      /** @enum {string} */
      level: "nominal" | "ordinal" | "interval" | "ratio";
      /** @enum {string} */
      weights: "unweighted" | "linear" | "quadratic";
      confidence: number;
      percentAgreement: number | null;
      percentAgreementUndefinedReason: string | null;
      /** @description Cohen's kappa: only with exactly two raters */
      cohen: {
        kappa: number | null;
        /** @description Standard error (non-null) */
        se: number | null;
        lower: number | null;
        upper: number | null;
        /** @description Landis & Koch band (a reading aid only) */
        interpretation: string | null;
        confidence: number;
        undefinedReason: string | null;
        /** @description Standard error under H0 (kappa = 0) */
        se0: number | null;
        z: number | null;
        p: number | null;
        weights: string;
        items: number;
        po: number | null;
        pe: number | null;
        seUndefinedReason: string | null;
        se0UndefinedReason: string | null;
      } | null;
      fleiss: {
        kappa: number | null;
        /** @description Standard error (non-null) */
        se: number | null;
        lower: number | null;
        upper: number | null;
        /** @description Landis & Koch band (a reading aid only) */
        interpretation: string | null;
        confidence: number;
        undefinedReason: string | null;
        se0: number | null;
        z: number | null;
        p: number | null;
        /** @enum {string} */
        weights: "unweighted" | "linear" | "quadratic";
        pa: number | null;
        pe: number | null;
        itemsRated: number;
        itemsPairable: number;
        perCategory: {
          category: string | number;
          kappa: number | null;
          se0: number | null;
          z: number | null;
          p: number | null;
          undefinedReason: string | null;
        }[];
        seUndefinedReason: string | null;
        se0UndefinedReason: string | null;
      };
      krippendorff: {
        alpha: number | null;
        /** @enum {string} */
        level: "nominal" | "ordinal" | "interval" | "ratio";
        /** @description Landis & Koch band (a reading aid only) */
        interpretation: string | null;
        pairableValues: number;
        pairableUnits: number;
        observedDisagreement: number | null;
        expectedDisagreement: number | null;
        undefinedReason: string | null;
        bootstrap?: unknown;
      };
      gwet: {
        /** @description AC1, or AC2 when weighted (see coefficient) */
        ac1: number | null;
        /** @description Standard error (non-null) */
        se: number | null;
        lower: number | null;
        upper: number | null;
        /** @description Landis & Koch band (a reading aid only) */
        interpretation: string | null;
        confidence: number;
        undefinedReason: string | null;
        /** @enum {string} */
        coefficient: "AC1" | "AC2";
        /** @enum {string} */
        weights: "unweighted" | "linear" | "quadratic";
        pa: number | null;
        pe: number | null;
        itemsRated: number;
        itemsPairable: number;
        seUndefinedReason: string | null;
      };
      pairwise: {
        raters: [string, string];
        items: number;
        percentAgreement: number | null;
        kappa: number | null;
        /** @description Landis & Koch band (a reading aid only) */
        interpretation: string | null;
        undefinedReason: string | null;
      }[];
      calibration: {
        id: string;
        name: string;
        closedAt: string | null;
      };
      itemCount: number;
      raterReport: components["schemas"]["RaterReportEntry"][];
      /** @description Least agreement first; items with fewer than two ratings last */
      items: components["schemas"]["CalibrationItemRow"][];
    };
    RaterReportEntry: {
      rater: string;
      rated: number;
      gold: components["schemas"]["ReferenceComparison"];
      /** @description Against the modal label of the other raters on each item */
      consensus: components["schemas"]["ReferenceComparison"] & {
        ties: number;
        /** @description Items where the other raters' mode is tied (left out) */
        tiedItems: string[];
        noConsensus: number;
      };
    };
    /** @description Against the gold labels; null without gold */
    ReferenceComparison: {
      /** @description Items with both a reference label and this rater's label */
      items: number;
      accuracy: number | null;
      /** @description Cohen's kappa, rater vs reference */
      kappa: number | null;
      interpretation: string | null;
      undefinedReason: string | null;
      /** @description confusion[r][c]: items whose reference is categories[r] that the rater labelled categories[c] */
      confusion: number[][];
      perCategory: {
        category: components["schemas"]["Label"];
        referenceCount: number;
        raterCount: number;
        correct: number;
        recall: number | null;
        precision: number | null;
      }[];
    } | null;
    CalibrationItemRow: {
      id: string;
      gold: string | number | null;
      /** @description The modal label; null when tied or fewer than two ratings */
      consensus: string | number | null;
      tie: boolean;
      /** @description Share of agreeing rater pairs on the item */
      agreement: number | null;
      ratings: number;
      /** @description rater → label (null = none) */
      labels: {
        [key: string]: string | number | null;
      };
    };
    LatentClassResult: {
      /** @enum {string} */
      method: "dawid-skene-em";
      /** @description The classes, in the order of every vector and matrix */
      classes: (string | number)[];
      /** @description Class priors π_j: the estimated share of each true class */
      priors: number[];
      raters: components["schemas"]["LatentClassRater"][];
      /** @description Items whose class was fixed by gold */
      goldItems: number;
      /** @description True when the log-likelihood changed by less than the tolerance; false after 1000 iterations */
      converged: boolean;
      iterations: number;
      /** @description Observed-data log-likelihood at the estimates */
      logLikelihood: number;
      /** @description Added to every confusion cell in each M-step (0.01) */
      pseudoCount: number;
      tolerance: number;
      maxIterations: number;
      items: {
        /** @description Row index in `ratings` */
        item: number;
        /** @description P(true class | ratings), in `classes` order */
        posterior: number[];
        /** @description The class with the highest posterior (the first when tied) */
        mostProbable: string | number;
        /** @description True when the class was fixed by `gold` */
        gold: boolean;
      }[];
    };
    LatentClassRater: {
      rater: string;
      /** @description Ratings this rater gave */
      ratings: number;
      /** @description θ: rows = true class, columns = the label given, in `classes` order; rows sum to 1 */
      confusion: number[][];
      /** @description Σ_j π_j θ_jj: the chance this rater's label is the true class of a random item */
      estimatedAccuracy: number;
    };
    LatentClassRequest: {
      /**
       * @description One row per item, one column per rater (null = not rated), as in POST /v1/agreement. At least two columns, at most 100; at most 200000 rows and 200 distinct labels; string labels at most 200 characters. One EM iteration may cost at most 12000000 units (ratings × classes + items × classes + raters × classes²), else 422 too_expensive.
       * @example [
       *       [
       *         "ok",
       *         "ok",
       *         "hate"
       *       ],
       *       [
       *         "hate",
       *         "hate",
       *         "hate"
       *       ],
       *       [
       *         "ok",
       *         null,
       *         "ok"
       *       ]
       *     ]
       */
      ratings: (string | number | null)[][];
      /** @description Rater names, one per column (default r1, r2, …) */
      raters?: string[];
      /** @description The classes, in order, at most 200 (default: the observed labels, sorted); at least two */
      categories?: (string | number)[];
      /** @description One entry per item: its known class, fixed during the fit (its posterior is one-hot and never updated), or null */
      gold?: (string | number | null)[];
    };
    CalibrationLatentClass: {
      id: string;
      /**
       * @description How the session's gold labels were used
       * @enum {string}
       */
      gold: "fixed" | "ignored";
      /** @enum {string} */
      method: "dawid-skene-em";
      /** @description The classes, in the order of every vector and matrix */
      classes: (string | number)[];
      /** @description Class priors π_j: the estimated share of each true class */
      priors: number[];
      raters: components["schemas"]["LatentClassRater"][];
      /** @description Items whose class was fixed by gold */
      goldItems: number;
      /** @description True when the log-likelihood changed by less than the tolerance; false after 1000 iterations */
      converged: boolean;
      iterations: number;
      /** @description Observed-data log-likelihood at the estimates */
      logLikelihood: number;
      /** @description Added to every confusion cell in each M-step (0.01) */
      pseudoCount: number;
      tolerance: number;
      maxIterations: number;
      items: {
        id: string;
        /** @description The session's gold label */
        gold: string | number | null;
        /** @description True when the gold label was fixed as the item's class */
        goldFixed: boolean;
        /** @description P(true class | ratings), in `classes` order */
        posterior: number[];
        /** @description The class with the highest posterior (the first when tied) */
        mostProbable: string | number;
      }[];
    };
    PopulationSummary: {
      id: string;
      name: string | null;
      /** @description Number of decisions */
      count: number;
      /**
       * @description Number of distinct values of each attribute (decisions without a value are not counted, as in SQL COUNT(DISTINCT))
       * @example {
       *       "queue": 3,
       *       "moderator": 41,
       *       "market": 2
       *     }
       */
      attributes: {
        [key: string]: number;
      };
      createdAt: string;
    };
    Population: {
      id: string;
      name: string | null;
      count: number;
      createdAt: string;
      createdBy: string | null;
      /**
       * @description Decisions per value of each attribute, most frequent first (decisions without a value: see absent)
       * @example {
       *       "queue": {
       *         "hate": 620,
       *         "spam": 380
       *       },
       *       "market": {
       *         "KR": 700,
       *         "US": 300
       *       }
       *     }
       */
      attributes: {
        [key: string]: {
          [key: string]: number;
        };
      };
      distinct: {
        [key: string]: number;
      };
      /** @description Decisions without a value for each attribute; in strata they form the stratum `attribute=` (value "") */
      absent: {
        [key: string]: number;
      };
      /** @description Ids of the samples drawn from this population */
      samples: string[];
    };
    SampleCreated: {
      id: string;
      name: string;
      /** @description Population id */
      population: string;
      seed: string;
      n: number;
      strata: {
        key: string;
        values: {
          [key: string]: string;
        };
        /** @description N_h: decisions in the stratum */
        size: number;
        /** @description n_h: decisions drawn */
        n: number;
        expectedRate?: number;
        /** @enum {string} */
        rateSource?: "expectedRates" | "history" | "default";
      }[];
      plan: components["schemas"]["DrawPlan"];
      notes: string[];
      /** @description The plan's notes with a stable code and parameters (a client's own language), one for one with `notes`; empty for samples drawn before notes had codes */
      notices: {
        /** @example total_derived */
        code: string;
        params: {
          [key: string]: number | string;
        };
        message: string;
      }[];
      createdAt: string;
    };
    DrawPlan: {
      population: string;
      strata: string[];
      /**
       * @description null with perStratum
       * @enum {string|null}
       */
      allocation: "proportional" | "neyman" | "equal" | null;
      total?: number;
      /** @description With margin */
      confidence?: number;
      margin?: number;
      /** @description With margin */
      expectedRate?: number;
      perStratum?: {
        confidence: number;
        margin: number;
        expectedRate: number;
      };
      minPerStratum: number;
      expectedRates?: {
        [key: string]: number;
      };
      fromHistory?: {
        days: number;
      };
    };
    DrawRequest: {
      /** @description Population id */
      population: string;
      /** @description Attributes whose value combinations are the strata (none: one stratum, key `all`). Keys look like `queue=hate|market=KR`. */
      strata?: string[];
      /**
       * @description How a total is split across strata (default proportional). Not used with perStratum.
       * @enum {string}
       */
      allocation?: "proportional" | "neyman" | "equal";
      /** @description Sample size */
      total?: number;
      /** @description With margin: default 0.95 */
      confidence?: number;
      /** @description Size the total for ±margin on the whole population (Cochran with finite-population correction), then allocate it */
      margin?: number;
      /** @description With margin: anticipated overall rate, default 0.5 */
      expectedRate?: number;
      /** @description Size each stratum on its own for ±margin with its finite-population correction; the total is the sum */
      perStratum?: {
        confidence?: number;
        margin: number;
        expectedRate?: number;
      };
      /** @description At least this many per stratum (capped at the stratum size) */
      minPerStratum?: number;
      /**
       * @description Anticipated error rate per stratum key, for Neyman weights and perStratum sizing
       * @example {
       *       "queue=hate": 0.08,
       *       "queue=spam": 0.02
       *     }
       */
      expectedRates?: {
        [key: string]: number;
      };
      /** @description Take each stratum's expected rate from the audits of the last `days` days (strata on queue, moderator, policy, market only; strata without history: 0.5). Meaningful for neyman allocation and perStratum sizing. */
      fromHistory?: {
        days: number;
      };
      /** @description Any text; a random one is generated when absent. Stored and returned: the draw is reproducible. */
      seed?: string;
      /**
       * @description A name people find the sample by (trimmed, 1 to 200 characters); default: the population's name (or id) and the draw's date (YYYY-MM-DD in MODQC_TZ)
       * @example hate KR 2026-12-06
       */
      name?: string;
    };
    SampleSummary: components["schemas"]["SampleCreated"] & {
      populationName: string | null;
      /** @description When the population was uploaded */
      populationCreatedAt: string;
      createdBy: string | null;
      progress: {
        /** @description Items with an auditor */
        assigned: number;
        /** @description Items with an audit naming this sample and their decision (a verdict PUT or POST /v1/audits alike) */
        done: number;
        /** @description Skipped items without such an audit */
        skipped: number;
        /** @description Neither done nor skipped */
        todo: number;
        /** @description Items without an auditor */
        unassigned: number;
      };
    };
    Sample: components["schemas"]["SampleCreated"] & {
      strata?: {
        key: string;
        values: {
          [key: string]: string;
        };
        /** @description N_h: decisions in the stratum */
        size: number;
        /** @description n_h: decisions drawn */
        n: number;
        expectedRate?: number;
        /** @enum {string} */
        rateSource?: "expectedRates" | "history" | "default";
        audited: number;
        /** @description Items with an auditor */
        assigned: number;
        /** @description Items with an audit naming this sample and their decision (a verdict PUT or POST /v1/audits alike) */
        done: number;
        /** @description Skipped items without such an audit */
        skipped: number;
        /** @description Neither done nor skipped */
        todo: number;
      }[];
      populationName: string | null;
      /** @description When the population was uploaded */
      populationCreatedAt: string;
      progress: {
        drawn: number;
        /** @description Drawn items with an audit of their decision id */
        audited: number;
        remaining: number;
        /** @description Audits with this sampleId whose decisionId was not drawn (typos?) */
        unmatchedAudits: number;
        /** @description Items with an auditor */
        assigned: number;
        /** @description Items with an audit naming this sample and their decision (a verdict PUT or POST /v1/audits alike) */
        done: number;
        /** @description Skipped items without such an audit */
        skipped: number;
        /** @description Neither done nor skipped */
        todo: number;
        /** @description Items without an auditor */
        unassigned: number;
        /** @description Each auditor's items, by name */
        byAuditor: {
          auditor: string;
          /** @description Items with an auditor */
          assigned: number;
          /** @description Items with an audit naming this sample and their decision (a verdict PUT or POST /v1/audits alike) */
          done: number;
          /** @description Skipped items without such an audit */
          skipped: number;
          /** @description Neither done nor skipped */
          todo: number;
        }[];
      };
      assignment: {
        /** @enum {string} */
        method: "balanced";
        auditors: string[];
        loads: {
          auditor: string;
          items: number;
        }[];
        balanced: boolean;
        notes: string[];
        assignedAt: string;
        assignedBy: string | null;
      } | null;
      createdBy: string | null;
    };
    SampleItems: {
      sample: string;
      items: components["schemas"]["SampleItem"][];
    };
    SampleItem: {
      /** @description The decision id */
      id: string;
      stratum: string;
      /** @description Position in its stratum's draw order (1 = smallest priority) */
      rank: number;
      /**
       * @description First 8 bytes of SHA-256(seed:id) as 16 hex digits (unsigned big-endian)
       * @example 03f1c2d4e5a6b7c8
       */
      priority: string;
      /** @description The same unsigned 64-bit integer in decimal */
      priorityDecimal: string;
      auditor: string | null;
      queue: string;
      moderator: string;
      label: string | null;
      policy: string | null;
      market: string | null;
      decidedAt: string | null;
      /** @description The extra columns */
      attributes: {
        [key: string]: string | null;
      };
      /** @description The decision's page in the moderation tool (http or https), from the population */
      url: string | null;
      /** @description A short excerpt or caption, from the population */
      content: string | null;
      /**
       * @description The population's `context.<name>` columns of this decision, by name (absent ones left out)
       * @example {
       *       "reporter": "user-9",
       *       "surface": "댓글"
       *     }
       */
      context: {
        [key: string]: string;
      };
    };
    GoldPlacement: {
      share: number;
      perAuditorMin: number;
      /** @description Gold items placed by this assignment */
      items: number;
      /** @description Gold items with verdicts kept from before */
      kept: number;
      byAuditor: {
        auditor: string;
        items: number;
      }[];
    };
    AssignRequest: {
      auditors: string[];
      /**
       * @description Default: "balanced".
       * @enum {string}
       */
      method?: "balanced";
      /** @description Replace an existing assignment (every item's auditor, verdicts and skips kept with their items); without it, a sample already assigned answers 409 already_assigned. Default: false. */
      replace?: boolean;
      /** @description Mix registered gold items (POST /v1/gold) blind into each auditor's items: max(perAuditorMin, round(share × their items)) each, never a gold they moderated or whose decision is in the sample, each at most once, at seeded random places inside its stratum's rows (positions renumbered). 422 not_enough_gold when the pool is too small. Gold items are left out of the sample's estimate and progress; auditors cannot tell them apart. */
      gold?: {
        /** @description Gold items per drawn item of each auditor (e.g. 0.05) */
        share: number;
        /** @description At least this many gold items per auditor with items. Default: 0. */
        perAuditorMin?: number;
      };
    };
    SampleEstimate: {
      sample: string;
      population: string;
      confidence: number;
      method: string;
      drawn: number;
      audited: number;
      /** @description Skipped items (without an audit naming this sample): left out of the estimate */
      skipped: number;
      errors: number;
      rate: number | null;
      lower: number | null;
      upper: number | null;
      standardError: number | null;
      variance: number | null;
      coverage: {
        size: number;
        population: number;
        share: number;
      };
      strata: {
        key: string;
        size: number;
        drawn: number;
        audited: number;
        /** @description Skipped items, left out */
        skipped: number;
        errors: number;
        rate: number | null;
        lower: number | null;
        upper: number | null;
        weight: number | null;
        included: boolean;
      }[];
      byErrorType: {
        errorType: string;
        errors: number;
        rate: number | null;
        lower: number | null;
        upper: number | null;
        standardError: number | null;
        strata: {
          key: string;
          errors: number;
          rate: number | null;
          lower: number | null;
          upper: number | null;
        }[];
      }[];
      warnings: string[];
    };
    DrawExplanation: {
      sample: string;
      decisionId: string;
      hashInput: string;
      sha256: string;
      priority: string;
      priorityDecimal: string;
      stratum: string;
      stratumSize: number;
      stratumN: number;
      cutoff: {
        priority: string;
        decisionId: string;
      } | null;
      drawn: boolean;
      rank: number | null;
      auditor: string | null;
      explanation: string;
    };
    WorkPage: {
      auditor: string;
      items: components["schemas"]["WorkItem"][];
      /** @description null on the last page */
      nextCursor: string | null;
    };
    WorkItem: {
      sampleId: string;
      /** @description 1-based place among the items of the item's auditor in this sample (the whole sample when unassigned): the 17 of 17 / 120 */
      position: number;
      /** @description How many items of this sample the item's auditor has: the 120 of 17 / 120 */
      auditorItems: number;
      /** @description 1-based place in the sample's draw order */
      samplePosition: number;
      /** @description How many items the sample has */
      sampleItems: number;
      decisionId: string;
      /** @description The assigned auditor */
      auditor: string | null;
      stratum: string;
      queue: string | null;
      moderator: string | null;
      /** @description The moderator's action */
      label: string | null;
      policy: string | null;
      market: string | null;
      decidedAt: string | null;
      /** @description The decision's page in the moderation tool */
      url: string | null;
      /** @description A short excerpt or caption */
      content: string | null;
      /** @description The `context.<name>` columns */
      context: {
        [key: string]: string;
      };
      /**
       * @description done: an audit names this sample and decision (however it arrived); skipped: skipped and not done; else todo
       * @enum {string}
       */
      status: "todo" | "done" | "skipped";
      skip: {
        /** @enum {string} */
        reason: "content-unavailable" | "needs-specialist" | "other";
        note: string | null;
        by: string | null;
        at: string | null;
      } | null;
      verdict: components["schemas"]["Verdict"];
    };
    /** @description The latest (by arrival) audit naming this sample and decision, whichever way it arrived; null in an auditor key's own queue while it reviews that audit blind (a dispute's second review) */
    Verdict: {
      /** @description The audit's id (a verdict's is `verdictAuditId`: v-…) */
      auditId: string;
      auditor: string;
      /** @enum {string} */
      outcome: "correct" | "incorrect";
      errorType: string | null;
      severity: number | null;
      correctPolicy: string | null;
      notes: string | null;
      /** @description 1 until corrected */
      revision: number;
      auditedAt: string;
      /** @description Who entered it, when recorded for someone else */
      recordedBy: string | null;
    } | null;
    WorkSummary: {
      auditor: string;
      samples: {
        sampleId: string;
        population: string;
        createdAt: string;
        /** @description The sample's size */
        drawn: number;
        assigned: number;
        done: number;
        skipped: number;
        todo: number;
      }[];
      totals: {
        assigned: number;
        done: number;
        skipped: number;
        todo: number;
      };
      /** @description Disputes' blind second reviews waiting for this auditor (listed by GET /v1/work/reviews) */
      pendingReviews: number;
    };
    VerdictResult: components["schemas"]["WorkItem"] & {
      /** @description false: the same verdict was already stored (nothing written) */
      changed: boolean;
      /** @description The stored verdict's revision */
      revision: number;
    };
    SkipRequest: {
      /** @enum {string} */
      reason: "content-unavailable" | "needs-specialist" | "other";
      note?: string | null;
    };
    ReassignResult: {
      sample: string;
      auditor: string;
      reassigned: {
        decisionId: string;
        from: string | null;
        wasSkipped: boolean;
      }[];
      /** @description Already this auditor's and not skipped */
      unchanged: string[];
      assignment: {
        /** @enum {string} */
        method: "balanced";
        auditors: string[];
        loads: {
          auditor: string;
          items: number;
        }[];
        balanced: boolean;
        notes: string[];
        assignedAt: string;
        assignedBy: string | null;
      };
    };
    ReassignRequest: {
      /** @description Decision ids of the sample's items */
      items: string[];
      auditor: string;
    };
    AlertRule: {
      id: string;
      name: string;
      scope: components["schemas"]["AlertScope"];
      groupBy: ("queue" | "moderator" | "auditor" | "policy" | "market")[];
      condition: components["schemas"]["AlertCondition"];
      /** @enum {string} */
      severity: "info" | "warning" | "critical";
      pendingEvaluations: number;
      keepFiringEvaluations: number;
      repeatInterval: string | null;
      enabled: boolean;
      createdBy: string | null;
      createdAt: string;
      updatedAt: string;
    };
    /** @description Audit filter: only audits matching every field are evaluated */
    AlertScope: {
      queue?: string;
      moderator?: string;
      policy?: string;
      market?: string;
      /**
       * @description Only errors of this type count as errors (as in GET /v1/quality)
       * @enum {string}
       */
      errorType?: "false-positive" | "false-negative" | "wrong-policy" | "other";
    };
    AlertCondition:
      | {
          /** @enum {string} */
          kind: "chart";
          /** @enum {string} */
          type: "p" | "laney-p" | "ewma" | "cusum" | "bernoulli-cusum";
          /** @enum {string} */
          interval: "day" | "week";
          /**
           * @description Rule ids (we-1…we-4, nelson-1…nelson-8 for p and laney-p; ewma; cusum-upper, cusum-lower; bernoulli-cusum). Default: Western Electric for p and laney-p, the chart's own signal for ewma, cusum and bernoulli-cusum.
           * @example [
           *       "we-1",
           *       "we-2"
           *     ]
           */
          rules?: string[];
          /** @description Default: {"periods":20}. */
          baseline?: {
            /** @description Calendar periods before the latest one whose audits estimate the centre and limits (periods without audits are skipped, not zero) */
            periods: number;
          };
          /** @description Where a day begins; default MODQC_TZ */
          timeZone?: string;
          ewma?: components["schemas"]["AlertEwmaDesign"];
          cusum?: components["schemas"]["AlertCusumDesign"];
          bernoulli?: components["schemas"]["AlertBernoulliDesign"];
          /**
           * @description False-discovery control across the rule's groups in one evaluation. Each evaluated group (one with an outcome) gets a one-sided p-value: p, ewma, cusum: the latest period's exact binomial tail P(X ≥ count | n, p̄) against the baseline centre p̄; bernoulli-cusum: the same against the design's p₀; laney-p: the normal upper tail of Laney's z = (p − p̄)/(σ_z·σᵢ). bh: Benjamini–Hochberg (1995) q-values across the m groups evaluated; by: Benjamini–Yekutieli (2001, c(m) = Σ 1/i, any dependence); as R's p.adjust. A group breaches only when its own condition breaches AND its q-value ≤ fdr. none: each group's own condition alone (p is still reported). Default: bh when the rule has a groupBy, else none (a rule with one group has m = 1, q = p). Rules stored before this field existed read as none; a PATCH without a condition keeps the stored value, also when it changes groupBy; a condition sent without it gets the default for the rule's (new) groupBy.
           * @enum {string}
           */
          multiplicity?: "none" | "bh" | "by";
          /** @description The false discovery rate a group's q-value must not exceed (with bh or by). Default: 0.05. */
          fdr?: number;
        }
      | {
          /** @enum {string} */
          kind: "threshold";
          /** @description Highest acceptable error rate */
          maxRate: number;
          window: {
            /** @description Audits of the last `days` × 24 h */
            days: number;
          };
          /** @description Groups with fewer audits in the window are not evaluated (they count as clear). Default: 1. */
          minAudited?: number;
          /**
           * @description point: fires when errors/audited > maxRate. lower-bound: fires only when the lower end of the two-sided Wilson interval is above maxRate. Default: "point".
           * @enum {string}
           */
          evidence?: "point" | "lower-bound";
          /** @description Of the Wilson interval. Default: 0.95. */
          confidence?: number;
          /**
           * @description False-discovery control across the rule's groups in one evaluation. Each evaluated group (one with an outcome) gets a one-sided p-value: the exact binomial tail P(X ≥ errors | audited, maxRate) of the window's audits. bh: Benjamini–Hochberg (1995) q-values across the m groups evaluated; by: Benjamini–Yekutieli (2001, c(m) = Σ 1/i, any dependence); as R's p.adjust. A group breaches only when its own condition breaches AND its q-value ≤ fdr. none: each group's own condition alone (p is still reported). Default: bh when the rule has a groupBy, else none (a rule with one group has m = 1, q = p). Rules stored before this field existed read as none; a PATCH without a condition keeps the stored value, also when it changes groupBy; a condition sent without it gets the default for the rule's (new) groupBy.
           * @enum {string}
           */
          multiplicity?: "none" | "bh" | "by";
          /** @description The false discovery rate a group's q-value must not exceed (with bh or by). Default: 0.05. */
          fdr?: number;
        }
      | {
          /** @enum {string} */
          kind: "agreement";
          /**
           * @description fleiss: Fleiss' kappa; ac1: Gwet's AC1; alpha: Krippendorff's alpha (at the session's level)
           * @enum {string}
           */
          statistic: "fleiss" | "ac1" | "alpha";
          /** @description Fires when the coefficient is below this */
          below: number;
        }
      | {
          /** @enum {string} */
          kind: "audit";
          /** @description Only errors of at least this severity (1–4); an audit without a severity does not meet it */
          minSeverity?: number;
          /** @description Only errors of one of these types */
          errorTypes?: ("false-positive" | "false-negative" | "wrong-policy" | "other")[];
          /** @description Only audits whose (applied) policy is one of these */
          policies?: string[];
          /** @description Only audits of one of these queues */
          queues?: string[];
        }
      | {
          /** @enum {string} */
          kind: "auditor-accuracy";
          /** @description Fires for an auditor when the upper end of the two-sided Wilson interval of its accuracy on gold items is below this */
          below: number;
          /** @description Auditors with fewer scored gold verdicts in the window are not evaluated (they count as clear). Default: 20. */
          minGold?: number;
          /** @description Default: {"days":30}. */
          window?: {
            /** @description Gold verdicts recorded in the last `days` × 24 h */
            days: number;
          };
          /** @description Of the Wilson interval. Default: 0.95. */
          confidence?: number;
        };
    /** @description Design of an ewma chart condition; stored with L, shift and the ARLs filled in. Refused with the other chart types. */
    AlertEwmaDesign: {
      /** @description Smoothing weight λ, default 0.2 */
      lambda?: number;
      /** @description Limit width in σ of the EWMA statistic; default 3, or derived from targetArl0 */
      L?: number;
      /** @description Instead of L: the in-control ARL in periods to reach (L is derived from it; an L sent is replaced) */
      targetArl0?: number;
      /** @description The shift to detect in σ of one period's proportion, (0, 10], default 1: arl1 is the ARL after it */
      shift?: number;
      /** @description Set by the service: in-control ARL in periods (any value sent is replaced) */
      arl0?: number;
      /** @description Set by the service: ARL in periods after a shift of `shift` σ (any value sent is replaced) */
      arl1?: number;
    };
    /** @description Design of a cusum chart condition; stored with k, h, shift and the ARLs filled in. Refused with the other chart types. */
    AlertCusumDesign: {
      /** @description Reference value in σ; default half the shift */
      k?: number;
      /** @description Decision interval in σ; default 5, or derived from targetArl0 */
      h?: number;
      /** @description Instead of h: the in-control ARL in periods to reach (h is derived from it; an h sent is replaced) */
      targetArl0?: number;
      /** @description The shift to detect in σ of one period's proportion, (0, 10], default 1: arl1 is the ARL after it */
      shift?: number;
      /** @description Set by the service: in-control ARL in periods (any value sent is replaced) */
      arl0?: number;
      /** @description Set by the service: ARL in periods after a shift of `shift` σ (any value sent is replaced) */
      arl1?: number;
    };
    /** @description Design of a bernoulli-cusum chart condition (Reynolds & Stoumbos 1999, γ rounded to 1/m): required with that type, refused with the others */
    AlertBernoulliDesign: {
      /** @description In-control error rate p₀ */
      p0: number;
      /** @description Error rate p₁ > p₀ to detect */
      p1?: number;
      /** @description Instead of p1: p₁ = OR·p₀/(1 − p₀ + OR·p₀); default 2. Stored as p1. */
      oddsRatio?: number;
      /** @description Decision interval (rounded up to a multiple of γ = 1/m); derived from targetArl0 when that is given */
      h?: number;
      /** @description Instead of h: the in-control ARL in audits (zero-state; the smallest h on the grid reaching it). Default 10,000 when neither is given */
      targetArl0?: number;
      /** @description Set by the service: zero-state ARL at p₀ in audits (any value sent is replaced) */
      arl0?: number;
      /** @description Set by the service: zero-state ARL at p₁ in audits (any value sent is replaced) */
      arl1?: number;
    };
    NewAlertRule: {
      name: string;
      scope?: components["schemas"]["AlertScope"];
      /** @description One alert per group, e.g. ["moderator"]. Default: []. */
      groupBy?: ("queue" | "moderator" | "auditor" | "policy" | "market")[];
      condition: components["schemas"]["AlertCondition"];
      /** @enum {string} */
      severity: "info" | "warning" | "critical";
      /** @description Consecutive breaching evaluations before firing. Default: 1. */
      pendingEvaluations?: number;
      /** @description Consecutive clear evaluations before resolving. Default: 1. */
      keepFiringEvaluations?: number;
      /**
       * @description ISO 8601 duration (PnW, PnDTnHnMnS) between re-notifications while firing; null: never
       * @example PT4H
       */
      repeatInterval?: string | null;
      /** @description Default: true. */
      enabled?: boolean;
    };
    AlertRulePreview: {
      ruleId: string | null;
      /** @enum {string} */
      kind: "chart" | "threshold" | "agreement" | "audit" | "auditor-accuracy";
      days: number;
      timeZone: string;
      /** @description Start of the first day */
      from: string;
      /** @description End of the last day (the start of today) */
      to: string;
      evaluations: {
        /** @description The local day at whose end the rule was evaluated */
        date: string;
        /** @description Breaching groups (at most 50 listed) */
        firing: {
          labels: {
            [key: string]: string;
          };
          value: number | null;
          threshold: number | null;
          signal: string[] | null;
        }[];
        firingCount: number;
      }[];
      daysFiring: number;
      groupsFiring: number;
      /** @description Alerts that would have fired, the pending and keep-firing counters applied to the evaluations */
      alertsWouldOpen: number;
      /**
       * @description daily_evaluations: chart and threshold rules evaluated once at the end of each day (the service evaluates on every ingest and every minute; counters count days here); each_session: agreement rules on each session closed in the days; each_audit: one alert per matching audit
       * @enum {string}
       */
      note: "daily_evaluations" | "each_session" | "each_audit";
    };
    /** @description Either `ruleId` (a stored rule) or the fields of a NewAlertRule (as POST /v1/alert-rules takes them), plus `days` */
    AlertRulePreviewRequest: {
      /** @description A stored rule to preview */
      ruleId?: string;
      /** @description Evaluate at the end of each of the last `days` complete days (in the rule's zone). Default: 30. */
      days?: number;
    } & {
      [key: string]: unknown;
    };
    /** @description Fields to change; a condition is replaced whole */
    AlertRulePatch: {
      name?: string;
      scope?: components["schemas"]["AlertScope"];
      groupBy?: ("queue" | "moderator" | "auditor" | "policy" | "market")[];
      condition?: components["schemas"]["AlertCondition"];
      /** @enum {string} */
      severity?: "info" | "warning" | "critical";
      /** @description Consecutive breaching evaluations before firing */
      pendingEvaluations?: number;
      /** @description Consecutive clear evaluations before resolving */
      keepFiringEvaluations?: number;
      /**
       * @description ISO 8601 duration (PnW, PnDTnHnMnS) between re-notifications while firing; null: never
       * @example PT4H
       */
      repeatInterval?: string | null;
      enabled?: boolean;
    };
    Alert: {
      id: string;
      ruleId: string;
      ruleName: string;
      /** @enum {string} */
      severity: "info" | "warning" | "critical";
      /** @description 16 hex digits of SHA-256(rule id, group labels) */
      fingerprint: string;
      /** @description The group (groupBy fields); for an audit rule, the audit id (`audit`) and its `queue` */
      labels: {
        [key: string]: string | null;
      };
      /** @enum {string} */
      state: "pending" | "firing" | "resolved";
      /** @description Error rate (chart, threshold) or coefficient (agreement); null for audit rules */
      value: number | null;
      /** @description maxRate (threshold) or below (agreement); null for audit rules */
      threshold: number | null;
      /** @description Run-rule ids of the latest point (chart) */
      signal: string[] | null;
      summary: string;
      /** @description Every number of the summary as a field, by `kind` (with `breach`): threshold — `window` {days, from, to}, audited, errors, rate, Wilson `interval`, maxRate, evidence, minAudited; chart — type, interval, timeZone, `period` (label) with `periodFrom`/`periodTo` (its instants), count, n, `point` (value, limits, CUSUM sums), baseline, rules, sigmaMultiplier; threshold and chart (issue 16) — multiplicity, fdr, `p` (the group's one-sided p-value), `q` (its Benjamini–Hochberg/–Yekutieli q-value across the groups of the evaluation; null with none), groupsTested (m), groupsBreaching (R), expectedFalseAlerts (fdr × R; null with none), `suppressed` (true when the group's own condition breached but q > fdr); agreement — statistic, value, interval, below, calibration {id, name, closedAt}; audit — the audit with its revision; auditor-accuracy — `window`, gold, correct, accuracy, Wilson `interval`, below, minGold, byErrorType. Alerts stored before a field was added lack it. */
      evidence: {
        [key: string]: unknown;
      };
      /** @description The matching /v1/charts, /v1/quality or report query, or the audit's history */
      link: string | null;
      /** @description First breaching evaluation of this alert */
      startsAt: string;
      firedAt: string | null;
      resolvedAt: string | null;
      resolution: string | null;
      lastEvaluatedAt: string;
      lastNotifiedAt: string | null;
      breachingEvaluations: number;
      clearEvaluations: number;
      acknowledged: boolean;
      acknowledgedAt: string | null;
      acknowledgedBy: string | null;
      ackNote: string | null;
    };
    CreatedWebhook: components["schemas"]["Webhook"] & {
      /** @description The signing secret. Shown only in this answer: store it now. */
      secret: string;
    };
    Webhook: {
      id: string;
      url: string;
      events: (
        | "alert.firing"
        | "alert.resolved"
        | "alert.acknowledged"
        | "calibration.closed"
        | "dispute.opened"
        | "dispute.resolved"
      )[];
      /** @enum {string} */
      format: "modqc" | "alertmanager" | "alertmanager-api" | "slack";
      enabled: boolean;
      createdBy: string | null;
      createdAt: string;
      updatedAt: string;
    };
    NewWebhook: {
      /** @example https://hooks.example.com/modqc */
      url: string;
      /** @description Events to send (default: every event the format can express) */
      events?: (
        | "alert.firing"
        | "alert.resolved"
        | "alert.acknowledged"
        | "calibration.closed"
        | "dispute.opened"
        | "dispute.resolved"
      )[];
      /**
       * @description modqc: documented JSON; alertmanager: Alertmanager webhook payload v4 (alert events only); alertmanager-api: postable alerts POSTed to an Alertmanager's /api/v2/alerts (the URL names it or the Alertmanager's base; alert events only; firing alerts re-sent every MODQC_ALERTMANAGER_REFRESH_MS); slack: incoming-webhook message. Default: "modqc".
       * @enum {string}
       */
      format?: "modqc" | "alertmanager" | "alertmanager-api" | "slack";
      /** @description HMAC-SHA256 signing secret (generated when absent). Shown only in the 201 answer. */
      secret?: string;
    };
    WebhookPatch: {
      enabled?: boolean;
      /** @description Events to send (default: every event the format can express) */
      events?: (
        | "alert.firing"
        | "alert.resolved"
        | "alert.acknowledged"
        | "calibration.closed"
        | "dispute.opened"
        | "dispute.resolved"
      )[];
    };
    WebhookDelivery: {
      /** @description The Modqc-Delivery header of every attempt */
      id: string;
      webhookId: string;
      /** @enum {string} */
      event:
        | "alert.firing"
        | "alert.resolved"
        | "alert.acknowledged"
        | "calibration.closed"
        | "dispute.opened"
        | "dispute.resolved";
      alertId: string | null;
      /** @enum {string} */
      status: "pending" | "delivered" | "failed" | "dead";
      attemptCount: number;
      createdAt: string;
      nextAttemptAt: string | null;
      lastAttemptAt: string | null;
      lastStatusCode: number | null;
      lastError: string | null;
      finishedAt: string | null;
      redeliveryOf: string | null;
      attempts: {
        attempt: number;
        at: string;
        statusCode: number | null;
        latencyMs: number;
        error: string | null;
        /** @enum {string} */
        outcome: "delivered" | "retry" | "failed" | "dead";
      }[];
      /** @description The JSON body sent */
      payload?: unknown;
    };
  };
  responses: never;
  parameters: never;
  requestBodies: never;
  headers: never;
  pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
  getHealth: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The service is up and its database answers */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Health"];
        };
      };
    };
  };
  listKeys: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description All keys, revoked ones included */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            keys: components["schemas"]["ApiKey"][];
          };
        };
      };
      /** @description Missing, unknown or revoked API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The key's role may not do this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  createKey: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["NewApiKey"];
      };
    };
    responses: {
      /** @description The new key, with its secret */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["CreatedApiKey"];
        };
      };
      /** @description Malformed JSON, or a field that fails validation (details lists each field and its path) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing, unknown or revoked API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The key's role may not do this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  revokeKey: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The revoked key */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ApiKey"];
        };
      };
      /** @description Missing, unknown or revoked API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The key's role may not do this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  getMe: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The key the request was made with (never its secret) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Me"];
        };
      };
      /** @description Missing, unknown or revoked API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  calculateSampleSize: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["SampleSizeRequest"];
      };
    };
    responses: {
      /** @description The sample size */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["SampleSizeResult"];
        };
      };
      /** @description Malformed JSON, or a field that fails validation (details lists each field and its path) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Valid request that cannot be carried out (the message says why) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  calculateInterval: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["IntervalRequest"];
      };
    };
    responses: {
      /** @description The estimate and its interval */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["IntervalResult"];
        };
      };
      /** @description Malformed JSON, or a field that fails validation (details lists each field and its path) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  calculateAllocation: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["AllocationRequest"];
      };
    };
    responses: {
      /** @description Integer allocation summing to the total */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["AllocationResult"];
        };
      };
      /** @description Malformed JSON, or a field that fails validation (details lists each field and its path) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  listAudits: {
    parameters: {
      query?: {
        /** @description Audited on or after: a date (start of that day in tz) or an ISO 8601 date-time with offset */
        from?: string;
        /** @description Audited up to: a date (through the end of that day in tz) or a date-time (exclusive) */
        to?: string;
        queue?: string;
        moderator?: string;
        auditor?: string;
        policy?: string;
        market?: string;
        /** @description Only errors of this type count as errors */
        errorType?: "false-positive" | "false-negative" | "wrong-policy" | "other";
        sampleId?: string;
        /** @description IANA time zone where a day begins, default MODQC_TZ */
        tz?: string;
        /** @description Only the audits with this verdict */
        outcome?: "correct" | "incorrect";
        /** @description Only the audits with a severity of at least this (audits without one are left out) */
        minSeverity?: number;
        /** @description Only the audit with this id (an audit's page reads its facts this way) */
        id?: string;
        /** @description nextCursor from the previous page */
        cursor?: string;
        limit?: number;
        format?: "json" | "csv" | "ndjson" | "xlsx";
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page of audits and the cursor for the next page; or every selected audit as a file */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["AuditPage"];
          "text/csv": string;
          "application/x-ndjson": string;
          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": string;
        };
      };
      /** @description Malformed JSON, or a field that fails validation (details lists each field and its path) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing, unknown or revoked API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The key's role may not do this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  uploadAudits: {
    parameters: {
      query?: {
        /** @description IANA time zone of a CSV's spreadsheet date-times (default MODQC_TZ) */
        tz?: string;
        /** @description The body's encoding when it is not UTF-8 (wins over Content-Type's charset parameter): utf-8, utf8, us-ascii, utf-16, utf-16le, utf-16be, cp949, euc-kr, windows-949, ks_c_5601-1987, ms949. euc-kr is read as its superset CP949 (Excel's plain CSV on Korean Windows). Anything else → 400 unsupported_charset. */
        charset?: string;
        /** @description true: store audits even when they look like a spreadsheet's mangled copy of stored ones (no 409 suspected_duplicate) */
        allowNewIds?: "true" | "false";
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["Audit"] | components["schemas"]["Audit"][];
        "application/x-ndjson": string;
        "text/csv": string;
      };
    };
    responses: {
      /** @description Committed: how many were new and how many were exact duplicates */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["IngestResult"];
        };
      };
      /** @description Malformed JSON, or a field that fails validation (details lists each field and its path) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing, unknown or revoked API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The key's role may not do this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Request body over the limit */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Unsupported content type (the description lists the accepted ones) */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  correctAudit: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["AuditRevisionRequest"];
      };
    };
    responses: {
      /** @description Committed (or nothing to change) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["AuditRevisionResult"];
        };
      };
      /** @description Malformed JSON, or a field that fails validation (details lists each field and its path) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing, unknown or revoked API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The key's role may not do this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  getAuditHistory: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Revision 1 is the audit as first recorded */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["AuditHistory"];
        };
      };
      /** @description Missing, unknown or revoked API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The key's role may not do this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  disputeAudit: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The audit's id */
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["NewDispute"];
      };
    };
    responses: {
      /** @description Opened */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Dispute"];
        };
      };
      /** @description Malformed JSON, or a field that fails validation (details lists each field and its path) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing, unknown or revoked API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The key's role may not do this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  getDisputeStats: {
    parameters: {
      query?: {
        /** @description Audited on or after: a date (start of that day in tz) or an ISO 8601 date-time with offset */
        from?: string;
        /** @description Audited up to: a date (through the end of that day in tz) or a date-time (exclusive) */
        to?: string;
        /** @description IANA time zone where a day begins, default MODQC_TZ */
        tz?: string;
        queue?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The statistics */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["DisputeStats"];
        };
      };
      /** @description Malformed JSON, or a field that fails validation (details lists each field and its path) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing, unknown or revoked API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The key's role may not do this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  listDisputes: {
    parameters: {
      query?: {
        /** @description Audited on or after: a date (start of that day in tz) or an ISO 8601 date-time with offset */
        from?: string;
        /** @description Audited up to: a date (through the end of that day in tz) or a date-time (exclusive) */
        to?: string;
        /** @description IANA time zone where a day begins, default MODQC_TZ */
        tz?: string;
        state?: "open" | "escalated" | "upheld" | "overturned";
        moderator?: string;
        /** @description The disputed audits' auditor (lead and admin keys) */
        auditor?: string;
        reviewer?: string;
        queue?: string;
        /** @description nextCursor from the previous page */
        cursor?: string;
        limit?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page; nextCursor null on the last */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["DisputePage"];
        };
      };
      /** @description Malformed JSON, or a field that fails validation (details lists each field and its path) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing, unknown or revoked API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The key's role may not do this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  getDispute: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The dispute's id */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The dispute */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Dispute"];
        };
      };
      /** @description Missing, unknown or revoked API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The key's role may not do this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  reviewDispute: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The dispute's id */
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["DisputeReview"];
      };
    };
    responses: {
      /** @description Recorded: the dispute, no longer blind */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Dispute"];
        };
      };
      /** @description Malformed JSON, or a field that fails validation (details lists each field and its path) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing, unknown or revoked API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The key's role may not do this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  decideDispute: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The dispute's id */
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["DisputeDecision"];
      };
    };
    responses: {
      /** @description Decided */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Dispute"];
        };
      };
      /** @description Malformed JSON, or a field that fails validation (details lists each field and its path) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing, unknown or revoked API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The key's role may not do this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  listReviewWork: {
    parameters: {
      query?: {
        /** @description Whose reviews: required for lead and admin keys */
        auditor?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The reviews to record */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ReviewQueue"];
        };
      };
      /** @description Malformed JSON, or a field that fails validation (details lists each field and its path) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing, unknown or revoked API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The key's role may not do this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  listFindings: {
    parameters: {
      query?: {
        /** @description Audited on or after: a date (start of that day in tz) or an ISO 8601 date-time with offset */
        from?: string;
        /** @description Audited up to: a date (through the end of that day in tz) or a date-time (exclusive) */
        to?: string;
        queue?: string;
        /** @description Whose findings: required for lead and admin keys; a moderator key reads only its own */
        moderator?: string;
        policy?: string;
        market?: string;
        /** @description Only errors of this type count as errors */
        errorType?: "false-positive" | "false-negative" | "wrong-policy" | "other";
        sampleId?: string;
        /** @description IANA time zone where a day begins, default MODQC_TZ */
        tz?: string;
        outcome?: "incorrect" | "correct" | "all";
        /** @description true: only findings marked read; false: only unread ones */
        read?: "true" | "false";
        cursor?: string;
        limit?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page of findings and the cursor of the next one */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["FindingsPage"];
        };
      };
      /** @description Malformed JSON, or a field that fails validation (details lists each field and its path) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing, unknown or revoked API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The key's role may not do this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  listUnreadFindings: {
    parameters: {
      query?: {
        /** @description Audited on or after: a date (start of that day in tz) or an ISO 8601 date-time with offset */
        from?: string;
        /** @description Audited up to: a date (through the end of that day in tz) or a date-time (exclusive) */
        to?: string;
        queue?: string;
        moderator?: string;
        policy?: string;
        market?: string;
        /** @description Only errors of this type count as errors */
        errorType?: "false-positive" | "false-negative" | "wrong-policy" | "other";
        sampleId?: string;
        /** @description IANA time zone where a day begins, default MODQC_TZ */
        tz?: string;
        limit?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Unread errors per moderator */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["UnreadFindings"];
        };
      };
      /** @description Malformed JSON, or a field that fails validation (details lists each field and its path) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing, unknown or revoked API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The key's role may not do this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Valid request that cannot be carried out (the message says why) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  acknowledgeFinding: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Marked read */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["FindingRead"];
        };
      };
      /** @description Missing, unknown or revoked API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The key's role may not do this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  getScorecard: {
    parameters: {
      query?: {
        /** @description Audited on or after: a date (start of that day in tz) or an ISO 8601 date-time with offset */
        from?: string;
        /** @description Audited up to: a date (through the end of that day in tz) or a date-time (exclusive) */
        to?: string;
        /** @description IANA time zone where a day begins, default MODQC_TZ */
        tz?: string;
        queue?: string;
      };
      header?: never;
      path: {
        /** @description The moderator, as in audits */
        moderator: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The scorecard (zeros and nulls when the moderator has no audits in the period) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Scorecard"];
        };
      };
      /** @description Malformed JSON, or a field that fails validation (details lists each field and its path) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing, unknown or revoked API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The key's role may not do this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Valid request that cannot be carried out (the message says why) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  listScorecards: {
    parameters: {
      query?: {
        /** @description Audited on or after: a date (start of that day in tz) or an ISO 8601 date-time with offset */
        from?: string;
        /** @description Audited up to: a date (through the end of that day in tz) or a date-time (exclusive) */
        to?: string;
        /** @description IANA time zone where a day begins, default MODQC_TZ */
        tz?: string;
        queue?: string;
        sort?: "shrunken" | "raw";
        /** @description desc: the highest error rate first */
        order?: "asc" | "desc";
        format?: "json" | "csv" | "xlsx";
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The moderators in the requested order */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ScorecardList"];
          "text/csv": string;
          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": string;
        };
      };
      /** @description Malformed JSON, or a field that fails validation (details lists each field and its path) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing, unknown or revoked API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The key's role may not do this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Valid request that cannot be carried out (the message says why) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  listTargets: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The targets */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["QueueTargets"];
        };
      };
      /** @description Missing, unknown or revoked API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  setTarget: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The queue, as in audits (URL-encoded) */
        queue: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": {
          /** @description Error-rate target, strictly between 0 and 1 */
          target: number;
        };
      };
    };
    responses: {
      /** @description The queue's target */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["QueueTarget"];
        };
      };
      /** @description Malformed JSON, or a field that fails validation (details lists each field and its path) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing, unknown or revoked API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The key's role may not do this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  deleteTarget: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The queue, as in audits (URL-encoded) */
        queue: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The removed target and the one that applies now */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["QueueTargetCleared"];
        };
      };
      /** @description Malformed JSON, or a field that fails validation (details lists each field and its path) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing, unknown or revoked API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The key's role may not do this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  listGold: {
    parameters: {
      query?: {
        /** @description Include retired gold items */
        retired?: "true" | "false";
        /** @description nextCursor of the previous page */
        cursor?: string;
        limit?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description One page */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["GoldPage"];
        };
      };
      /** @description Malformed JSON, or a field that fails validation (details lists each field and its path) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing, unknown or revoked API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The key's role may not do this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  registerGold: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["GoldRequest"];
      };
    };
    responses: {
      /** @description Registered */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["GoldRegistered"];
        };
      };
      /** @description Malformed JSON, or a field that fails validation (details lists each field and its path) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing, unknown or revoked API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The key's role may not do this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  retireGold: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The retired gold item */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["GoldItem"];
        };
      };
      /** @description Missing, unknown or revoked API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The key's role may not do this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  listSampleGold: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The sample's gold items in order */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["SampleGold"];
        };
      };
      /** @description Missing, unknown or revoked API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The key's role may not do this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  listAuditorAccuracy: {
    parameters: {
      query?: {
        /** @description Audited on or after: a date (start of that day in tz) or an ISO 8601 date-time with offset */
        from?: string;
        /** @description Audited up to: a date (through the end of that day in tz) or a date-time (exclusive) */
        to?: string;
        /** @description IANA time zone where a day begins, default MODQC_TZ */
        tz?: string;
        /** @description Only this auditor */
        auditor?: string;
        /** @description Only gold items of this queue */
        queue?: string;
        /** @description Of the Wilson intervals */
        confidence?: number;
        format?: "json" | "csv" | "xlsx";
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The auditors, by name */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["AuditorAccuracyReport"];
          "text/csv": string;
          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": string;
        };
      };
      /** @description Malformed JSON, or a field that fails validation (details lists each field and its path) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing, unknown or revoked API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The key's role may not do this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  getQuality: {
    parameters: {
      query?: {
        /** @description Audited on or after: a date (start of that day in tz) or an ISO 8601 date-time with offset */
        from?: string;
        /** @description Audited up to: a date (through the end of that day in tz) or a date-time (exclusive) */
        to?: string;
        queue?: string;
        moderator?: string;
        auditor?: string;
        policy?: string;
        market?: string;
        /** @description Only errors of this type count as errors */
        errorType?: "false-positive" | "false-negative" | "wrong-policy" | "other";
        sampleId?: string;
        /** @description IANA time zone where a day begins, default MODQC_TZ */
        tz?: string;
        /** @description Comma-separated: queue, moderator, auditor, policy, market, sampleId */
        groupBy?: string;
        confidence?: number;
        method?: "wald" | "wilson" | "clopper-pearson" | "agresti-coull" | "jeffreys";
        /** @description Weights of severities 1–4 (four numbers > 0 and ≤ 1000000, comma-separated): adds the severity-weighted error index I = Σ w(severity)·[error] / audited to every row, with its interval (delta method on log I); an error without a severity weighs as severity 1 */
        weights?: string;
        /** @description An error-rate limit: each group gets `p` = P(X ≥ errors | audited, limit) (exact one-sided binomial), `q` (p adjusted across the groups, see `multiplicity`) and `flagged` (q ≤ fdr); also in the CSV/XLSX columns p, q, flagged */
        limit?: number | null;
        /** @description False discovery rate of `flagged` (default 0.05); only with `limit` (else 400 naming fdr) */
        fdr?: number;
        /** @description bh: Benjamini–Hochberg (default), by: Benjamini–Yekutieli (any dependence), as R's p.adjust; only with `limit` */
        multiplicity?: "bh" | "by";
        format?: "json" | "csv" | "xlsx";
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Rates per group */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["QualityReport"];
          "text/csv": string;
          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": string;
        };
      };
      /** @description Malformed JSON, or a field that fails validation (details lists each field and its path) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing, unknown or revoked API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The key's role may not do this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  getStoredChart: {
    parameters: {
      query?: {
        /** @description Audited on or after: a date (start of that day in tz) or an ISO 8601 date-time with offset */
        from?: string;
        /** @description Audited up to: a date (through the end of that day in tz) or a date-time (exclusive) */
        to?: string;
        queue?: string;
        moderator?: string;
        auditor?: string;
        policy?: string;
        market?: string;
        /** @description Only errors of this type count as errors */
        errorType?: "false-positive" | "false-negative" | "wrong-policy" | "other";
        sampleId?: string;
        /** @description IANA time zone where a day begins, default MODQC_TZ */
        tz?: string;
        type?: "p" | "np" | "c" | "u" | "laney-p" | "laney-u" | "ewma" | "cusum" | "bernoulli-cusum";
        interval?: "day" | "week" | "month";
        /** @description western-electric (default), nelson, none, or comma-separated rule ids such as we-1,nelson-3 */
        rules?: string;
        /** @description Periods that estimate the centre and limits: FROM..TO, each a period index or a date (YYYY-MM-DD) */
        baseline?: string;
        /** @description Comma-separated starts of new phases (e.g. a policy update): period indices or dates */
        phases?: string;
        /** @description Comma-separated period indices or dates left out of the estimate */
        exclude?: string;
        standard?: number | null;
        sigma?: number;
        lambda?: number;
        L?: number;
        k?: number | null;
        h?: number;
        /** @description bernoulli-cusum only: "audit" for one point per audit in time order (at most 50000 audits, else 422 too_expensive), "period" (default) for one point per interval */
        per?: "period" | "audit";
        /** @description bernoulli-cusum: in-control error rate (default `standard`, else the baseline's rate) */
        p0?: number;
        /** @description bernoulli-cusum: error rate to detect */
        p1?: number;
        /** @description bernoulli-cusum: instead of p1, p₁ = OR·p₀/(1 − p₀ + OR·p₀) (default 2) */
        oddsRatio?: number;
        /** @description bernoulli-cusum: instead of h, the in-control ARL in audits to reach (default 10,000) */
        targetArl0?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The chart */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["StoredChartResult"];
        };
      };
      /** @description Malformed JSON, or a field that fails validation (details lists each field and its path) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing, unknown or revoked API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The key's role may not do this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  getStoredFunnel: {
    parameters: {
      query?: {
        /** @description Audited on or after: a date (start of that day in tz) or an ISO 8601 date-time with offset */
        from?: string;
        /** @description Audited up to: a date (through the end of that day in tz) or a date-time (exclusive) */
        to?: string;
        queue?: string;
        moderator?: string;
        auditor?: string;
        policy?: string;
        market?: string;
        /** @description Only errors of this type count as errors */
        errorType?: "false-positive" | "false-negative" | "wrong-policy" | "other";
        sampleId?: string;
        /** @description IANA time zone where a day begins, default MODQC_TZ */
        tz?: string;
        by?: "moderator" | "auditor" | "queue" | "policy" | "market";
        target?: number;
        method?: "exact" | "normal";
        overdispersion?: "none" | "multiplicative";
        /** @description Units with fewer audits are listed with `belowMinimum: true` but neither flagged nor counted in the target, limits and overdispersion */
        minAudited?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description POST /v1/funnel's result over the units with at least minAudited audits, and the smaller units unflagged */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["StoredFunnelResult"];
        };
      };
      /** @description Malformed JSON, or a field that fails validation (details lists each field and its path) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing, unknown or revoked API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The key's role may not do this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  computeFunnel: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["FunnelRequest"];
      };
    };
    responses: {
      /** @description Units with rate, z and band, and the limit curves */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["FunnelResult"];
        };
      };
      /** @description Malformed JSON, or a field that fails validation (details lists each field and its path) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Valid request that cannot be carried out (the message says why) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  getPolicyConfusion: {
    parameters: {
      query?: {
        /** @description Audited on or after: a date (start of that day in tz) or an ISO 8601 date-time with offset */
        from?: string;
        /** @description Audited up to: a date (through the end of that day in tz) or a date-time (exclusive) */
        to?: string;
        queue?: string;
        moderator?: string;
        auditor?: string;
        policy?: string;
        market?: string;
        sampleId?: string;
        /** @description IANA time zone where a day begins, default MODQC_TZ */
        tz?: string;
        /** @description Confidence level of the intervals */
        confidence?: number;
        format?: "json" | "csv";
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The matrix and the per-policy rates */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["PolicyConfusion"];
          "text/csv": string;
        };
      };
      /** @description Malformed JSON, or a field that fails validation (details lists each field and its path) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing, unknown or revoked API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The key's role may not do this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Valid request that cannot be carried out (the message says why) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  getPolicyImpact: {
    parameters: {
      query: {
        queue?: string;
        moderator?: string;
        auditor?: string;
        market?: string;
        /** @description Only errors of this type count as errors */
        errorType?: "false-positive" | "false-negative" | "wrong-policy" | "other";
        sampleId?: string;
        /** @description IANA time zone where a day begins, default MODQC_TZ */
        tz?: string;
        /** @description The applied policy that was updated */
        policy: string;
        /** @description The first day of 'after' (YYYY-MM-DD in tz) */
        at: string;
        /** @description Calendar days on each side (in tz) */
        days?: number;
        /** @description Confidence level of the intervals */
        confidence?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Both sides and their comparison */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["PolicyImpact"];
        };
      };
      /** @description Malformed JSON, or a field that fails validation (details lists each field and its path) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing, unknown or revoked API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The key's role may not do this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Valid request that cannot be carried out (the message says why) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  computeChart: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["ChartRequest"];
      };
    };
    responses: {
      /** @description Points with centre, limits and signals */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ChartResult"];
        };
      };
      /** @description Malformed JSON, or a field that fails validation (details lists each field and its path) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Valid request that cannot be carried out (the message says why) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  compareRates: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["CompareRequest"];
      };
    };
    responses: {
      /** @description b − a with its interval and tests */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["CompareResult"];
        };
      };
      /** @description Malformed JSON, or a field that fails validation (details lists each field and its path) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Valid request that cannot be carried out (the message says why) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  designChart: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["ChartDesignRequest"];
      };
    };
    responses: {
      /** @description ARL₀, ARL₁, the chain's states and convergence */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ChartDesignResult"];
        };
      };
      /** @description Malformed JSON, or a field that fails validation (details lists each field and its path) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Valid request that cannot be carried out (the message says why) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  computeAgreement: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["AgreementRequest"];
      };
    };
    responses: {
      /** @description Every coefficient; null with an undefinedReason when undefined */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["AgreementResult"];
        };
      };
      /** @description Malformed JSON, or a field that fails validation (details lists each field and its path) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Valid request that cannot be carried out (the message says why) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  listCalibrations: {
    parameters: {
      query?: {
        status?: "open" | "closed";
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Sessions (no labels) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            calibrations: components["schemas"]["Calibration"][];
          };
        };
      };
      /** @description Malformed JSON, or a field that fails validation (details lists each field and its path) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing, unknown or revoked API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The key's role may not do this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  createCalibration: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["NewCalibration"];
      };
    };
    responses: {
      /** @description The new session, open */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Calibration"];
        };
      };
      /** @description Malformed JSON, or a field that fails validation (details lists each field and its path) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing, unknown or revoked API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The key's role may not do this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  getCalibration: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The session */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["CalibrationDetail"];
        };
      };
      /** @description Malformed JSON, or a field that fails validation (details lists each field and its path) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing, unknown or revoked API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The key's role may not do this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  getCalibrationRatings: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
        rater: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The rater's labels */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["RaterRatings"];
        };
      };
      /** @description Malformed JSON, or a field that fails validation (details lists each field and its path) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing, unknown or revoked API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The key's role may not do this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  putCalibrationRatings: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
        rater: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["RatingsUpdate"];
      };
    };
    responses: {
      /** @description Counts written and cleared, and the rater's progress */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["RatingsWriteResult"];
        };
      };
      /** @description Malformed JSON, or a field that fails validation (details lists each field and its path) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing, unknown or revoked API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The key's role may not do this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  addCalibrationRatings: {
    parameters: {
      query?: {
        /** @description The body's encoding when it is not UTF-8 (wins over Content-Type's charset parameter): utf-8, utf8, us-ascii, utf-16, utf-16le, utf-16be, cp949, euc-kr, windows-949, ks_c_5601-1987, ms949. euc-kr is read as its superset CP949 (Excel's plain CSV on Korean Windows). Anything else → 400 unsupported_charset. */
        charset?: string;
      };
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "text/csv": string;
      };
    };
    responses: {
      /** @description Counts written and cleared, and the progress of each rater in the file */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["RatingsImportResult"];
        };
      };
      /** @description Malformed JSON, or a field that fails validation (details lists each field and its path) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing, unknown or revoked API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The key's role may not do this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Request body over the limit */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Unsupported content type (the description lists the accepted ones) */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  closeCalibration: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The closed session */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Calibration"];
        };
      };
      /** @description Malformed JSON, or a field that fails validation (details lists each field and its path) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing, unknown or revoked API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The key's role may not do this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  getCalibrationReport: {
    parameters: {
      query?: {
        /** @description Default unweighted */
        weights?: "unweighted" | "linear" | "quadratic";
        confidence?: number;
        /** @description csv, xlsx: the item table only */
        format?: "json" | "csv" | "xlsx";
      };
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The report */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["CalibrationReport"];
          "text/csv": string;
          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": string;
        };
      };
      /** @description Malformed JSON, or a field that fails validation (details lists each field and its path) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing, unknown or revoked API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The key's role may not do this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Valid request that cannot be carried out (the message says why) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  computeLatentClass: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["LatentClassRequest"];
      };
    };
    responses: {
      /** @description The fit */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["LatentClassResult"];
        };
      };
      /** @description Malformed JSON, or a field that fails validation (details lists each field and its path) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Valid request that cannot be carried out (the message says why) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  getCalibrationLatentClass: {
    parameters: {
      query?: {
        /** @description fixed (default) or ignored */
        gold?: "fixed" | "ignored";
      };
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The fit over the session */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["CalibrationLatentClass"];
        };
      };
      /** @description Malformed JSON, or a field that fails validation (details lists each field and its path) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing, unknown or revoked API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The key's role may not do this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Valid request that cannot be carried out (the message says why) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  listPopulations: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description All populations, oldest first */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            populations: components["schemas"]["PopulationSummary"][];
          };
        };
      };
      /** @description Missing, unknown or revoked API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The key's role may not do this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  uploadPopulation: {
    parameters: {
      query?: {
        /** @description A label for people */
        name?: string;
        /** @description The body's encoding when it is not UTF-8 (wins over Content-Type's charset parameter): utf-8, utf8, us-ascii, utf-16, utf-16le, utf-16be, cp949, euc-kr, windows-949, ks_c_5601-1987, ms949. euc-kr is read as its superset CP949 (Excel's plain CSV on Korean Windows). Anything else → 400 unsupported_charset. */
        charset?: string;
        /** @description An .xlsx upload: the IANA time zone of its date cells (default MODQC_TZ) */
        tz?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "text/csv": string;
        "application/x-ndjson": string;
      };
    };
    responses: {
      /** @description Stored: the id, the row count and each attribute's distinct values */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["PopulationSummary"];
        };
      };
      /** @description Malformed JSON, or a field that fails validation (details lists each field and its path) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing, unknown or revoked API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The key's role may not do this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Request body over the limit */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Unsupported content type (the description lists the accepted ones) */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  getPopulation: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The population */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Population"];
        };
      };
      /** @description Missing, unknown or revoked API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The key's role may not do this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  deletePopulation: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Deleted, with its decisions */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            id: string;
            name: string | null;
            count: number;
            deleted: boolean;
          };
        };
      };
      /** @description Missing, unknown or revoked API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The key's role may not do this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  listSamples: {
    parameters: {
      query?: {
        /** @description Only this population's */
        population?: string;
        /** @description Only samples whose name contains this text (case-insensitive) */
        q?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Samples, oldest first */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            samples: components["schemas"]["SampleSummary"][];
          };
        };
      };
      /** @description Malformed JSON, or a field that fails validation (details lists each field and its path) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing, unknown or revoked API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The key's role may not do this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  drawSample: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["DrawRequest"];
      };
    };
    responses: {
      /** @description The sample: id, seed, n and each stratum's size and n */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["SampleCreated"];
        };
      };
      /** @description Malformed JSON, or a field that fails validation (details lists each field and its path) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing, unknown or revoked API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The key's role may not do this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  getSample: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The sample */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Sample"];
        };
      };
      /** @description Missing, unknown or revoked API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The key's role may not do this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  deleteSample: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Deleted */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            id: string;
            deleted: boolean;
          };
        };
      };
      /** @description Missing, unknown or revoked API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The key's role may not do this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  listSampleItems: {
    parameters: {
      query?: {
        format?: "json" | "csv" | "xlsx";
        /** @description `audit` (with format=csv or xlsx): the audit template to fill in and upload back to POST /v1/audits, instead of the items */
        template?: "audit";
        /** @description Only this auditor's items */
        auditor?: string;
        /** @description Only this stratum's items */
        stratum?: string;
        /** @description format=xlsx: the IANA time zone of the `decidedAt` date cells (default MODQC_TZ) */
        tz?: string;
      };
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Items in draw order (by stratum, then rank) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["SampleItems"];
          "text/csv": string;
          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": string;
        };
      };
      /** @description Malformed JSON, or a field that fails validation (details lists each field and its path) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing, unknown or revoked API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The key's role may not do this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  assignSample: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["AssignRequest"];
      };
    };
    responses: {
      /** @description The assignment (`gold`: what was mixed in, only in this lead's answer) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            /** @enum {string} */
            method: "balanced";
            auditors: string[];
            loads: {
              auditor: string;
              items: number;
            }[];
            balanced: boolean;
            notes: string[];
            assignedAt: string;
            assignedBy: string | null;
            sample: string;
            n: number;
            gold?: components["schemas"]["GoldPlacement"];
          };
        };
      };
      /** @description Malformed JSON, or a field that fails validation (details lists each field and its path) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing, unknown or revoked API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The key's role may not do this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Valid request that cannot be carried out (the message says why) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  getSampleEstimate: {
    parameters: {
      query?: {
        confidence?: number;
      };
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The estimate */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["SampleEstimate"];
        };
      };
      /** @description Malformed JSON, or a field that fails validation (details lists each field and its path) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing, unknown or revoked API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The key's role may not do this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  explainSample: {
    parameters: {
      query: {
        decisionId: string;
      };
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The draw rule applied to this decision */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["DrawExplanation"];
        };
      };
      /** @description Malformed JSON, or a field that fails validation (details lists each field and its path) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing, unknown or revoked API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The key's role may not do this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  listWork: {
    parameters: {
      query?: {
        /** @description Only this sample's items */
        sample?: string;
        /** @description Which items (default todo) */
        status?: "todo" | "done" | "skipped" | "all";
        /** @description Whose work: required for lead and admin keys; an auditor key sees its own rater's (naming another → 403) */
        auditor?: string;
        /** @description nextCursor from the previous page */
        cursor?: string;
        limit?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page of items */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["WorkPage"];
        };
      };
      /** @description Malformed JSON, or a field that fails validation (details lists each field and its path) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing, unknown or revoked API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The key's role may not do this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  getWorkSummary: {
    parameters: {
      query?: {
        /** @description Whose work: required for lead and admin keys; an auditor key sees its own rater's (naming another → 403) */
        auditor?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Samples by id, and the totals */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["WorkSummary"];
        };
      };
      /** @description Malformed JSON, or a field that fails validation (details lists each field and its path) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing, unknown or revoked API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The key's role may not do this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  recordVerdict: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The sample id */
        id: string;
        /** @description The drawn decision's id, URL-encoded (`encodeURIComponent`) */
        itemId: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["VerdictRequest"];
      };
    };
    responses: {
      /** @description Unchanged, or stored as a new revision */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["VerdictResult"];
        };
      };
      /** @description Stored as a new audit: the item with its verdict */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["VerdictResult"];
        };
      };
      /** @description Malformed JSON, or a field that fails validation (details lists each field and its path) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing, unknown or revoked API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The key's role may not do this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Request body over the limit */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Unsupported content type (the description lists the accepted ones) */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  skipItem: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The sample id */
        id: string;
        /** @description The drawn decision's id, URL-encoded (`encodeURIComponent`) */
        itemId: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["SkipRequest"];
      };
    };
    responses: {
      /** @description The item, skipped */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["WorkItem"];
        };
      };
      /** @description Malformed JSON, or a field that fails validation (details lists each field and its path) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing, unknown or revoked API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The key's role may not do this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  unskipItem: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The sample id */
        id: string;
        /** @description The drawn decision's id, URL-encoded (`encodeURIComponent`) */
        itemId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The item */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["WorkItem"];
        };
      };
      /** @description Missing, unknown or revoked API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The key's role may not do this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  reassignItems: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The sample id */
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["ReassignRequest"];
      };
    };
    responses: {
      /** @description What changed */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ReassignResult"];
        };
      };
      /** @description Malformed JSON, or a field that fails validation (details lists each field and its path) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing, unknown or revoked API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The key's role may not do this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  listAlertRules: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description All rules, oldest first */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            rules: components["schemas"]["AlertRule"][];
          };
        };
      };
      /** @description Missing, unknown or revoked API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The key's role may not do this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  createAlertRule: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["NewAlertRule"];
      };
    };
    responses: {
      /** @description The rule, with defaults filled in */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["AlertRule"];
        };
      };
      /** @description Malformed JSON, or a field that fails validation (details lists each field and its path) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing, unknown or revoked API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The key's role may not do this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  previewAlertRule: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["AlertRulePreviewRequest"];
      };
    };
    responses: {
      /** @description Day by day, the groups that would have fired */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["AlertRulePreview"];
        };
      };
      /** @description Malformed JSON, or a field that fails validation (details lists each field and its path) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing, unknown or revoked API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The key's role may not do this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Valid request that cannot be carried out (the message says why) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  getAlertRule: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The rule */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["AlertRule"];
        };
      };
      /** @description Missing, unknown or revoked API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The key's role may not do this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  deleteAlertRule: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The deleted rule */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["AlertRule"];
        };
      };
      /** @description Missing, unknown or revoked API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The key's role may not do this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  updateAlertRule: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["AlertRulePatch"];
      };
    };
    responses: {
      /** @description The changed rule */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["AlertRule"];
        };
      };
      /** @description Malformed JSON, or a field that fails validation (details lists each field and its path) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing, unknown or revoked API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The key's role may not do this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  listAlerts: {
    parameters: {
      query?: {
        state?: "pending" | "firing" | "resolved";
        /** @description A rule id */
        rule?: string;
        /** @description Alerts still open at or after this instant (not resolved before it): a date (in tz) or date-time */
        from?: string;
        /** @description Alerts started before this instant (exclusive) */
        to?: string;
        tz?: string;
        limit?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The alerts */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            alerts: components["schemas"]["Alert"][];
          };
        };
      };
      /** @description Malformed JSON, or a field that fails validation (details lists each field and its path) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing, unknown or revoked API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The key's role may not do this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  getAlert: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The alert */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Alert"];
        };
      };
      /** @description Missing, unknown or revoked API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The key's role may not do this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  acknowledgeAlert: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        "application/json": {
          note?: string;
        };
      };
    };
    responses: {
      /** @description The acknowledged alert */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Alert"];
        };
      };
      /** @description Malformed JSON, or a field that fails validation (details lists each field and its path) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing, unknown or revoked API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The key's role may not do this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  listWebhooks: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description All webhooks */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            webhooks: components["schemas"]["Webhook"][];
          };
        };
      };
      /** @description Missing, unknown or revoked API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The key's role may not do this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  createWebhook: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["NewWebhook"];
      };
    };
    responses: {
      /** @description The webhook with its secret */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["CreatedWebhook"];
        };
      };
      /** @description Malformed JSON, or a field that fails validation (details lists each field and its path) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing, unknown or revoked API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The key's role may not do this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  getWebhook: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The webhook */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Webhook"];
        };
      };
      /** @description Missing, unknown or revoked API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The key's role may not do this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  deleteWebhook: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The deleted webhook */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Webhook"];
        };
      };
      /** @description Missing, unknown or revoked API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The key's role may not do this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  updateWebhook: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["WebhookPatch"];
      };
    };
    responses: {
      /** @description The webhook */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Webhook"];
        };
      };
      /** @description Malformed JSON, or a field that fails validation (details lists each field and its path) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing, unknown or revoked API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The key's role may not do this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  disableWebhook: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The webhook */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Webhook"];
        };
      };
      /** @description Missing, unknown or revoked API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The key's role may not do this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  enableWebhook: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The webhook */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Webhook"];
        };
      };
      /** @description Missing, unknown or revoked API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The key's role may not do this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  listWebhookDeliveries: {
    parameters: {
      query?: {
        status?: "pending" | "delivered" | "failed" | "dead";
        limit?: number;
      };
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The deliveries */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            deliveries: components["schemas"]["WebhookDelivery"][];
          };
        };
      };
      /** @description Malformed JSON, or a field that fails validation (details lists each field and its path) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing, unknown or revoked API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The key's role may not do this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  redeliverDelivery: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The new delivery, queued */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["WebhookDelivery"];
        };
      };
      /** @description Missing, unknown or revoked API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The key's role may not do this */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Conflicts with the current state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
}
