// A template variable registered by the app (the playground's `loyaltyTier`, with CAMPAIGNS_EXAMPLES=1): every
// message carries its recipient's value, HTML-escaped in the HTML part; a variable that throws fails only that
// recipient, with the reason in its delivery log; the editor lists the variable.
import { bootTestApp, type TestApp } from '../helpers/strapi';
import { startTestSmtpServer, type TestSmtpServer } from '../helpers/smtp-server';
import { allLogs, api, createContacts, createDelivery, createList, waitForStatus } from '../helpers/campaigns';

describe('template variables registered by the app', () => {
  let smtp: TestSmtpServer;
  let app: TestApp;
  let token: string;
  let list: string;

  beforeAll(async () => {
    smtp = await startTestSmtpServer();
    app = await bootTestApp({
      env: { CAMPAIGNS_EXAMPLES: '1' },
      pluginConfig: { smtp: { host: smtp.host, port: smtp.port }, sending: { maxAttempts: 1 } },
    });
    token = await app.superAdminToken();
    list = await createList(app, token, 'Members');
    await createContacts(
      app,
      token,
      [
        { email: 'gold@example.test', firstName: 'Gail', attributes: { points: 2500 } },
        { email: 'silver@example.test', firstName: 'Sid', attributes: { points: 150 } },
        { email: 'bronze@example.test', firstName: 'Bo' },
        { email: 'broken@example.test', firstName: 'Bert', attributes: { points: 'many' } },
      ],
      [list],
    );
  });

  afterAll(async () => {
    await app?.destroy();
    await smtp?.close();
  });

  it('lists the registered variable for the editor', async () => {
    const res = await api(app, token).get('/template-variables');
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual([
      { name: 'loyaltyTier', description: 'Loyalty tier, from the points in the contact attributes' },
    ]);
  });

  it('sends each recipient their own value, escaped in the HTML part, and fails only the recipient whose value failed', async () => {
    const delivery = await createDelivery(app, token, {
      name: 'Loyalty news',
      subject: '{{firstName}}, you are {{ loyaltyTier }}',
      html: '<p>Your tier: <b>{{loyaltyTier}}</b></p>',
      text: 'Your tier: {{loyaltyTier}} {{unsubscribeUrl}}',
      lists: [list],
    });
    expect((await api(app, token).post(`/deliveries/${delivery.documentId}/send`)).status).toBe(200);
    const done = await waitForStatus(app, token, delivery.documentId, ['sent', 'failed']);
    expect(done.status).toBe('sent');
    await smtp.waitFor(3);

    const byRecipient = new Map(smtp.messages.map((message) => [message.envelopeTo[0], message]));
    expect([...byRecipient.keys()].sort()).toEqual(['bronze@example.test', 'gold@example.test', 'silver@example.test']);
    const gold = byRecipient.get('gold@example.test')!;
    expect(gold.subject).toBe('Gail, you are Gold & <VIP>');
    expect(gold.html).toContain('<b>Gold &amp; &lt;VIP&gt;</b>');
    expect(gold.text).toContain('Your tier: Gold & <VIP>');
    expect(byRecipient.get('silver@example.test')!.html).toContain('<b>Silver</b>');
    expect(byRecipient.get('bronze@example.test')!.subject).toBe('Bo, you are Bronze');

    const [failed] = await allLogs(app, token, delivery.documentId, '&status=failed');
    expect(failed).toMatchObject({
      email: 'broken@example.test',
      failureType: 'soft',
      failureMessage: 'Template variable "loyaltyTier" failed: no loyalty points for broken@example.test',
    });
  });

  it('computes the value for a test send and for the mirror page', async () => {
    const gold = (await api(app, token).get('/contacts?search=gold')).body.data[0];
    const delivery = await createDelivery(app, token, {
      name: 'Proof',
      subject: 'Tier {{loyaltyTier}}',
      html: '<p>{{loyaltyTier}}</p>',
      lists: [list],
    });
    const proof = await api(app, token).post(`/deliveries/${delivery.documentId}/test`, {
      emails: ['proof@example.test'],
      contact: gold.documentId,
    });
    expect(proof.body.data).toMatchObject({ sent: [{ email: 'proof@example.test' }], failed: [] });
    await smtp.waitFor(4);
    const received = smtp.messages.find((message) => message.envelopeTo[0] === 'proof@example.test')!;
    expect(received.subject).toBe('[Test] Tier Gold & <VIP>');

    // The mirror page of a message that was sent renders the value again, escaped.
    const sent = smtp.messages.find((message) => message.envelopeTo[0] === 'gold@example.test')!;
    const mirrorPath = new URL(String(sent.html).match(/href="([^"]*\/api\/campaigns\/m\/[^"]+)"/)![1]).pathname;
    const page = await app.http().get(mirrorPath);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<b>Gold &amp; &lt;VIP&gt;</b>');
  });

  it('refuses a misspelt variable before sending, suggesting the registered one', async () => {
    const res = await api(app, token).post('/deliveries', {
      name: 'Typo',
      subject: 'Hi',
      html: '<p>{{loyaltyTeir}}</p>',
      lists: [list],
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(
      /Unknown variable "\{\{loyaltyTeir\}\}".*did you mean "\{\{loyaltyTier\}\}"/,
    );
  });
});
