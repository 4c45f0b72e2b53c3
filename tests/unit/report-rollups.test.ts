import { rollupsAnswer, type RollupShape } from '../../server/src/reporting/report-rollups';

const shape = (overrides: Partial<RollupShape>): RollupShape => ({
  dimensions: ['delivery'],
  counts: ['opens', 'uniqueOpens', 'uniquePixelOpens', 'clicks', 'uniqueClicks', 'unsubscriptions', 'mirrorViews'],
  period: null,
  filters: {},
  ...overrides,
});

describe('which report queries the rollups answer', () => {
  it('answers all-time counts by delivery or in total', () => {
    expect(rollupsAnswer(shape({}))).toBe(true);
    expect(rollupsAnswer(shape({ dimensions: [] }))).toBe(true);
    expect(rollupsAnswer(shape({ counts: ['uniqueUnsubscriptions', 'uniqueMirrorViews'] }))).toBe(true);
  });

  it('answers totals and unique clicks by tracked link, with or without the delivery', () => {
    expect(rollupsAnswer(shape({ dimensions: ['link'], counts: ['clicks', 'uniqueClicks'] }))).toBe(true);
    expect(rollupsAnswer(shape({ dimensions: ['delivery', 'link'], counts: ['uniqueClicks', 'opens'] }))).toBe(true);
  });

  it('answers unique opens alone by device and client together, with or without the delivery', () => {
    expect(rollupsAnswer(shape({ dimensions: ['client', 'device'], counts: ['uniqueOpens'] }))).toBe(true);
    expect(rollupsAnswer(shape({ dimensions: ['device', 'delivery', 'client'], counts: ['uniqueOpens'] }))).toBe(true);
  });

  it('leaves to the events what the rollups do not hold', () => {
    const period = { from: new Date(0), to: new Date() };
    expect(rollupsAnswer(shape({ period }))).toBe(false);
    expect(rollupsAnswer(shape({ dimensions: ['delivery', 'day'] }))).toBe(false);
    // By link, the rollups hold unique clicks only: unique opens per link would be the messages with any event there.
    expect(rollupsAnswer(shape({ dimensions: ['link'] }))).toBe(false);
    expect(rollupsAnswer(shape({ dimensions: ['link'], counts: ['uniqueOpens'] }))).toBe(false);
    expect(rollupsAnswer(shape({ dimensions: ['entry'], counts: ['clicks'] }))).toBe(false);
    expect(rollupsAnswer(shape({ dimensions: ['client'] }))).toBe(false);
    // A message seen on two devices is one unique open on each: the client alone is not a sum over devices.
    expect(rollupsAnswer(shape({ dimensions: ['client'], counts: ['uniqueOpens'] }))).toBe(false);
    expect(rollupsAnswer(shape({ dimensions: ['client', 'device'], counts: ['uniqueOpens', 'opens'] }))).toBe(false);
    expect(rollupsAnswer(shape({ dimensions: ['client', 'device', 'link'], counts: ['uniqueOpens'] }))).toBe(false);
    expect(rollupsAnswer(shape({ filters: { listIds: [1] } }))).toBe(false);
    expect(rollupsAnswer(shape({ filters: { domains: ['example.com'] } }))).toBe(false);
    expect(rollupsAnswer(shape({ filters: { eventTypes: ['open'] } }))).toBe(false);
  });
});
