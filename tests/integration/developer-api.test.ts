// The programmatic API as an app's code uses it (README, "Programmatic API"): a list filled with contacts, a delivery
// created and sent to a real SMTP server, its indicators read after a real open, a contact unsubscribed.
import type { CampaignsApi } from '../../server/src';
import { UID } from '../../shared/constants';
import { api } from '../helpers/campaigns';
import { startTestSmtpServer, type TestSmtpServer } from '../helpers/smtp-server';
import { bootTestApp, type TestApp } from '../helpers/strapi';
import { UA } from '../helpers/fixtures';

const PUBLIC_URL = 'https://news.example.test';

describe('the programmatic API', () => {
  let smtp: TestSmtpServer;
  let app: TestApp;
  let campaigns: CampaignsApi;

  beforeAll(async () => {
    smtp = await startTestSmtpServer();
    app = await bootTestApp({
      pluginConfig: {
        publicUrl: PUBLIC_URL,
        smtp: { host: smtp.host, port: smtp.port },
        defaultFrom: { name: 'Acme', email: 'news@acme.test' },
      },
    });
    campaigns = app.strapi.plugin('campaigns').service('api') as CampaignsApi;
  });
  afterAll(async () => {
    await app?.destroy();
    await smtp?.close();
  });

  const waitForStatus = async (documentId: string, statuses: string[]) => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const delivery = await campaigns.deliveries.get(documentId);
      if (statuses.includes(delivery.status)) return delivery;
      if (Date.now() > deadline) throw new Error(`still ${delivery.status}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  it('creates a list, sends a delivery to it, reads its indicators and unsubscribes a contact (the README example)', async () => {
    const list = await campaigns.lists.create({ name: 'Customers' });
    const added = await campaigns.lists.addContacts(list.documentId, [
      { email: 'ada@example.com', firstName: 'Ada' },
      { email: 'Alan@Example.com ', firstName: 'Alan', attributes: { tier: 'gold' } },
    ]);
    expect(added).toEqual({ created: 2, updated: 0, total: 2 });

    const delivery = await campaigns.deliveries.create({
      name: 'Welcome',
      subject: 'Hello {{firstName}}',
      html: '<p>Hello {{firstName}}, <a href="https://example.com/start">start here</a>.</p>',
      lists: [list.documentId],
    });
    expect(delivery.status).toBe('draft');
    await campaigns.deliveries.send(delivery.documentId);
    const sent = await waitForStatus(delivery.documentId, ['sent']);
    expect(sent.counters).toMatchObject({ targeted: 2, sent: 2, pending: 0 });

    await smtp.waitFor(2);
    const toAda = smtp.messages.find((m) => m.envelopeTo[0] === 'ada@example.com')!;
    expect(toAda.subject).toBe('Hello Ada');
    expect(smtp.messages.find((m) => m.envelopeTo[0] === 'alan@example.com')!.subject).toBe('Hello Alan');

    // Ada opens the message an hour after it arrived, from Outlook.
    const log = await app.strapi.db.query(UID.deliveryLog).findOne({ where: { email: 'ada@example.com' } });
    await app.strapi.db
      .query(UID.deliveryLog)
      .update({ where: { id: log.id }, data: { sentAt: new Date(Date.now() - 3600_000) } });
    const pixel = /<img src="([^"]+\/api\/campaigns\/o\/[^"]+)"/.exec(toAda.html as string)![1];
    expect((await app.http().get(pixel.slice(PUBLIC_URL.length)).set('User-Agent', UA.outlookWindows)).status).toBe(
      200,
    );

    const { data: indicators, meta } = await campaigns.indicators.get(delivery.documentId, {
      bots: false,
      machine: false,
    });
    expect(indicators).toMatchObject({ delivered: 2, uniqueOpens: 1, opens: 1, openRate: 0.5 });
    expect(meta.delivery.documentId).toBe(delivery.documentId);

    const result = await campaigns.contacts.unsubscribe('alan@example.com');
    expect(result).toMatchObject({ email: 'alan@example.com', changed: true });
    const alan = await app.strapi.db.query(UID.contact).findOne({ where: { email: 'alan@example.com' } });
    expect(alan).toMatchObject({ status: 'unsubscribed', statusReason: 'unsubscribed by the application' });
    expect((await campaigns.contacts.unsubscribe(alan.documentId)).changed).toBe(false);
  });

  it('adding contacts again upserts by email: fields updated, status kept, no duplicate', async () => {
    const list = await campaigns.lists.create({ name: 'VIP' });
    await campaigns.lists.addContacts(list.documentId, [{ email: 'grace@example.com', firstName: 'Grace' }]);
    await campaigns.contacts.unsubscribe('grace@example.com');
    const again = await campaigns.lists.addContacts(list.documentId, [
      { email: 'GRACE@example.com', lastName: 'Hopper' },
      { email: 'linus@example.com' },
    ]);
    expect(again).toEqual({ created: 1, updated: 1, total: 2 });
    const grace = await app.strapi.db
      .query(UID.contact)
      .findMany({ where: { email: 'grace@example.com' }, populate: { lists: true } });
    expect(grace).toHaveLength(1);
    expect(grace[0]).toMatchObject({ firstName: 'Grace', lastName: 'Hopper', status: 'unsubscribed' });
    expect(grace[0].lists.map((l: any) => l.name)).toEqual(['VIP']);
    // Added to a second list, it stays in the first.
    const other = await campaigns.lists.create({ name: 'Newsletter' });
    await campaigns.lists.addContacts(other.documentId, [{ email: 'grace@example.com' }]);
    const lists = await app.strapi.db
      .query(UID.contact)
      .findOne({ where: { email: 'grace@example.com' }, populate: { lists: true } });
    expect(lists.lists.map((l: any) => l.name).sort()).toEqual(['Newsletter', 'VIP']);
  });

  it('rejects bad input with the same errors as the admin API', async () => {
    const token = await app.superAdminToken();
    const viaHttp = await api(app, token).post('/deliveries', { name: 'No subject' });
    expect(viaHttp.status).toBe(400);
    await expect(campaigns.deliveries.create({ name: 'No subject' } as any)).rejects.toMatchObject({
      name: 'ValidationError',
      message: viaHttp.body.error.message,
    });
    await expect(campaigns.deliveries.get('doesnotexist')).rejects.toMatchObject({ name: 'NotFoundError' });
    await expect(campaigns.deliveries.create({ name: 'x', subject: 'y', colour: 'red' } as any)).rejects.toThrow(
      'unknown field(s): colour',
    );
    const list = await campaigns.lists.create({ name: 'Bad addresses' });
    await expect(
      campaigns.lists.addContacts(list.documentId, [{ email: 'ok@example.com' }, { email: 'not-an-email' }]),
    ).rejects.toThrow(/Invalid contacts: 1\.email/);
    await expect(campaigns.contacts.unsubscribe('nobody@example.com')).rejects.toMatchObject({ name: 'NotFoundError' });
  });

  it('pauses, resumes and cancels through the same rules as the admin actions', async () => {
    const list = await campaigns.lists.create({ name: 'Slow' });
    await campaigns.lists.addContacts(list.documentId, [
      { email: 's1@example.com' },
      { email: 's2@example.com' },
      { email: 's3@example.com' },
    ]);
    const delivery = await campaigns.deliveries.create({
      name: 'Slow',
      subject: 'Hi',
      text: 'Hello',
      lists: [list.documentId],
      sendRate: 1,
    });
    await expect(campaigns.deliveries.pause(delivery.documentId)).rejects.toThrow(
      'only a sending delivery can be paused',
    );
    await campaigns.deliveries.send(delivery.documentId);
    await waitForStatus(delivery.documentId, ['sending']);
    expect((await campaigns.deliveries.pause(delivery.documentId)).status).toBe('paused');
    expect((await campaigns.deliveries.resume(delivery.documentId)).status).toBe('sending');
    expect((await campaigns.deliveries.cancel(delivery.documentId)).status).toBe('cancelled');
    const { data } = await campaigns.deliveries.list({ status: 'cancelled' });
    expect(data.map((d: any) => d.documentId)).toEqual([delivery.documentId]);
  });
});
