// What each report metric reads, which dimensions can split it, and a row's metrics from summed counts.
import { addCounts, mergeRows, metricsOf, ownCounts, planReport } from '../../server/src/reporting/report-metrics';
import { previewHtml } from '../../server/src/reporting/report-preview';

describe('planning a report', () => {
  it.each([
    [['day'], ['opens'], { logs: false, events: ['opens', 'uniqueOpens', 'uniquePixelOpens'] }],
    [['client', 'domain'], ['uniqueOpens'], { logs: false, events: ['uniqueOpens'] }],
    [['delivery'], ['delivered', 'bounceRate'], { logs: true, events: [] }],
    [['domain'], ['openRate', 'reactivity'], { logs: true, events: ['uniqueOpens', 'uniqueClicks'] }],
    [['failureReason'], ['bounces'], { logs: true, events: [] }],
  ] as const)('%j x %j', (dimensions, metrics, plan) => {
    expect(planReport([...dimensions], [...metrics])).toEqual(plan);
  });

  it.each([
    [['client'], ['delivered'], /delivered count delivery logs, which have no client/],
    [['link'], ['openRate'], /openRate count delivery logs, which have no link/],
    [['failureReason'], ['uniqueClicks'], /uniqueClicks count tracking events, which have no failureReason/],
  ] as const)('refuses %j x %j', (dimensions, metrics, message) => {
    const plan = planReport([...dimensions], [...metrics]);
    expect('error' in plan && plan.error).toMatch(message);
  });
});

describe('metrics of a row', () => {
  it('counts opens as Adobe does: pixel loads plus one per reader who reacted without loading the pixel', () => {
    // 5 pixel loads by 3 readers; 4 readers reacted in all (one clicked with images blocked).
    expect(metricsOf({ opens: 5, uniqueOpens: 4, uniquePixelOpens: 3 }, ['opens', 'uniqueOpens'])).toEqual({
      opens: 6,
      uniqueOpens: 4,
    });
  });

  it('computes rates from the summed counts, with the indicators formulas', () => {
    const counts = {
      targeted: 10,
      excluded: 1,
      sent: 6,
      failedHard: 1,
      failedSoft: 1,
      bounced: 1,
      bouncedHard: 1,
      bouncedSoft: 0,
      uniqueOpens: 3,
      uniqueClicks: 1,
    };
    expect(
      metricsOf(counts, [
        'processed',
        'delivered',
        'bounces',
        'deliveredRate',
        'openRate',
        'clickThroughRate',
        'reactivity',
      ]),
    ).toEqual({
      processed: 9,
      delivered: 6,
      bounces: 3,
      deliveredRate: 0.6667,
      openRate: 0.5,
      clickThroughRate: 0.1667,
      reactivity: 0.3333,
    });
  });

  it('answers 0, not NaN, for a rate over nothing', () => {
    expect(metricsOf({ uniqueOpens: 2 }, ['openRate', 'uniqueOpens'])).toEqual({ openRate: 0, uniqueOpens: 2 });
  });
});

describe("delivery logs' own counts from their status and failure type", () => {
  const zero = {
    targeted: 0,
    excluded: 0,
    pending: 0,
    sent: 0,
    failedHard: 0,
    failedSoft: 0,
    bounced: 0,
    bouncedHard: 0,
    bouncedSoft: 0,
    unknown: 0,
  };
  it.each([
    ['sent', null, { sent: 4 }],
    ['excluded', null, { excluded: 4 }],
    ['pending', 'soft', { pending: 4 }],
    ['unknown', null, { unknown: 4 }],
    ['failed', 'hard', { failedHard: 4 }],
    // 'ignored' failures (not the recipient's fault) and failures without a type count with the soft ones.
    ['failed', 'ignored', { failedSoft: 4 }],
    ['failed', null, { failedSoft: 4 }],
    ['bounced', 'soft', { bounced: 4, bouncedSoft: 4 }],
    // A bounce of unknown type counts as hard.
    ['bounced', null, { bounced: 4, bouncedHard: 4 }],
  ])('%s, %s', (status, failureType, expected) => {
    expect(ownCounts(status, failureType, { targeted: 4, uniqueOpens: 2 })).toEqual({
      ...zero,
      targeted: 4,
      uniqueOpens: 2,
      ...expected,
    });
  });

  it('adds up to what a group of every status holds', () => {
    const groups: Array<[string, string | null, number]> = [
      ['sent', null, 90],
      ['failed', 'hard', 3],
      ['bounced', 'soft', 2],
      ['bounced', 'hard', 1],
    ];
    const total = groups.reduce(
      (sum, [status, type, n]) => addCounts(sum, ownCounts(status, type, { targeted: n })),
      {},
    );
    expect(total).toEqual({
      ...zero,
      targeted: 96,
      sent: 90,
      failedHard: 3,
      bounced: 3,
      bouncedSoft: 2,
      bouncedHard: 1,
    });
  });
});

describe('rows of the same dimension values merged', () => {
  it('adds the counts of equal values, tells a number from null, and leaves the given rows as they were', () => {
    const first = { values: ['2026-12-01', 7], counts: { sent: 2, opened: 1 } };
    const rows = [
      first,
      { values: ['2026-12-01', '7'], counts: { sent: 3, clicked: 1 } },
      { values: ['2026-12-01', null], counts: { sent: 4 } },
      { values: ['2026-12-02', 7], counts: { sent: 5 } },
    ];
    expect(mergeRows(rows)).toEqual([
      { values: ['2026-12-01', 7], counts: { sent: 5, opened: 1, clicked: 1 } },
      { values: ['2026-12-01', null], counts: { sent: 4 } },
      { values: ['2026-12-02', 7], counts: { sent: 5 } },
    ]);
    expect(first.counts).toEqual({ sent: 2, opened: 1 });
  });
});

describe('hot clicks preview', () => {
  it('removes scripts and handlers, marks tracked links and neutralises every href it rewrote', () => {
    const html = previewHtml(
      '<p onclick="x()">Hi</p><script>alert(1)</script><a href="#campaigns-link-7">Offer</a>' +
        '<a href="javascript:alert(1)">Bad</a><a href="#campaigns-unsubscribe">Unsubscribe</a><a href="https://plain.test/">Plain</a>',
      new Map([[7, 'https://shop.test/offer']]),
    );
    expect(html).not.toMatch(/<script|onclick|javascript:/);
    expect(html).toContain('<a href="#" data-campaigns-link="7" title="https://shop.test/offer">Offer</a>');
    expect(html).toContain('<a href="#" data-campaigns-kind="unsubscribe">Unsubscribe</a>');
    expect(html).toContain('<a href="https://plain.test/">Plain</a>');
  });
});
