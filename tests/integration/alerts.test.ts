// Delivery alerts end to end: deliveries and logs written by hand, checks run (lifecycle hook, checkNow), alerts
// received by a real SMTP server, recorded as rows, emitted as events, never twice, never breaking a write.
import { ACTIONS, UID } from '../../shared/constants';
import type { AlertEvent } from '../../shared/contracts/monitoring';
import { api } from '../helpers/campaigns';
import { insertDelivery, insertLogs, stopSending } from '../helpers/fixtures';
import { startTestSmtpServer, type TestSmtpServer } from '../helpers/smtp-server';
import { bootTestApp, type TestApp } from '../helpers/strapi';

const OPS = 'ops@alerts.test';
const REFUSED = 'refused@alerts.test';
const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);

describe('delivery alerts', () => {
  let app: TestApp;
  let smtp: TestSmtpServer;
  let token: string;
  const events: AlertEvent[] = [];
  const alertsService = () => app.strapi.plugin('campaigns').service('alerts') as any;
  const settingsService = () => app.strapi.plugin('campaigns').service('settings') as any;
  const rowsOf = (criterion: string) => app.strapi.db.query(UID.alert).findMany({ where: { criterion } });
  const mailsAbout = (subject: string) => smtp.messages.filter((message) => message.subject === subject);

  beforeAll(async () => {
    smtp = await startTestSmtpServer({
      faults: (rcpt) =>
        rcpt === REFUSED ? { code: 550, message: '5.1.1 <refused@alerts.test>: Recipient address rejected' } : null,
    });
    app = await bootTestApp({
      pluginConfig: {
        smtp: { host: smtp.host, port: smtp.port },
        defaultFrom: { name: 'Acme news', email: 'news@acme.test' },
        alerts: {
          recipients: [OPS],
          roles: [],
          minProcessed: 10,
          criteria: { deliveryStarted: { enabled: true }, deliveryFinished: { enabled: true } },
        },
      },
    });
    await stopSending(app.strapi);
    // The test runs the checks itself; the minute cron task would only race it (harmlessly: alerts are deduplicated).
    app.strapi.cron.remove('campaigns::alerts');
    app.strapi.eventHub.on('campaigns.alert', async (payload: unknown) => {
      events.push(payload as AlertEvent);
    });
    token = await app.superAdminToken();
  });
  afterAll(async () => {
    await app?.destroy();
    await smtp?.close();
  });

  /** A delivery that started sending three hours ago (outside the "started" lookback), with its logs. */
  const sendingDelivery = async (name: string, data: Record<string, unknown> = {}) =>
    insertDelivery(app.strapi, {
      name,
      status: 'sending',
      startedAt: minutesAgo(180),
      preparedAt: minutesAgo(179),
      ...data,
    });

  const expectRaisedOnce = async (criterion: string, deliveryId: number, subject: string) => {
    // The lifecycle hook of the delivery's creation may have raised it first, and be sending it still.
    await alertsService().settled();
    const rows = await rowsOf(criterion);
    expect(rows.filter((row: any) => row.deliveryId === deliveryId)).toHaveLength(1);
    const mails = mailsAbout(subject);
    expect(mails).toHaveLength(1);
    expect(mails[0].envelopeTo).toEqual([OPS]);
    expect(mails[0].from?.text).toBe('"Acme news" <news@acme.test>');
    expect(events.filter((event) => event.criterion === criterion && event.deliveryId === deliveryId)).toHaveLength(1);
    return { row: rows[0], mail: mails[0] };
  };

  describe('each criterion raised once, by email, as a row and as an event', () => {
    it('delivery failed: from the lifecycle hook of a delivery update', async () => {
      const delivery = await sendingDelivery('Failing news');
      await app.strapi.db.query(UID.delivery).update({
        where: { id: delivery.id },
        data: {
          status: 'failed',
          finishedAt: new Date(),
          lastError: 'No message could be sent: see the delivery logs',
        },
      });
      await alertsService().settled();

      const { row, mail } = await expectRaisedOnce(
        'deliveryFailed',
        delivery.id,
        '[Campaigns] Delivery failed: Failing news',
      );
      expect(row).toMatchObject({
        message: 'Delivery "Failing news" failed: No message could be sent: see the delivery logs',
        recipients: [{ email: OPS, sent: true }],
        dedupeKey: `deliveryFailed:${delivery.id}:${new Date().toISOString().slice(0, 10)}`,
      });
      expect(mail.text).toContain('Delivery "Failing news" failed: No message could be sent');
      expect(mail.headers.get('x-campaigns-alert')).toBe('deliveryFailed');
      // Both parts link to the delivery's dashboard in the admin, and to the alert settings.
      const dashboard = `/admin/plugins/campaigns/deliveries/${delivery.documentId}`;
      expect(mail.text).toMatch(new RegExp(`Dashboard: https?://[^\\s]+${dashboard}`));
      expect(mail.html).toMatch(new RegExp(`<a href="https?://[^"]+${dashboard}"[^>]*>[\\s\\S]*Open the dashboard`));
      expect(mail.html).toContain('/admin/settings/campaigns"');
      expect(mail.html).toContain('<!--[if mso | IE]>');
      expect(mail.html).not.toContain('{{unsubscribeUrl}}');
      const event = events.find((e) => e.criterion === 'deliveryFailed')!;
      expect(event).toMatchObject({
        deliveryId: delivery.id,
        delivery: { documentId: delivery.documentId, name: 'Failing news' },
      });
    });

    it('preparation failed: a transition written straight through knex (no lifecycle) is found by the check', async () => {
      const delivery = await insertDelivery(app.strapi, {
        name: 'Broken template',
        status: 'preparing',
        startedAt: minutesAgo(1),
      });
      await app.strapi.db
        .connection(app.strapi.db.metadata.get(UID.delivery).tableName)
        .where('id', delivery.id)
        .update({
          status: 'failed',
          last_error: 'The message cannot be composed: unknown variable {{nope}}',
          finished_at: new Date(),
        });

      await alertsService().checkNow();

      const { row } = await expectRaisedOnce(
        'preparationFailed',
        delivery.id,
        '[Campaigns] Delivery preparation failed: Broken template',
      );
      expect(row.message).toBe(
        'Delivery "Broken template" could not be prepared: The message cannot be composed: unknown variable {{nope}}',
      );
    });

    it('soft bounce ratio above 5 %', async () => {
      const delivery = await sendingDelivery('Soft bounces');
      await insertLogs(app.strapi, delivery.id, [
        ...Array.from({ length: 18 }, () => ({ status: 'sent' as const, sentAt: minutesAgo(60) })),
        { status: 'failed', failureType: 'soft' },
        { status: 'failed', failureType: 'soft' },
      ]);

      await alertsService().checkNow();

      const { row } = await expectRaisedOnce(
        'softBounceRatio',
        delivery.id,
        '[Campaigns] Soft bounce ratio above threshold: Soft bounces',
      );
      expect(row.message).toBe(
        'Delivery "Soft bounces": soft bounces are 10 % of processed messages (2 of 20), above the 5 % threshold.',
      );
    });

    it('hard bounce ratio above 5 %: failures while sending and bounces reported later', async () => {
      const delivery = await sendingDelivery('Hard bounces');
      await insertLogs(app.strapi, delivery.id, [
        ...Array.from({ length: 17 }, () => ({ status: 'sent' as const, sentAt: minutesAgo(60) })),
        { status: 'failed', failureType: 'hard' },
        { status: 'bounced', failureType: 'hard', sentAt: minutesAgo(60) },
        { status: 'bounced', failureType: null, sentAt: minutesAgo(60) },
      ]);

      await alertsService().checkNow();

      const { row } = await expectRaisedOnce(
        'hardBounceRatio',
        delivery.id,
        '[Campaigns] Hard bounce ratio above threshold: Hard bounces',
      );
      expect(row.message).toContain('hard bounces are 15 % of processed messages (3 of 20)');
    });

    it('scheduled delivery not started 30 minutes after its time', async () => {
      const delivery = await insertDelivery(app.strapi, {
        name: 'Late start',
        status: 'scheduled',
        scheduledAt: minutesAgo(45),
      });

      await alertsService().checkNow();

      const { row } = await expectRaisedOnce(
        'scheduledNotStarted',
        delivery.id,
        '[Campaigns] Scheduled delivery not started: Late start',
      );
      expect(row.message).toMatch(
        /^Delivery "Late start" was due at .+ and has not started sending after 4[56] minutes \(threshold 30 minutes\); it is scheduled\.$/,
      );
    });

    it('throughput below 10 messages per minute while recipients wait', async () => {
      const delivery = await sendingDelivery('Slow send');
      await insertLogs(app.strapi, delivery.id, [
        ...Array.from({ length: 5 }, () => ({ status: 'sent' as const, sentAt: minutesAgo(2) })),
        ...Array.from({ length: 10 }, () => ({ status: 'pending' as const })),
      ]);

      await alertsService().checkNow();

      const { row } = await expectRaisedOnce(
        'throughputBelow',
        delivery.id,
        '[Campaigns] Delivery throughput below floor: Slow send',
      );
      expect(row.message).toBe(
        'Delivery "Slow send" sent 1 messages per minute over the last 5 minutes, below the floor of 10; 10 recipients are waiting.',
      );
    });

    it('delivery started: from the lifecycle hook of the created delivery', async () => {
      const delivery = await insertDelivery(app.strapi, {
        name: 'Just started',
        status: 'sending',
        startedAt: new Date(),
        preparedAt: new Date(),
      });
      await alertsService().settled();

      const { row } = await expectRaisedOnce(
        'deliveryStarted',
        delivery.id,
        '[Campaigns] Delivery started: Just started',
      );
      expect(row.message).toMatch(/^Delivery "Just started" started sending at \d{4}-\d\d-\d\dT/);
    });

    it('delivery finished, with a summary of its indicators', async () => {
      const delivery = await insertDelivery(app.strapi, {
        name: 'All done',
        status: 'sending',
        startedAt: minutesAgo(300),
        preparedAt: minutesAgo(300),
      });
      await insertLogs(app.strapi, delivery.id, [
        { status: 'sent' },
        { status: 'sent' },
        { status: 'sent' },
        { status: 'excluded' },
      ]);
      await app.strapi.db
        .query(UID.delivery)
        .update({ where: { id: delivery.id }, data: { status: 'sent', finishedAt: new Date() } });
      await alertsService().settled();

      const { mail } = await expectRaisedOnce(
        'deliveryFinished',
        delivery.id,
        '[Campaigns] Delivery finished: All done',
      );
      expect(mail.text).toContain('Targeted: 4 (excluded: 1)');
      expect(mail.text).toContain('Delivered: 3 (100 %)');
      expect(mail.text).toContain('Unique opens: 0 (open rate 0 %)');
    });
  });

  it('a second check the same day raises nothing again: no row, no email, no event', async () => {
    const rows = await app.strapi.db.query(UID.alert).count({});
    const mails = smtp.messages.length;
    const emitted = events.length;

    const raised = await alertsService().checkNow();

    expect(raised).toEqual([]);
    expect(await app.strapi.db.query(UID.alert).count({})).toBe(rows);
    expect(smtp.messages.length).toBe(mails);
    expect(events.length).toBe(emitted);
  });

  it('checks racing each other (hook, cron, another process) raise one alert', async () => {
    const delivery = await sendingDelivery('Raced');
    await app.strapi.db
      .connection(app.strapi.db.metadata.get(UID.delivery).tableName)
      .where('id', delivery.id)
      .update({ status: 'failed', finished_at: new Date() });

    await Promise.all([
      alertsService().checkNow(),
      alertsService().checkDelivery(delivery.id),
      alertsService().checkDelivery(delivery.id),
    ]);
    await alertsService().settled();

    expect((await rowsOf('deliveryFailed')).filter((row: any) => row.deliveryId === delivery.id)).toHaveLength(1);
    expect(mailsAbout('[Campaigns] Delivery failed: Raced')).toHaveLength(1);
  });

  it('goes to the admins of the chosen roles as well as to the listed addresses', async () => {
    await settingsService().set({ alerts: { roles: ['strapi-super-admin'] } });
    const delivery = await sendingDelivery('For the admins');

    await app.strapi.db
      .query(UID.delivery)
      .update({ where: { id: delivery.id }, data: { status: 'failed', finishedAt: new Date() } });
    await alertsService().settled();

    const mails = mailsAbout('[Campaigns] Delivery failed: For the admins');
    expect(mails.map((mail) => mail.envelopeTo[0]).sort()).toEqual(['admin@campaigns.test', OPS]);
    await settingsService().set({ alerts: { roles: [] } });
  });

  it('a refused alert email never breaks the delivery update, and the row says who did not get it', async () => {
    await settingsService().set({ alerts: { recipients: [REFUSED, OPS] } });
    const delivery = await sendingDelivery('Refused alert');

    const updated = await app.strapi.db.query(UID.delivery).update({
      where: { id: delivery.id },
      data: { status: 'failed', finishedAt: new Date() },
    });
    await alertsService().settled();

    expect(updated.status).toBe('failed');
    const [row] = (await rowsOf('deliveryFailed')).filter((r: any) => r.deliveryId === delivery.id);
    expect(row.recipients).toEqual([
      { email: OPS, sent: true },
      { email: REFUSED, sent: false, error: expect.stringContaining('550') },
    ]);
    await settingsService().set({ alerts: { recipients: [OPS] } });
  });

  it('a transport that is down never breaks the delivery update either', async () => {
    await settingsService().set({ smtp: { port: 1 } });
    const delivery = await sendingDelivery('Transport down');

    const updated = await app.strapi.db.query(UID.delivery).update({
      where: { id: delivery.id },
      data: { status: 'failed', finishedAt: new Date() },
    });
    await alertsService().settled();

    expect(updated.status).toBe('failed');
    const [row] = (await rowsOf('deliveryFailed')).filter((r: any) => r.deliveryId === delivery.id);
    expect(row.recipients).toEqual([{ email: OPS, sent: false, error: expect.any(String) }]);
    await settingsService().set({ smtp: { port: smtp.port } });
  });

  it("offers the alert event to Strapi's webhooks (Settings > Webhooks)", () => {
    expect((app.strapi.get('webhookStore') as any).getAllowedEvent('CAMPAIGNS_ALERT')).toBe('campaigns.alert');
  });

  it('a criterion switched off raises nothing', async () => {
    await settingsService().set({ alerts: { criteria: { scheduledNotStarted: { enabled: false } } } });
    const delivery = await insertDelivery(app.strapi, {
      name: 'Late but quiet',
      status: 'scheduled',
      scheduledAt: minutesAgo(120),
    });

    await alertsService().checkNow();

    expect((await rowsOf('scheduledNotStarted')).filter((row: any) => row.deliveryId === delivery.id)).toHaveLength(0);
    await settingsService().set({ alerts: { criteria: { scheduledNotStarted: { enabled: true } } } });
  });

  describe('GET /campaigns/alerts', () => {
    it('lists the alerts newest first, paginated, with their delivery', async () => {
      const total = await app.strapi.db.query(UID.alert).count({});
      const res = await api(app, token).get('/alerts?pageSize=3');

      expect(res.status).toBe(200);
      expect(res.body.meta.pagination).toEqual({ page: 1, pageSize: 3, pageCount: Math.ceil(total / 3), total });
      expect(res.body.data).toHaveLength(3);
      const times = res.body.data.map((alert: any) => Date.parse(alert.at));
      expect([...times].sort((a, b) => b - a)).toEqual(times);
      expect(res.body.data[0]).toEqual({
        id: expect.any(Number),
        documentId: expect.any(String),
        criterion: expect.any(String),
        deliveryId: expect.any(Number),
        delivery: { documentId: expect.any(String), name: expect.any(String) },
        message: expect.any(String),
        recipients: expect.any(Array),
        at: expect.any(String),
      });
    });

    it('filters by criterion and by delivery', async () => {
      const [failed] = await rowsOf('preparationFailed');
      const delivery = await app.strapi.db.query(UID.delivery).findOne({ where: { id: failed.deliveryId } });

      const byCriterion = await api(app, token).get('/alerts?criterion=preparationFailed');
      const byDelivery = await api(app, token).get(`/alerts?delivery=${delivery.documentId}`);

      expect(byCriterion.body.data.map((a: any) => a.criterion)).toEqual(['preparationFailed']);
      expect(byDelivery.body.data.map((a: any) => a.criterion)).toEqual(['preparationFailed']);
      expect((await api(app, token).get('/alerts?criterion=rainy')).status).toBe(400);
    });

    it('needs the read action', async () => {
      expect((await api(app, await app.adminTokenWith([])).get('/alerts')).status).toBe(403);
      expect((await api(app, await app.adminTokenWith([ACTIONS.read])).get('/alerts')).status).toBe(200);
    });
  });

  describe('GET /campaigns/monitoring', () => {
    it('shows the deliveries sending, waiting and just ended, with progress, throughput, errors and alerts', async () => {
      const res = await api(app, token).get('/monitoring');

      expect(res.status).toBe(200);
      const byName = new Map(res.body.data.deliveries.map((d: any) => [d.name, d]));
      const slow: any = byName.get('Slow send');
      expect(slow).toMatchObject({
        status: 'sending',
        counters: { targeted: 15, sent: 5, pending: 10 },
        progress: 0.3333,
        throughputPerMinute: 1,
        errors: { failedHard: 0, failedSoft: 0, bounced: 0, retrying: 0 },
      });
      expect(slow.alerts.map((a: any) => a.criterion)).toEqual(['throughputBelow']);
      expect(byName.get('Hard bounces')).toMatchObject({ errors: { failedHard: 1, bounced: 2 } });
      expect(byName.get('Late start')).toMatchObject({ status: 'scheduled' });
      expect(byName.get('All done')).toMatchObject({ status: 'sent', progress: 1 });
      // Sending first, then preparing, paused, scheduled, then the ended ones.
      const statuses = res.body.data.deliveries.map((d: any) => d.status);
      expect(statuses.indexOf('sending')).toBeLessThan(statuses.indexOf('scheduled'));
      expect(statuses.indexOf('scheduled')).toBeLessThan(statuses.indexOf('sent'));
    });

    it('lists the alerts of the last 24 hours and the health of the transport', async () => {
      const res = await api(app, token).get('/monitoring');

      expect(res.body.data.alerts.length).toBeGreaterThanOrEqual(8);
      expect(res.body.data.transport).toMatchObject({ ok: true, messenger: 'smtp', checkedAt: expect.any(String) });
      expect(res.body.data.process).toMatchObject({ sending: [], preparing: [], tracking: expect.any(Object) });
    });

    it('needs the read action', async () => {
      expect((await api(app, await app.adminTokenWith([])).get('/monitoring')).status).toBe(403);
    });
  });
});
