// Delivery indicators (Adobe Campaign's definitions), computed by server/src/reporting/indicator-formulas.ts.

export interface Indicators {
  targeted: number;
  excluded: number;
  pending: number;
  /**
   * sent + failed + bounced + unknown: every message the sender is done with. An unknown message counts here only:
   * neither delivered nor failed, so it lowers the rates over processed messages.
   */
  processed: number;
  unknown: number;
  sent: number;
  /** Same as sent: a bounced message is not delivered. */
  delivered: number;
  failed: number;
  failedHard: number;
  failedSoft: number;
  bounced: number;
  bouncedHard: number;
  bouncedSoft: number;
  /** failed + bounced, and its hard and soft parts. */
  bounces: number;
  hardBounces: number;
  softBounces: number;
  uniqueOpens: number;
  uniqueClicks: number;
  uniqueUnsubscriptions: number;
  uniqueMirrorViews: number;
  /**
   * Open-pixel loads plus one implied open per message with a reaction but no pixel load (Adobe Campaign's formula,
   * server/src/reporting/indicator-formulas.ts): never fewer than uniqueOpens.
   */
  opens: number;
  clicks: number;
  unsubscriptions: number;
  mirrorViews: number;
  /** delivered / processed */
  deliveredRate: number;
  /** bounces / processed, then its hard and soft parts */
  bounceRate: number;
  hardBounceRate: number;
  softBounceRate: number;
  /** uniqueOpens / delivered */
  openRate: number;
  /** uniqueClicks / delivered */
  clickThroughRate: number;
  /** uniqueClicks / uniqueOpens (click-to-open) */
  reactivity: number;
  /** uniqueUnsubscriptions / delivered */
  unsubscriptionRate: number;
}
