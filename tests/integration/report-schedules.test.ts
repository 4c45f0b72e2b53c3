// Scheduled report emails: a saved report (a built-in one too) emailed daily, weekly or monthly to a list of people,
// through the plugin's transport, received on a real SMTP server with its figures in the body and its CSV attached;
// the cron's run sends only what is due, once, and keeps the history.
import { ACTIONS } from '../../shared/constants';
import { nextSendTime } from '../../shared/report-schedule';
import { api } from '../helpers/campaigns';
import { UA, clickPath, openPath, seedDelivery, stopSending } from '../helpers/fixtures';
import { startTestSmtpServer, type TestSmtpServer } from '../helpers/smtp-server';
import { bootTestApp, type TestApp } from '../helpers/strapi';

describe('scheduled report emails', () => {
  let smtp: TestSmtpServer;
  let app: TestApp;
  let token: string;
  let report: string;
  const schedules = () => app.strapi.plugin('campaigns').service('report-schedules');

  beforeAll(async () => {
    smtp = await startTestSmtpServer();
    app = await bootTestApp({
      pluginConfig: {
        smtp: { host: smtp.host, port: smtp.port },
        defaultFrom: { name: 'Acme', email: 'news@acme.example.test' },
      },
    });
    await stopSending(app.strapi);
    token = await app.superAdminToken();
    // A sent delivery of 4 messages: one opened and clicked by a person.
    const seeded = await seedDelivery(app.strapi, { recipients: 4 });
    const reader = seeded.logs[0];
    await app
      .http()
      .get(openPath(app.strapi, seeded.deliveryId, reader.id))
      .set('User-Agent', UA.outlookWindows);
    await app
      .http()
      .get(clickPath(app.strapi, seeded.deliveryId, reader.id, seeded.links[0].id))
      .set('User-Agent', UA.chromeWindows);
    const created = await api(app, token).post('/reports', {
      name: 'Weekly, figures',
      definition: {
        visualisation: 'table',
        query: { dimensions: ['delivery'], metrics: ['delivered', 'uniqueOpens', 'clicks', 'openRate'] },
      },
    });
    expect(created.status).toBe(201);
    report = created.body.data.documentId;
  });
  afterAll(async () => {
    await app?.destroy();
    await smtp?.close();
  });

  it('answers 400 naming the field for a schedule without its day or with a bad address, and saves nothing', async () => {
    const weekly = await api(app, token).put(`/reports/${report}/schedule`, {
      frequency: 'weekly',
      hour: 8,
      recipients: ['boss@acme.example.test'],
    });
    expect(weekly.status).toBe(400);
    expect(weekly.body.error.message).toBe('Invalid schedule: weekday: choose the day of the week');
    const bad = await api(app, token).put(`/reports/${report}/schedule`, {
      frequency: 'daily',
      hour: 8,
      recipients: ['boss'],
    });
    expect(bad.body.error.message).toBe('Invalid schedule: recipients.0: each recipient must be an email address');
    expect((await api(app, token).get(`/reports/${report}/schedule`)).body).toEqual({ data: null });
  });

  it('sets a daily schedule with its next send time', async () => {
    const before = new Date();
    const res = await api(app, token).put(`/reports/${report}/schedule`, {
      frequency: 'daily',
      hour: 7,
      recipients: ['Boss@acme.example.test', 'analyst@acme.example.test'],
    });

    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      frequency: 'daily',
      hour: 7,
      recipients: ['boss@acme.example.test', 'analyst@acme.example.test'],
      history: [],
    });
    expect(res.body.data.nextSendAt).toBe(nextSendTime({ frequency: 'daily', hour: 7 }, before).toISOString());
  });

  it('sends it now: each recipient gets the figures in the body and the CSV attached', async () => {
    const res = await api(app, token).post(`/reports/${report}/schedule/send`);

    expect(res.status).toBe(200);
    expect(res.body.data.history[0]).toMatchObject({ sent: 2, failed: 0, rows: 1, error: null });
    await smtp.waitFor(2, 10_000);
    expect(smtp.messages.map((m) => m.envelopeTo[0]).sort()).toEqual([
      'analyst@acme.example.test',
      'boss@acme.example.test',
    ]);
    const mail = smtp.messages[0];
    expect(mail.subject).toBe('Weekly, figures: all time');
    expect(mail.text).toContain('Delivery | Delivered | Unique opens | Clicks | Open rate');
    expect(mail.text).toContain('| 4 | 1 | 1 | 25.0%');
    expect(mail.html).toContain(
      '<th style="padding:6px 10px;border-bottom:1px solid #dcdce4;text-align:right">25.0%</th>',
    );
    expect(mail.text).toMatch(new RegExp(`Open the report: http://\\S+/admin/plugins/campaigns/reports/${report}`));
    expect(mail.attachments).toHaveLength(1);
    expect(mail.attachments[0]).toMatchObject({ filename: 'Weekly-figures-report.csv', contentType: 'text/csv' });
    const csv = mail.attachments[0].content.toString('utf8').trim().split('\r\n');
    expect(csv[0]).toBe('Delivery,Delivered,Unique opens,Clicks,Open rate');
    expect(csv[1]).toMatch(/,4,1,1,0\.25$/);
  });

  it('the cron run sends what is due once, moves the next time on, and keeps the history', async () => {
    const schedule = (await api(app, token).get(`/reports/${report}/schedule`)).body.data;
    const due = new Date(new Date(schedule.nextSendAt).getTime() + 60_000);
    const received = smtp.messages.length;

    expect(await schedules().sendDue(new Date(due.getTime() - 120_000))).toBe(0);
    expect(await schedules().sendDue(due)).toBe(1);
    expect(await schedules().sendDue(due)).toBe(0);

    await smtp.waitFor(received + 2, 10_000);
    const after = (await api(app, token).get(`/reports/${report}/schedule`)).body.data;
    expect(after.history).toHaveLength(2);
    expect(after.history[0]).toMatchObject({ at: due.toISOString(), sent: 2 });
    expect(after.nextSendAt).toBe(nextSendTime({ frequency: 'daily', hour: 7 }, due).toISOString());
  });

  it('schedules a built-in report too, and removes a schedule', async () => {
    const builtIn = (await api(app, token).get('/reports')).body.data.find((r: any) => r.builtIn).documentId;
    const set = await api(app, token).put(`/reports/${builtIn}/schedule`, {
      frequency: 'monthly',
      hour: 6,
      dayOfMonth: 1,
      recipients: ['boss@acme.example.test'],
    });
    expect(set.status).toBe(200);

    expect((await api(app, token).delete(`/reports/${builtIn}/schedule`)).status).toBe(200);
    expect((await api(app, token).get(`/reports/${builtIn}/schedule`)).body).toEqual({ data: null });
    expect((await api(app, token).delete(`/reports/${builtIn}/schedule`)).status).toBe(404);
    expect((await api(app, token).get('/reports/nosuchreport000000000000/schedule')).status).toBe(404);
  });

  it('stops emailing a report that is deleted', async () => {
    const own = await api(app, token).post('/reports', {
      name: 'Short-lived',
      definition: { visualisation: 'table', query: { dimensions: [], metrics: ['delivered'] } },
    });
    const id = own.body.data.documentId;
    await api(app, token).put(`/reports/${id}/schedule`, {
      frequency: 'daily',
      hour: 1,
      recipients: ['a@acme.example.test'],
    });

    expect((await api(app, token).delete(`/reports/${id}`)).status).toBe(200);
    expect(await app.strapi.db.query('plugin::campaigns.report-schedule').count({ where: { report: id } })).toBe(0);
  });

  it('needs the reports permission', async () => {
    const reader = await app.adminTokenWith([ACTIONS.read]);
    expect((await api(app, reader).get(`/reports/${report}/schedule`)).status).toBe(403);
    expect((await api(app, reader).post(`/reports/${report}/schedule/send`)).status).toBe(403);
  });
});
