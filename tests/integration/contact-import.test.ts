import fs from 'fs';
import os from 'os';
import path from 'path';
import { bootTestApp, type TestApp } from '../helpers/strapi';
import { currentDbClient } from '../helpers/databases';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'campaigns-import-'));
const writeCsv = (name: string, content: string) => {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, content);
  return file;
};

describe('CSV import of contacts into a list', () => {
  let app: TestApp;
  let auth: { Authorization: string };

  beforeAll(async () => {
    app = await bootTestApp();
    auth = { Authorization: `Bearer ${await app.superAdminToken()}` };
  });
  afterAll(async () => {
    await app?.destroy();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const importFile = async (file: string, fields: Record<string, string>) => {
    let req = app.http().post('/campaigns/contacts/import').set(auth).attach('file', file);
    for (const [key, value] of Object.entries(fields)) req = req.field(key, value);
    const started = await req;
    expect(started.status).toBe(202);
    const progress: number[] = [];
    for (;;) {
      const res = await app.http().get(`/campaigns/contacts/imports/${started.body.data.id}`).set(auth);
      progress.push(res.body.data.rowsRead);
      if (res.body.data.status !== 'running') return { job: res.body.data, progress };
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  const countContacts = () => app.strapi.db.query('plugin::campaigns.contact').count();

  it('imports good rows, reports broken ones with their line, and duplicates nothing', async () => {
    const file = writeCsv(
      'mixed.csv',
      [
        'email,first_name,Last Name,company',
        'ada@example.com,Ada,Lovelace,Analytical',
        'not-an-email,Bob,B,Nowhere',
        'GRACE@example.com,Grace,Hopper,Navy',
        'ada@example.com,Ada,King,Analytical',
        ',Empty,Email,None',
        '"broken,quote,row',
      ].join('\n') + '\n'
    );
    const { job } = await importFile(file, { newList: 'Imported' });
    expect(job).toMatchObject({ status: 'done', created: 2, duplicatesInFile: 1, list: { name: 'Imported' } });
    expect(job.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ line: 3, email: 'not-an-email' }),
        expect.objectContaining({ line: 6, email: null, reason: 'the email address is empty' }),
      ])
    );
    expect(job.failed).toBeGreaterThanOrEqual(3);
    expect(await countContacts()).toBe(2);

    const ada = await app.strapi.db.query('plugin::campaigns.contact').findOne({ where: { email: 'ada@example.com' }, populate: ['lists'] });
    expect(ada).toMatchObject({ firstName: 'Ada', lastName: 'King', attributes: { company: 'Analytical' } });
    expect(ada.lists.map((l: any) => l.name)).toEqual(['Imported']);
  });

  it('upserts by normalised email on a second import and never resubscribes an unsubscribed contact', async () => {
    await app.strapi.db.query('plugin::campaigns.contact').update({ where: { email: 'grace@example.com' }, data: { status: 'unsubscribed' } });
    const file = writeCsv('again.csv', 'Email,firstName,plan\n grace@EXAMPLE.com ,Grace M.,pro\nnew@example.com,New,free\n');
    const { job } = await importFile(file, { newList: 'Imported' });
    expect(job).toMatchObject({ status: 'done', created: 1, updated: 1, failed: 0 });
    const grace = await app.strapi.db.query('plugin::campaigns.contact').findOne({ where: { email: 'grace@example.com' } });
    expect(grace).toMatchObject({ firstName: 'Grace M.', status: 'unsubscribed', attributes: { company: 'Navy', plan: 'pro' } });
    const list = await app.http().get('/campaigns/lists?search=Imported').set(auth);
    expect(list.body.data[0]).toMatchObject({ contacts: 3, subscribed: 2 });
  });

  it('fails a file without an email column with a clear message and imports nothing', async () => {
    const before = await countContacts();
    const { job } = await importFile(writeCsv('nocol.csv', 'name,phone\nAda,123\n'), {});
    expect(job.status).toBe('failed');
    expect(job.error).toMatch(/no "email" column/);
    expect(await countContacts()).toBe(before);
  });

  it('answers 400 when no file is sent, and 404 for an unknown list', async () => {
    expect((await app.http().post('/campaigns/contacts/import').set(auth).field('list', 'abc')).status).toBe(400);
    const res = await app.http().post('/campaigns/contacts/import').set(auth).attach('file', writeCsv('x.csv', 'email\na@b.co\n')).field('list', 'nosuchlist');
    expect(res.status).toBe(404);
  });

  // 100,000 rows on SQLite; the server databases take 20,000 to keep the suite short (the code path is the same).
  const rows = currentDbClient() === 'sqlite' ? 100_000 : 20_000;
  it(`streams a ${rows.toLocaleString('en')}-row file in batches, showing progress, and counts every row`, async () => {
    const file = path.join(tmp, 'big.csv');
    const out = fs.createWriteStream(file);
    out.write('email,firstName,lastName,city\n');
    for (let i = 0; i < rows; i += 1) out.write(`user${i}@big.example.com,First${i},Last${i},City${i % 97}\n`);
    await new Promise((resolve) => out.end(resolve));

    const { job, progress } = await importFile(file, { newList: 'Big' });
    expect(job).toMatchObject({ status: 'done', rowsRead: rows, created: rows, failed: 0 });
    expect(job.bytesRead).toBe(job.bytesTotal);
    // Progress was visible while the import ran, not only at the end.
    expect(progress.some((n) => n > 0 && n < rows)).toBe(true);
    const list = await app.http().get('/campaigns/lists?search=Big').set(auth);
    expect(list.body.data[0].contacts).toBe(rows);
  }, 300_000);
});
